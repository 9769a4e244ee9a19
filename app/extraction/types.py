"""Plain dataclasses passed between the extraction stages and returned by `extract_claims`."""

from __future__ import annotations

import datetime
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, overload


@dataclass(frozen=True)
class Document:
    """One source; every offset the pipeline returns refers to `text`."""

    source_id: int
    text: str
    published_at: datetime.date | None = None
    title: str | None = None


@dataclass
class MentionDraft:
    """A check-worthy passage of one source; `quote == document.text[start:end]`."""

    source_id: int
    start: int
    end: int
    quote: str
    score: float
    features: dict[str, Any]
    reason: str | None = None  # why the passage is check-worthy, in words a person can check against it


@dataclass
class StanceDraft:
    """What one source says about one claim, with the passage that shows it."""

    source_id: int
    stance: str  # "corroborates" | "contradicts" | "not_addressed"
    confidence: float
    start: int | None
    end: int | None
    quote: str | None
    reason: str | None = None  # why, in words a person can check against the passage


NOT_ADDRESSED_CONFIDENCE = 1.0  # no passage of the source shares a key with the claim


class Stances(Sequence[StanceDraft]):
    """One stance per document, in document order, storing only the sources that address the claim.

    A corpus of N documents yields about N claims, so a full claim x document list is quadratic in
    memory; the sources that share no key with a claim are answered `not_addressed` on demand.
    """

    __slots__ = ("_source_ids", "_found")

    def __init__(self, source_ids: Sequence[int], found: Mapping[int, StanceDraft]) -> None:
        self._source_ids = source_ids  # shared by every claim of one call
        self._found = dict(found)

    def _at(self, source_id: int) -> StanceDraft:
        stance = self._found.get(source_id)
        if stance is None:
            return StanceDraft(source_id, "not_addressed", NOT_ADDRESSED_CONFIDENCE, None, None, None)
        return stance

    @overload
    def __getitem__(self, index: int) -> StanceDraft: ...

    @overload
    def __getitem__(self, index: slice) -> list[StanceDraft]: ...

    def __getitem__(self, index: int | slice) -> StanceDraft | list[StanceDraft]:
        if isinstance(index, slice):
            return [self._at(s) for s in self._source_ids[index]]
        return self._at(self._source_ids[index])

    def __len__(self) -> int:
        return len(self._source_ids)

    def __iter__(self) -> Iterator[StanceDraft]:
        return (self._at(s) for s in self._source_ids)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Sequence):
            return NotImplemented
        return list(self) == list(other)

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"Stances({list(self)!r})"

    def addressed(self) -> list[StanceDraft]:
        """Only the stances found in a passage (or with a searched passage behind them)."""
        return [self._found[s] for s in self._source_ids if s in self._found]


@dataclass
class SuggestedMatchDraft:
    """An uncertain match of a claim with another one: a reviewer accepts (merge) or rejects it."""

    other_key: str | None  # another claim of the same call
    other_claim_id: int | None  # or a stored claim
    score: float
    reason: str


@dataclass
class ClaimDraft:
    """A claim grouped across sources, with a stance suggestion for every document given."""

    key: str
    text: str
    kind: str  # "figure" | "quote" | "event" | "statement"
    mentions: list[MentionDraft]
    stances: Sequence[StanceDraft]  # one per document given, in their order (a `Stances` from the pipeline)
    existing_claim_id: int | None = None
    suggested_matches: list[SuggestedMatchDraft] = field(default_factory=list)


@dataclass(frozen=True)
class ExistingClaim:
    """A claim already stored, so that a new article's mentions can join it."""

    claim_id: int
    text: str
    mentions: list[MentionDraft]


@dataclass(frozen=True)
class Sentence:
    """A sentence (or a heading, byline, question) with exact offsets into the document text."""

    start: int
    end: int
    text: str
    paragraph: int
    role: str = "body"  # "body" | "heading" | "question" | "credit"


@dataclass(frozen=True)
class Entity:
    """A person, organisation or place named in a sentence; `key` is its alias-resolved identity."""

    text: str
    label: str
    start: int
    end: int
    key: str = ""


@dataclass(frozen=True)
class Figure:
    """A number with its unit: money in its currency, percentages, counts of things."""

    text: str
    value: float
    unit: str  # "USD", "EUR", "GBP", "%", or a counted noun such as "troops"
    start: int
    end: int


@dataclass(frozen=True)
class DateRef:
    """A date expression resolved as far as the article's own date allows."""

    text: str
    start: int
    end: int
    year: int | None
    month: int | None = None
    day: int | None = None
    precision: str = "day"  # "day" | "month" | "year" | "week"

    @property
    def iso(self) -> str:
        year = f"{self.year:04d}" if self.year else "XXXX"
        if self.precision == "year" or self.month is None:
            return year
        if self.precision == "month" or self.day is None:
            return f"{year}-{self.month:02d}"
        return f"{year}-{self.month:02d}-{self.day:02d}"


@dataclass
class SentenceInfo:
    """Everything the later stages know about one sentence of one document."""

    source_id: int
    sentence: Sentence
    entities: list[Entity] = field(default_factory=list)
    figures: list[Figure] = field(default_factory=list)
    dates: list[DateRef] = field(default_factory=list)
    tokens: list[str] = field(default_factory=list)  # content-word stems, for lexical similarity
    score: float = 0.0
    features: dict[str, Any] = field(default_factory=dict)
    claim_text: str = ""  # the passage rewritten to stand alone (speaker attached, pronouns named)
    speaker: str | None = None  # the person the passage attributes its words to, when found
    quotation: int | None = None  # pieces of one quotation too long for one passage share this (its start)
