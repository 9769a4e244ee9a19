"""What the review API reads and writes: assessments, adjudications, evidence, and a claim's full review
picture (ClaimDetail: the claim with every decision and the per-source summary)."""

from datetime import date, datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, HttpUrl

from app.claims.schemas import (
    CLAIM_EXAMPLE,
    MENTION_EXAMPLE,
    SUGGESTION_EXAMPLE,
    ClaimPublic,
    MentionPublic,
    SuggestionPublic,
)
from app.vocabulary import ClaimKind, ClaimSort, ReviewStatus, Stance, Verdict

# One worked case for the examples: claim 21 ("The city council approved a budget of $2 million."), source 6
# reports it, source 7 gives a smaller figure.
ASSESSMENT_EXAMPLE: dict[str, Any] = {
    "id": 7,
    "claim_id": 21,
    "source_id": 6,
    "user_id": 3,
    "reviewer": "ana",
    "stance": "corroborates",
    "note": "States the figure in the second paragraph.",
    "origin": "reviewed",
    "version": 2,
    "created_at": "2025-03-01T10:00:00Z",
    "updated_at": "2025-03-01T10:05:00Z",
}
ADJUDICATION_EXAMPLE: dict[str, Any] = {
    "id": 2,
    "claim_id": 21,
    "source_id": 7,
    "user_id": 5,
    "editor": "eve",
    "stance": "contradicts",
    "note": "The article gives $1.5 million as the approved amount.",
    "version": 1,
    "created_at": "2025-03-02T08:00:00Z",
    "updated_at": "2025-03-02T08:00:00Z",
}
EVIDENCE_EXAMPLE: dict[str, Any] = {
    "id": 4,
    "claim_id": 21,
    "source_id": 6,
    "start": 57,
    "end": 88,
    "quote": "approved a budget of $2 million",
    "prefix": "2025\n\nThe council ",
    "suffix": ".",
    "url": None,
    "accessed_at": None,
    "note": "",
    "created_by": "ana",
    "link": "/sources/6#char=57,88",
    "version": 1,
    "created_at": "2025-03-01T10:00:00Z",
    "updated_at": "2025-03-01T10:00:00Z",
}


class AssessmentIn(BaseModel):
    """The caller's own stance on how one source bears on one claim."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [{"stance": "corroborates", "note": "States the figure in the second paragraph.", "version": 1}]
        },
    )

    stance: Stance
    note: str = Field(default="", max_length=10_000)
    version: int | None = Field(default=None, description="The version you read; omit when creating")


class AssessmentPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True, json_schema_extra={"examples": [ASSESSMENT_EXAMPLE]})

    id: int
    claim_id: int
    source_id: int
    user_id: int
    reviewer: str = ""
    stance: str
    note: str
    origin: Literal["reviewed"] = "reviewed"
    version: int
    created_at: datetime
    updated_at: datetime


class BatchAssessmentItem(AssessmentIn):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"claim_id": 21, "source_id": 7, "stance": "contradicts", "note": ""}]},
    )

    claim_id: int
    source_id: int


class BatchAssessmentRequest(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "items": [
                        {"claim_id": 21, "source_id": 6, "stance": "corroborates"},
                        {"claim_id": 21, "source_id": 7, "stance": "contradicts", "note": "Reports $1.5 million."},
                    ]
                }
            ]
        },
    )

    items: list[BatchAssessmentItem] = Field(min_length=1, max_length=1000)


class BatchAssessmentResult(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "items": [
                        ASSESSMENT_EXAMPLE,
                        ASSESSMENT_EXAMPLE
                        | {
                            "id": 8,
                            "source_id": 7,
                            "stance": "contradicts",
                            "note": "Reports $1.5 million.",
                            "version": 1,
                        },
                    ]
                }
            ]
        }
    )

    items: list[AssessmentPublic]


class AdjudicationIn(BaseModel):
    """An editor's final stance for a (claim, source), settling reviewers' disagreement."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [{"stance": "contradicts", "note": "The article gives $1.5 million as the approved amount."}]
        },
    )

    stance: Stance
    note: str = Field(default="", max_length=10_000)
    version: int | None = Field(default=None, description="The version you read; omit when creating")


class AdjudicationPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True, json_schema_extra={"examples": [ADJUDICATION_EXAMPLE]})

    id: int
    claim_id: int
    source_id: int
    user_id: int
    editor: str = ""
    stance: str
    note: str
    version: int
    created_at: datetime
    updated_at: datetime


class EvidenceCreate(BaseModel):
    """A passage in a stored source (offsets and/or quote with context), or an external URL with a quote."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "source_id": 6,
                    "quote": "approved a budget of $2 million",
                    "note": "The figure as the article gives it.",
                },
                {"source_id": 7, "start": 212, "end": 247, "quote": "set aside $1.5 million for the roads"},
                {
                    "url": "https://example.org/council/minutes",
                    "quote": "Motion carried: $1.5 million for road repairs.",
                    "accessed_at": "2025-03-02",
                },
            ]
        },
    )

    source_id: int | None = None
    start: int | None = Field(default=None, ge=0)
    end: int | None = Field(default=None, ge=0)
    quote: str | None = Field(default=None, max_length=20_000)
    prefix: str | None = Field(default=None, max_length=500)
    suffix: str | None = Field(default=None, max_length=500)
    url: HttpUrl | None = None
    accessed_at: date | None = None
    note: str = Field(default="", max_length=10_000)


class EvidenceUpdate(BaseModel):
    """Change an evidence item's note or its anchor; unset fields keep their value."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"note": "The second paragraph repeats the figure.", "version": 1}]},
    )

    start: int | None = Field(default=None, ge=0)
    end: int | None = Field(default=None, ge=0)
    quote: str | None = Field(default=None, max_length=20_000)
    prefix: str | None = Field(default=None, max_length=500)
    suffix: str | None = Field(default=None, max_length=500)
    accessed_at: date | None = None
    note: str | None = Field(default=None, max_length=10_000)
    version: int | None = None


class EvidencePublic(BaseModel):
    model_config = ConfigDict(from_attributes=True, json_schema_extra={"examples": [EVIDENCE_EXAMPLE]})

    id: int
    claim_id: int
    source_id: int | None
    start: int | None
    end: int | None
    quote: str
    prefix: str
    suffix: str
    url: str | None
    accessed_at: date | None
    note: str
    created_by: str = ""
    link: str
    version: int
    created_at: datetime
    updated_at: datetime


SUMMARY_EXAMPLE: dict[str, Any] = {
    "verdict": "disputed",
    "status": "in_review",
    "corroborating": 1,
    "contradicting": 1,
    "not_addressing": 0,
    "unclear": 0,
    "conflicts": 0,
    "suggested": {"contradicts": 1},
}
SOURCE_REVIEW_EXAMPLE: dict[str, Any] = {
    "source_id": 6,
    "source_title": "Council approves budget",
    "mentions": 1,
    "suggestion": None,
    "assessments": {"ana": "corroborates"},
    "adjudication": None,
    "decision": "corroborates",
    "conflict": False,
}


class SourceReview(BaseModel):
    """Per source: what extraction suggests, what reviewers said, and the decision that counts."""

    model_config = ConfigDict(json_schema_extra={"examples": [SOURCE_REVIEW_EXAMPLE]})

    source_id: int
    source_title: str | None
    mentions: int
    suggestion: str | None
    assessments: dict[str, str] = Field(description="reviewer name -> stance")
    adjudication: str | None
    decision: str | None
    conflict: bool


class VerdictSummary(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [SUMMARY_EXAMPLE]})

    verdict: str
    status: str
    corroborating: int
    contradicting: int
    not_addressing: int
    unclear: int
    conflicts: int
    suggested: dict[str, int] = Field(description="counts of extraction's suggestions by stance, kept apart")


class ClaimDetail(ClaimPublic):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                CLAIM_EXAMPLE
                | {
                    "mentions": [MENTION_EXAMPLE],
                    "suggestions": [SUGGESTION_EXAMPLE],
                    "assessments": [
                        ASSESSMENT_EXAMPLE,
                        ASSESSMENT_EXAMPLE
                        | {
                            "id": 8,
                            "source_id": 7,
                            "stance": "contradicts",
                            "note": "Reports $1.5 million, not $2 million.",
                        },
                        ASSESSMENT_EXAMPLE
                        | {"id": 9, "source_id": 7, "user_id": 4, "reviewer": "ben", "stance": "unclear", "note": ""},
                    ],
                    "adjudications": [ADJUDICATION_EXAMPLE],
                    "evidence": [EVIDENCE_EXAMPLE],
                    "summary": SUMMARY_EXAMPLE,
                    "sources": [
                        SOURCE_REVIEW_EXAMPLE,
                        {
                            "source_id": 7,
                            "source_title": "Road repairs to cost less than planned",
                            "mentions": 0,
                            "suggestion": "contradicts",
                            "assessments": {"ana": "contradicts", "ben": "unclear"},
                            "adjudication": "contradicts",
                            "decision": "contradicts",
                            "conflict": False,
                        },
                    ],
                }
            ]
        }
    )

    mentions: list[MentionPublic]
    suggestions: list[SuggestionPublic]
    assessments: list[AssessmentPublic]
    adjudications: list[AdjudicationPublic]
    evidence: list[EvidencePublic]
    summary: VerdictSummary
    sources: list[SourceReview]


class ClaimListParams(BaseModel):
    """The claim list's query parameters, validated as one model: one pydantic call instead of one per parameter,
    which was a fifth of the list's CPU; OpenAPI lists them one by one as before."""

    verdict: Verdict | None = None
    status: ReviewStatus | None = None
    kind: ClaimKind | None = None
    source_id: int | None = Field(None, description="Claims mentioned in or assessed for this source")
    conflict: bool | None = Field(None, description="Only claims whose reviewers disagree (or agree)")
    q: str | None = Field(None, max_length=200, description="Words the claim text must contain")
    sort: ClaimSort = ClaimSort.OLDEST
    limit: int = Field(50, ge=1, le=500)
    cursor: str | None = Field(None, description="next_cursor of the previous page")
