"""Cut a source's text into runs for display, so highlighted mentions keep exact character offsets."""

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Span:
    """A highlighted range of the text and the claim it belongs to."""

    start: int
    end: int
    claim_id: int
    label: str


@dataclass
class Run:
    """A maximal stretch of text covered by the same set of spans; `start` is its offset in the text."""

    start: int
    text: str
    spans: list[Span] = field(default_factory=list)

    @property
    def claim_ids(self) -> list[int]:
        return sorted({span.claim_id for span in self.spans})


def runs(text: str, spans: list[Span]) -> list[Run]:
    """Split `text` at every span boundary; overlapping spans give runs covered by several of them.

    The runs' texts joined are exactly `text`, and each run knows its offset, which is what lets the
    page map a selection back to offsets in the stored text.
    """
    valid = [s for s in spans if 0 <= s.start < s.end <= len(text)]
    cuts = sorted({0, len(text), *(s.start for s in valid), *(s.end for s in valid)})
    result: list[Run] = []
    for start, end in zip(cuts, cuts[1:], strict=False):
        covering = [s for s in valid if s.start <= start and end <= s.end]
        result.append(Run(start, text[start:end], covering))
    return result


@dataclass(frozen=True)
class InContext:
    before: str
    passage: str
    after: str
    start: int
    end: int


def in_context(text: str, start: int, end: int, width: int = 240) -> InContext:
    """The passage with up to `width` characters either side, cut at a word boundary, with ellipses."""
    left = max(0, start - width)
    right = min(len(text), end + width)
    if left > 0:
        space = text.find(" ", left, start)
        left = space + 1 if space != -1 else left
    if right < len(text):
        space = text.rfind(" ", end, right)
        right = space if space != -1 else right
    before = ("…" if left > 0 else "") + text[left:start]
    after = text[end:right] + ("…" if right < len(text) else "")
    return InContext(before, text[start:end], after, start, end)
