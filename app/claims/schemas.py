"""What the claims API reads and writes: claims, their mentions and suggestions, suggested matches."""

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from app.api.pagination import Page
from app.vocabulary import ClaimKind


class ClaimCreate(BaseModel):
    """A claim made by hand from a passage: the passage becomes its first mention."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "source_id": 6,
                    "quote": "approved a budget of $2 million",
                    "text": "The city council approved a budget of $2 million.",
                    "kind": "figure",
                },
                {"source_id": 6, "start": 57, "end": 88},
            ]
        },
    )

    source_id: int
    start: int | None = Field(default=None, ge=0)
    end: int | None = Field(default=None, ge=0)
    quote: str | None = Field(default=None, max_length=20_000)
    prefix: str | None = Field(default=None, max_length=500)
    suffix: str | None = Field(default=None, max_length=500)
    text: str | None = Field(
        default=None, min_length=1, max_length=5_000, description="Canonical wording; the passage's text when omitted"
    )
    kind: ClaimKind = ClaimKind.STATEMENT


class ClaimUpdate(BaseModel):
    """Edit the canonical wording or kind; the edited text survives re-extraction."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [{"text": "The city council approved a $2 million budget for 2025.", "version": 3}]
        },
    )

    text: str | None = Field(default=None, min_length=1, max_length=5_000)
    kind: ClaimKind | None = None
    version: int | None = Field(default=None, description="The version you read (or send If-Match)")


class ClaimMerge(BaseModel):
    """Merge `other_id` into the claim in the path; the other keeps a tombstone pointing here."""

    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [{"other_id": 24, "version": 3, "other_version": 1}]}
    )

    other_id: int
    version: int | None = None
    other_version: int | None = None


class ClaimUnmerge(BaseModel):
    """Undo the merge of `other_id` into the claim in the path; `version` is this claim's, as read."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"other_id": 24, "version": 4}]})

    other_id: int
    version: int | None = None


class ClaimSplit(BaseModel):
    """Move one mention off into a new claim."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [{"mention_id": 40, "text": "The council's road repairs will cost $1.5 million.", "version": 3}]
        },
    )

    mention_id: int
    text: str | None = Field(default=None, min_length=1, max_length=5_000)
    version: int | None = None


CLAIM_EXAMPLE: dict[str, Any] = {
    "id": 21,
    "key": None,
    "text": "The city council approved a budget of $2 million.",
    "kind": "figure",
    "origin": "manual",
    "text_edited": True,
    "status": "in_review",
    "verdict": "disputed",
    "corroborating": 1,
    "contradicting": 1,
    "not_addressing": 0,
    "has_conflict": False,
    "merged_into_id": None,
    "version": 1,
    "created_at": "2025-03-01T09:00:00Z",
    "updated_at": "2025-03-01T10:05:00Z",
}
MENTION_EXAMPLE: dict[str, Any] = {
    "id": 40,
    "claim_id": 21,
    "source_id": 6,
    "start": 57,
    "end": 88,
    "quote": "approved a budget of $2 million",
    "origin": "manual",
    "score": None,
    "worthiness_reason": None,
    "link": "/sources/6#char=57,88",
}
SUGGESTION_EXAMPLE: dict[str, Any] = {
    "id": 5,
    "claim_id": 21,
    "source_id": 7,
    "stance": "contradicts",
    "confidence": 0.71,
    "start": 212,
    "end": 247,
    "quote": "set aside $1.5 million for the roads",
    "origin": "suggested",
}


class ClaimPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True, json_schema_extra={"examples": [CLAIM_EXAMPLE]})

    id: int
    key: str | None
    text: str
    kind: str
    origin: str
    text_edited: bool
    status: str
    verdict: str
    corroborating: int
    contradicting: int
    not_addressing: int
    has_conflict: bool
    merged_into_id: int | None
    version: int
    created_at: datetime
    updated_at: datetime


class ClaimPage(Page[ClaimPublic]):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [{"items": [CLAIM_EXAMPLE], "next_cursor": None, "total": 1, "total_exact": True}]
        }
    )

    total: int = Field(description="Claims matching the filters, counted up to 1,000 (see `total_exact`)")
    total_exact: bool = Field(
        default=True, description="False when more claims match than were counted: `total` is then a lower bound"
    )


class MentionPublic(BaseModel):
    """Where a source states the claim; `link` opens the passage in the web UI."""

    model_config = ConfigDict(from_attributes=True, json_schema_extra={"examples": [MENTION_EXAMPLE]})

    id: int
    claim_id: int
    source_id: int
    start: int
    end: int
    quote: str
    origin: str
    score: float | None
    worthiness_reason: str | None = Field(
        default=None, description="Why extraction found the passage check-worthy (none for a person's mention)"
    )
    link: str = ""


class SuggestionPublic(BaseModel):
    """Extraction's guess at a source's stance: shown beside, never mixed with, reviewers' decisions."""

    model_config = ConfigDict(from_attributes=True, json_schema_extra={"examples": [SUGGESTION_EXAMPLE]})

    id: int
    claim_id: int
    source_id: int
    stance: str
    confidence: float
    start: int | None
    end: int | None
    quote: str | None
    reason: str | None = None  # why, checkable against the passage: "figure differs: $4.5 million vs $3.2 million"
    origin: Literal["suggested"] = "suggested"


class MatchSuggestionPublic(BaseModel):
    """A suggested match: two claims extraction was unsure were one; accept merges them, reject keeps them apart."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "id": 7,
                    "claim_id": 12,
                    "other_claim_id": 31,
                    "other_text": "The council approved the budget.",
                    "score": 0.41,
                    "reason": "similar passages (0.41); shared names: Norbridge; words: budget, council",
                    "status": "open",
                    "decided_by": None,
                    "decided_at": None,
                }
            ]
        }
    )

    id: int
    claim_id: int
    other_claim_id: int
    other_text: str | None = None  # the other claim's wording, seen from the claim asked about
    score: float
    reason: str
    status: Literal["open", "accepted", "rejected"]
    decided_by: str | None = None
    decided_at: datetime | None = None
