"""Every closed vocabulary of Crosscheck, each one StrEnum used by columns, schemas, services and page labels.

Members are plain strings (`Stance.CORROBORATES == "corroborates"`), so they are stored, compared and sent
as the words themselves; `label` is how a page shows them.
"""

from enum import StrEnum
from typing import Any

from pydantic import GetJsonSchemaHandler
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import CoreSchema


class Vocabulary(StrEnum):
    @classmethod
    def values(cls) -> tuple[str, ...]:
        return tuple(member.value for member in cls)

    @classmethod
    def choices(cls) -> str:
        """The words, for an error message: "a, b or c"."""
        return ", ".join(cls.values())

    @property
    def label(self) -> str:
        return self.value.replace("_", " ").capitalize()

    @classmethod
    def __get_pydantic_json_schema__(cls, core_schema: CoreSchema, handler: GetJsonSchemaHandler) -> JsonSchemaValue:
        schema: dict[str, Any] = handler(core_schema)
        schema = handler.resolve_ref_schema(schema)
        schema["examples"] = [cls.values()[0]]
        return schema


class Stance(Vocabulary):
    """How a source bears on a claim: a reviewer's assessment, an editor's adjudication, a suggestion."""

    CORROBORATES = "corroborates"
    CONTRADICTS = "contradicts"
    NOT_ADDRESSED = "not_addressed"
    UNCLEAR = "unclear"


# Extraction suggests only these; "unclear" is a reviewer's word.
SUGGESTED_STANCES = (Stance.CORROBORATES, Stance.CONTRADICTS, Stance.NOT_ADDRESSED)


class Verdict(Vocabulary):
    """A claim's verdict, derived from its decided sources (review/verdicts.py)."""

    CORROBORATED = "corroborated"
    SINGLE_SOURCE = "single_source"  # corroborated only by the article the claim comes from
    CONTRADICTED = "contradicted"
    DISPUTED = "disputed"
    UNVERIFIED = "unverified"


class ReviewStatus(Vocabulary):
    """How far review of a claim has come."""

    OPEN = "open"
    IN_REVIEW = "in_review"
    SETTLED = "settled"


class ClaimKind(Vocabulary):
    FIGURE = "figure"
    QUOTE = "quote"
    EVENT = "event"
    STATEMENT = "statement"


class ClaimSort(Vocabulary):
    """Orders of the claims list: each has an index over live claims on (key, id), so a page is an index walk.

    Keys sort alphabetically (contradicted < corroborated < disputed < unverified; in_review < open < settled).
    """

    OLDEST = "id"
    NEWEST = "-id"
    LEAST_RECENTLY_CHANGED = "updated_at"
    RECENTLY_CHANGED = "-updated_at"
    VERDICT = "verdict"
    VERDICT_DESCENDING = "-verdict"
    STATUS = "status"
    STATUS_DESCENDING = "-status"

    @property
    def column(self) -> str:
        return self.value.lstrip("-")

    @property
    def descending(self) -> bool:
        return self.value.startswith("-")

    @property
    def label(self) -> str:
        return SORT_LABELS[self]


SORT_LABELS = {
    ClaimSort.OLDEST: "Oldest first",
    ClaimSort.NEWEST: "Newest first",
    ClaimSort.RECENTLY_CHANGED: "Recently changed",
    ClaimSort.LEAST_RECENTLY_CHANGED: "Least recently changed",
    ClaimSort.VERDICT: "Verdict: contradicted first",
    ClaimSort.VERDICT_DESCENDING: "Verdict: unverified first",
    ClaimSort.STATUS: "Status: in review first",
    ClaimSort.STATUS_DESCENDING: "Status: settled first",
}


class Role(Vocabulary):
    """Roles in rising order of rights: each may do everything the ones before it may."""

    VIEWER = "viewer"
    REVIEWER = "reviewer"
    EDITOR = "editor"
    ADMIN = "admin"

    @property
    def rank(self) -> int:
        return list(Role).index(self)


class JobStatus(Vocabulary):
    QUEUED = "queued"
    RUNNING = "running"
    SUCCEEDED = "succeeded"
    FAILED = "failed"
