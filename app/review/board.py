"""Read models for overview pages: every claim's per-source cell facts in one batch, review progress,
the claims related to a source, and the claim mentions inside one source. Read-only; the decision rules are
review.verdicts' own.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from sqlalchemy import literal, null, text, union, union_all
from sqlalchemy import select as core_select  # five columns: sqlmodel's select types at most four
from sqlmodel import Session, col, func, select

from app.claims.models import Claim, Mention, StanceSuggestion
from app.claims.tally import live_and_settled
from app.id_lists import among_ids
from app.review.models import Adjudication, Assessment
from app.review.verdicts import conflicted, decided


@dataclass
class CellFacts:
    """What a board cell shows for one source of one claim: the stances, not the rows that hold them. A page has up
    to thousands of cells, and loading each assessment and suggestion as a full row cost more than drawing them."""

    source_id: int
    stances: list[str] = field(default_factory=list)  # reviewers' stances, oldest first
    adjudicated: str | None = None
    suggested: str | None = None
    mentions: int = 0

    @property
    def conflict(self) -> bool:
        return conflicted(self.adjudicated, self.stances)

    @property
    def decision(self) -> str | None:
        return decided(self.adjudicated, self.stances)


@cache
def _cell_facts() -> Any:
    """Every fact a page of cells shows, for the claims of `:claim_ids`, in one statement built once: per claim and
    source the mentions counted, the suggested stance, each reviewer's stance (in `position` order: oldest first)
    and the adjudication. Four statements cost four round trips and four ORM passes, more than the rows."""

    def facts(kind: str, table: Any, stance: Any, position: Any) -> Any:
        return core_select(
            literal(kind).label("kind"), table.claim_id, table.source_id, stance.label("stance"), position
        ).where(among_ids(table.claim_id, "claim_ids"))

    mentions = facts("mentions", Mention, null(), func.count().label("position")).group_by(
        col(Mention.claim_id), col(Mention.source_id)
    )
    suggested = facts("suggested", StanceSuggestion, StanceSuggestion.stance, literal(0).label("position"))
    assessed = facts("assessed", Assessment, Assessment.stance, col(Assessment.id).label("position"))
    adjudicated = facts("adjudicated", Adjudication, Adjudication.stance, literal(0).label("position"))
    return union_all(mentions, suggested, assessed, adjudicated).order_by(text("position"))


def cells_for_claims(session: Session, claim_ids: list[int]) -> dict[int, dict[int, CellFacts]]:
    """Per claim, per related source: mentions, suggested stance, reviewers' stances and adjudication; the decision
    rules are `review.verdicts`' own, so a board row and the claim page can never disagree about a cell."""
    result: dict[int, dict[int, CellFacts]] = {claim_id: {} for claim_id in claim_ids}
    if not claim_ids:
        return result
    for kind, claim_id, source_id, stance, position in session.connection().execute(
        _cell_facts(), {"claim_ids": claim_ids}
    ):
        cells = result[claim_id]
        cell = cells.get(source_id)
        if cell is None:  # not setdefault: that builds a throwaway cell for every row read
            cell = cells[source_id] = CellFacts(source_id)
        if kind == "assessed":
            cell.stances.append(stance)
        elif kind == "mentions":
            cell.mentions = position
        elif kind == "suggested":
            cell.suggested = stance
        else:
            cell.adjudicated = stance
    return result


def claims_related_to_source(source_id: Any) -> Any:
    """A select of the ids of claims mentioned in the source or assessed for it (a claims list's `among`).

    `source_id` is an id or a bound parameter (the claims list's prebuilt statements)."""
    mentioned = select(col(Mention.claim_id)).where(col(Mention.source_id) == source_id)
    assessed = select(col(Assessment.claim_id)).where(col(Assessment.source_id) == source_id)
    # One IN over a UNION lets the planner start from the source's rows (an OR of two INs scans every claim).
    return union(mentioned, assessed)


@dataclass(frozen=True)
class ReviewProgress:
    claims: int
    settled: int
    # source id -> live claims with a reviewer's assessment or an editor's adjudication for that source
    assessed_by_source: dict[int, int]


@cache
def _judged_per_source() -> Any:
    """Per source of `:source_ids`, the live claims a reviewer assessed or an editor adjudicated there. Built once:
    building the union cost more than running it."""
    assessed = select(Assessment.source_id, Assessment.claim_id).where(among_ids(Assessment.source_id, "source_ids"))
    adjudicated = select(Adjudication.source_id, Adjudication.claim_id).where(
        among_ids(Adjudication.source_id, "source_ids")
    )
    judged = assessed.union(adjudicated).subquery()
    # Joined to live claims by primary key: "claim_id IN (live ids)" made SQLite list every live claim first.
    return (
        select(judged.c.source_id, func.count())
        .join(Claim, col(Claim.id) == judged.c.claim_id)
        .where(col(Claim.merged_into_id).is_(None))
        .group_by(judged.c.source_id)
    )


def review_progress(session: Session, source_ids: Iterable[int]) -> ReviewProgress:
    """How far review has come: claims settled of all live claims, and how many claims each of `source_ids` (the
    sources on screen, so the cost does not grow with the workspace) was judged on."""
    claims, settled = live_and_settled(session)
    rows = session.connection().execute(_judged_per_source(), {"source_ids": list(source_ids)}).all()
    return ReviewProgress(claims=claims, settled=settled, assessed_by_source={row[0]: row[1] for row in rows})


@dataclass(frozen=True)
class SourceMention:
    mention_id: int
    claim_id: int
    start: int
    end: int
    claim_text: str


def source_mentions(session: Session, source_id: int) -> list[SourceMention]:
    """Every mention of a live claim in one source, in reading order, with the claim's wording."""
    rows = session.exec(
        select(Mention, Claim.text)
        .join(Claim, col(Claim.id) == col(Mention.claim_id))
        .where(Mention.source_id == source_id, col(Claim.merged_into_id).is_(None))
        .order_by(col(Mention.start), col(Mention.end), col(Mention.id))
    ).all()
    return [SourceMention(m.id or 0, m.claim_id, m.start, m.end, text) for m, text in rows]
