"""Sources: the articles under review, their metadata and their immutable text."""

from datetime import date, datetime

from pydantic import ConfigDict, field_validator
from sqlmodel import Field, SQLModel

from app.clock import utcnow


class SourceMetadata(SQLModel):
    title: str | None = Field(default=None, max_length=500)
    outlet: str | None = Field(default=None, max_length=200)
    author: str | None = Field(default=None, max_length=200)
    published_at: date | None = None
    url: str | None = Field(default=None, max_length=2000)
    language: str | None = Field(default=None, max_length=20)


class Source(SourceMetadata, table=True):
    id: int | None = Field(default=None, primary_key=True)
    filename: str | None = Field(default=None, max_length=255)
    raw_text: str
    sha256: str = Field(max_length=64, unique=True, index=True)
    text: str
    created_at: datetime = Field(default_factory=utcnow)


class SourceCreate(SourceMetadata):
    """What a client sends to ingest a source: the text, and any metadata it knows better than the parser."""

    model_config = ConfigDict(extra="forbid")  # type: ignore[assignment]

    text: str = Field(description="The article text as received (UTF-8); at most the configured body limit")
    filename: str | None = Field(default=None, max_length=255)

    @field_validator("text")
    @classmethod
    def _not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("text is empty or only whitespace")
        return value


class SourcePublic(SourceMetadata):
    id: int
    filename: str | None
    sha256: str
    text_length: int
    created_at: datetime


class SourceDetail(SourcePublic):
    text: str


class SourcePage(SQLModel):
    items: list[SourcePublic]
    total: int
    next_cursor: str | None = None


class IngestResult(SQLModel):
    """One ingestion: the source and whether this call created it or found it already stored."""

    created: bool
    source: SourcePublic
    extraction_job_id: int | None = None
