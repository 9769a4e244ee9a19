"""What the review API reads and writes: assessments, adjudications, evidence and audit events."""

from datetime import date, datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, HttpUrl

Stance = Literal["corroborates", "contradicts", "not_addressed", "unclear"]


class AssessmentIn(BaseModel):
    """The caller's own stance on how one source bears on one claim."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={
        "examples": [{"stance": "corroborates", "note": "Para 3 quotes the figure directly.", "version": 1}]})

    stance: Stance
    note: str = Field(default="", max_length=10_000)
    version: int | None = Field(default=None, description="The version you read; omit when creating")


class AssessmentPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True, json_schema_extra={"examples": [{
        "id": 7, "claim_id": 12, "source_id": 2, "user_id": 3, "reviewer": "ana", "stance": "contradicts",
        "note": "Says the demand was rejected.", "origin": "reviewed", "version": 2,
        "created_at": "2025-03-01T10:00:00Z", "updated_at": "2025-03-01T10:05:00Z"}]})

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
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [
        {"claim_id": 12, "source_id": 2, "stance": "contradicts", "note": ""}]})

    claim_id: int
    source_id: int


class BatchAssessmentRequest(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"items": [
        {"claim_id": 12, "source_id": 1, "stance": "corroborates"},
        {"claim_id": 12, "source_id": 2, "stance": "contradicts", "note": "Rejected by Zelensky."}]}]})

    items: list[BatchAssessmentItem] = Field(min_length=1, max_length=1000)


class BatchAssessmentResult(BaseModel):
    items: list[AssessmentPublic]


class AdjudicationIn(BaseModel):
    """An editor's final stance for a (claim, source), settling reviewers' disagreement."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={
        "examples": [{"stance": "contradicts", "note": "The article reports the demand, not an agreement."}]})

    stance: Stance
    note: str = Field(default="", max_length=10_000)
    version: int | None = Field(default=None, description="The version you read; omit when creating")


class AdjudicationPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

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

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [
        {"source_id": 1, "quote": "agreed to transfer rare earth minerals worth $500 billion",
         "note": "Reports the claim as Trump's statement."},
        {"source_id": 2, "start": 410, "end": 455, "quote": "a demand that Zelensky rejected"},
        {"url": "https://example.org/statement", "quote": "We never agreed to $500 billion.",
         "accessed_at": "2025-03-02"}]})

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

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [
        {"note": "Second paragraph says the same.", "version": 1}]})

    start: int | None = Field(default=None, ge=0)
    end: int | None = Field(default=None, ge=0)
    quote: str | None = Field(default=None, max_length=20_000)
    prefix: str | None = Field(default=None, max_length=500)
    suffix: str | None = Field(default=None, max_length=500)
    accessed_at: date | None = None
    note: str | None = Field(default=None, max_length=10_000)
    version: int | None = None


class EvidencePublic(BaseModel):
    model_config = ConfigDict(from_attributes=True, json_schema_extra={"examples": [{
        "id": 4, "claim_id": 12, "source_id": 1, "start": 2731, "end": 2788,
        "quote": "agreed to transfer rare earth minerals worth $500 billion", "prefix": "Ukraine allegedly ",
        "suffix": " to the United States", "url": None, "accessed_at": None, "note": "", "created_by": "ana",
        "link": "/sources/1#char=2731,2788", "version": 1,
        "created_at": "2025-03-01T10:00:00Z", "updated_at": "2025-03-01T10:00:00Z"}]})

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


class AuditEventPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True, json_schema_extra={"examples": [{
        "id": 31, "at": "2025-03-01T10:05:00Z", "actor": "ana (token 2)", "user_id": 3, "token_id": 2,
        "action": "assessment.updated", "entity_type": "assessment", "entity_id": 7, "claim_id": 12,
        "source_id": 2, "before": {"stance": "unclear", "note": ""}, "after": {"stance": "contradicts", "note": ""}}]})

    id: int
    at: datetime
    actor: str
    user_id: int | None
    token_id: int | None
    action: str
    entity_type: str
    entity_id: int | None
    claim_id: int | None
    source_id: int | None
    before: dict[str, Any] | None
    after: dict[str, Any] | None


class AuditPage(BaseModel):
    items: list[AuditEventPublic]
    next_cursor: str | None = None
