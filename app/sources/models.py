"""Sources: the articles under review, their metadata and their immutable text."""

from datetime import date, datetime

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
    # Counts changes to the details above (the text never changes): a save based on an older one is refused.
    version: int = Field(default=1, sa_column_kwargs={"server_default": "1"})
    created_at: datetime = Field(default_factory=utcnow)
