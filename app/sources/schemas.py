"""What the sources API reads and writes: a source to ingest, a metadata change, a source as stored, pages of them.

`SourceMetadata` (app.sources.models) is both the table's columns and what a client may send, so these build on it."""

from datetime import date, datetime
from typing import Any

from pydantic import ConfigDict, field_validator
from sqlmodel import Field, SQLModel

from app.api.pagination import Page
from app.sources.models import SourceMetadata


class SourceCreate(SourceMetadata):
    """What a client sends to ingest a source: the text, and any metadata it knows better than the parser."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {  # type: ignore[assignment]
                    "text": "# Council approves budget\n\n14 February 2025\n\n"
                    "The council approved a budget of $2 million.",
                    "filename": "council.md",
                    "outlet": "Example Gazette",
                    "url": "https://example.org/council",
                    "language": "en",
                }
            ]
        },
    )

    text: str = Field(description="The article text as received (UTF-8); at most the configured body limit")
    filename: str | None = Field(default=None, max_length=255)

    @field_validator("text")
    @classmethod
    def _not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("text is empty or only whitespace")
        return value


class SourceUpdate(SQLModel):
    """A change to a source's metadata (its text never changes): only the fields sent change; `null` or an
    empty string clears one."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [  # type: ignore[assignment]
                {"title": "Council approves budget", "outlet": "Example Gazette", "published_at": "2025-02-14"}
            ]
        },
    )

    title: str | None = Field(default=None, max_length=500)
    outlet: str | None = Field(default=None, max_length=200)
    author: str | None = Field(default=None, max_length=200)
    published_at: date | None = None
    url: str | None = Field(default=None, max_length=2000)
    language: str | None = Field(default=None, max_length=20)

    @field_validator("title", "outlet", "author", "url", "language", "published_at", mode="before")
    @classmethod
    def _blank_is_none(cls, value: Any) -> Any:
        if isinstance(value, str):
            value = value.strip()
            return value or None
        return value

    @field_validator("url")
    @classmethod
    def _web_address(cls, value: str | None) -> str | None:
        if value is not None and not value.lower().startswith(("https://", "http://")):
            raise ValueError("must be a web address starting with https:// or http://")
        return value


_SOURCE_EXAMPLE: dict[str, Any] = {
    "id": 6,
    "filename": "council.md",
    "title": "Council approves budget",
    "outlet": "Example Gazette",
    "author": None,
    "published_at": "2025-02-14",
    "url": "https://example.org/council",
    "language": "en",
    "sha256": "9f2c…",
    "text_length": 84,
    "version": 1,
    "created_at": "2025-02-15T09:30:00Z",
}


class SourcePublic(SourceMetadata):
    model_config = ConfigDict(json_schema_extra={"examples": [_SOURCE_EXAMPLE]})  # type: ignore[assignment]

    id: int
    filename: str | None
    sha256: str
    text_length: int
    version: int
    created_at: datetime


class SourceDetail(SourcePublic):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [  # type: ignore[assignment]
                _SOURCE_EXAMPLE | {"text": "# Council approves budget\n\n14 February 2025\n\nThe council approved…"}
            ]
        }
    )

    text: str


class SourcePage(Page[SourcePublic]):
    model_config = ConfigDict(
        json_schema_extra={"examples": [{"items": [_SOURCE_EXAMPLE], "next_cursor": "eyJpZCI6Nn0", "total": 6}]}
    )

    total: int


class IngestResult(SQLModel):
    """One ingestion: the source and whether this call created it or found it already stored."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [  # type: ignore[assignment]
                {"created": True, "source": _SOURCE_EXAMPLE, "extraction_job_id": 12}
            ]
        }
    )

    created: bool
    source: SourcePublic
    extraction_job_id: int | None = None
