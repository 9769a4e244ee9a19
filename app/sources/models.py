"""Sources: the articles under review, their metadata and their immutable text."""

from datetime import date, datetime

from sqlmodel import Field, SQLModel

from app.clock import utcnow

LABEL_WORDS = 8


def source_label(title: str | None, text: str, filename: str | None, source_id: int | None, more: bool = False) -> str:
    """How pages name a source: its title, else its opening words (a file name says less), else its file name.

    `text` may be only the opening of the source's text; `more` then says the text goes on past it."""
    if title:
        return title
    words = text.split(maxsplit=LABEL_WORDS)
    if words:
        return " ".join(words[:LABEL_WORDS]) + ("…" if len(words) > LABEL_WORDS or more else "")
    return filename or f"Source {source_id}"


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

    @property
    def label(self) -> str:
        return source_label(self.title, self.text, self.filename, self.id)
