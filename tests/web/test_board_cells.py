"""The board's cells come from one cached macro per state: each state shows what the claim page would."""

from app.review.board import CellFacts
from app.web.templating import board_cells


class _Column:
    def __init__(self, source_id: int) -> None:
        self.id = source_id


def _cell(cell: CellFacts | None) -> tuple[str, str]:
    """The one cell of a one-column row: its `data-state` and its HTML."""
    html = str(board_cells({} if cell is None else {2: cell}, [_Column(2)]))
    return html.split('data-state="')[1].split('"')[0], html


def test_every_state_of_a_cell() -> None:
    state, markup = _cell(CellFacts(2, stances=["not_addressed", "contradicts", "not_addressed"]))
    assert state == "conflict"
    assert "Conflict" in markup and '<span class="muted small">not addressed / contradicts</span>' in markup

    state, markup = _cell(CellFacts(2, stances=["corroborates"]))
    assert state == "reviewed"
    assert 'class="chip corroborates"' in markup and ">reviewed</span>" in markup

    state, markup = _cell(CellFacts(2, stances=["corroborates", "contradicts"], adjudicated="contradicts"))
    assert state == "reviewed"
    assert 'class="chip contradicts"' in markup and ">adjudicated</span>" in markup

    state, markup = _cell(CellFacts(2, suggested="unclear", mentions=1))
    assert state == "suggested"
    assert 'class="chip unclear suggested"' in markup and "(suggested)" in markup

    state, markup = _cell(CellFacts(2, mentions=2))
    assert state == "mentioned" and "Mentioned" in markup and "not assessed" in markup

    for nothing in (None, CellFacts(2)):
        state, markup = _cell(nothing)
        assert state == "none" and 'aria-label="Nothing yet"' in markup


def test_a_row_has_one_cell_per_column_in_column_order() -> None:
    row = {3: CellFacts(3, stances=["corroborates"]), 1: CellFacts(1, mentions=1)}
    html = str(board_cells(row, [_Column(1), _Column(2), _Column(3)]))
    cells = html.split("</td>")[:-1]
    assert [cell.split('data-source="')[1].split('"')[0] for cell in cells] == ["1", "2", "3"]
    assert 'data-state="mentioned"' in cells[0] and 'data-state="none"' in cells[1]
    assert 'data-state="reviewed"' in cells[2] and 'class="chip corroborates"' in cells[2]
