"""Ingest, list and read sources; the one ingestion path used by the CLI, the API and the UI."""

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

from sqlalchemy import select as core_select  # plain rows: no model instances for a page's headings
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, func, select

from app.audit import record_event
from app.auth.actor import Actor
from app.config import get_settings
from app.db import get_or_404
from app.errors import InvalidInput, PayloadTooLarge, UnsupportedMediaType, check_version
from app.id_lists import among_ids
from app.sources.metadata import parse_metadata
from app.sources.models import Source, SourceMetadata, source_label
from app.sources.normalise import normalise_text
from app.sources.schemas import SourcePublic, SourceUpdate
from app.text_rules import SOURCE_MAX_CHARS, check_text

READABLE_SUFFIXES = (".txt", ".md")
_UNSAFE_FILENAME = re.compile(r"[/\\\x00-\x1f]|^\.|^$")


def content_hash(raw_text: str) -> str:
    return hashlib.sha256(raw_text.encode("utf-8")).hexdigest()


def check_filename(filename: str | None) -> str | None:
    """A stored filename is a bare name: a path in it would mislead whoever reads it back."""
    if filename is None:
        return None
    if _UNSAFE_FILENAME.search(filename) or ".." in filename or len(filename) > 255:
        raise InvalidInput(
            f"filename {filename!r} is not a plain file name (no folders, no leading dot, no control characters)",
            errors=[{"field": "filename", "message": "must be a plain file name"}],
        )
    return filename


def decode_upload(data: bytes, filename: str | None) -> str:
    """Bytes from a file or an upload become text, or a clear reason why they cannot."""
    suffix = Path(filename or "").suffix.lower()
    if suffix not in READABLE_SUFFIXES:
        raise UnsupportedMediaType(
            f"Crosscheck reads {' and '.join(READABLE_SUFFIXES)} files; {filename!r} is neither.",
        )
    limit = get_settings().max_body_bytes
    if len(data) > limit:
        raise PayloadTooLarge(f"The file is {len(data)} bytes; the limit is {limit} bytes.")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise UnsupportedMediaType(
            f"The file is not UTF-8 text (byte {error.start} cannot be decoded); save it as UTF-8 and retry.",
        ) from error


def ingest_text(
    session: Session,
    raw_text: str,
    actor: Actor,
    *,
    filename: str | None = None,
    metadata: SourceMetadata | None = None,
) -> tuple[Source, bool]:
    """Store a new source, or return the one already stored with the same content (created=False)."""
    if not raw_text.strip():
        raise InvalidInput(
            "The text is empty or only whitespace.", errors=[{"field": "text", "message": "must contain text"}]
        )
    if "\x00" in raw_text:
        # PostgreSQL cannot store NUL in text, and no article needs one: refuse it on every database alike.
        raise InvalidInput(
            "The text contains a NUL character (\\x00); send plain text.",
            errors=[{"field": "text", "message": "must not contain NUL characters"}],
        )
    if len(raw_text) > SOURCE_MAX_CHARS:
        raise InvalidInput(
            f"A source may hold at most {SOURCE_MAX_CHARS:,} characters (this one has "
            f"{len(raw_text):,}): extraction cannot process more. Split the article.",
            errors=[{"field": "text", "message": f"at most {SOURCE_MAX_CHARS:,} characters"}],
        )
    check_text("text", raw_text)
    filename = check_filename(filename)
    digest = content_hash(raw_text)
    existing = session.exec(select(Source).where(Source.sha256 == digest)).first()
    if existing is not None:
        return existing, False
    text = normalise_text(raw_text)
    source = Source.model_validate(
        {"filename": filename, "raw_text": raw_text, "sha256": digest, "text": text, **_merged_metadata(text, metadata)}
    )
    session.add(source)
    try:
        session.flush()
        record_event(
            session, actor, "source.ingested", "source", source.id, source_id=source.id, after=source_summary(source)
        )
        session.commit()
    except IntegrityError:
        # Another writer stored the same content between our check and our insert.
        session.rollback()
        winner = session.exec(select(Source).where(Source.sha256 == digest)).one()
        return winner, False
    session.refresh(source)
    return source, True


def _merged_metadata(text: str, given: SourceMetadata | None) -> dict[str, object]:
    """Explicit metadata wins; parsing fills only what was not given."""
    parsed = parse_metadata(text)
    merged: dict[str, object] = {"title": parsed.title, "author": parsed.author, "published_at": parsed.published_at}
    if given is not None:
        merged.update({key: value for key, value in given.model_dump().items() if value is not None})
    return merged


def source_summary(source: Source) -> dict[str, object]:
    return {
        "id": source.id,
        "filename": source.filename,
        "title": source.title,
        "outlet": source.outlet,
        "author": source.author,
        "published_at": _iso(source.published_at),
        "url": source.url,
        "language": source.language,
        "sha256": source.sha256,
    }


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


def to_public(source: Source) -> SourcePublic:
    return SourcePublic.model_validate(source, update={"text_length": len(source.text)})


def get_source(session: Session, source_id: int) -> Source:
    return get_or_404(session, Source, source_id, "source")


def list_sources(session: Session, *, limit: int = 50, after_id: int | None = None) -> tuple[list[Source], int]:
    query = select(Source).order_by(col(Source.id)).limit(limit)
    if after_id is not None:
        query = query.where(col(Source.id) > after_id)
    total = session.exec(select(func.count()).select_from(Source)).one()
    return list(session.exec(query).all()), total


def all_sources(session: Session) -> list[Source]:
    return list(session.exec(select(Source).order_by(col(Source.id))).all())


def update_metadata(
    session: Session, actor: Actor, source_id: int, changes: SourceUpdate, version: int | None = None
) -> Source:
    """Correct a source's title, outlet, author, date, URL or language; the text stays as ingested.

    Only the fields set in `changes` are applied; the audit event keeps each changed field before and after.
    `version`, when given, is the version the change was based on: another one is refused, so a second editor
    cannot undo the first's corrections unseen."""
    source = get_source(session, source_id)
    check_version("source", source.version, version, to_public(source).model_dump(mode="json"), required=False)
    before, after = {}, {}
    for key, value in changes.model_dump(exclude_unset=True).items():
        if getattr(source, key) != value:
            before[key], after[key] = getattr(source, key), value
            setattr(source, key, value)
    if not after:
        return source
    source.version += 1
    session.add(source)
    record_event(
        session,
        actor,
        "source.edited",
        "source",
        source.id,
        source_id=source.id,
        before=_jsonable(before),
        after=_jsonable(after),
    )
    session.commit()
    session.refresh(source)
    return source


def _jsonable(values: dict[str, object]) -> dict[str, object]:
    return {key: value.isoformat() if isinstance(value, date) else value for key, value in values.items()}


# A board is a table with a column per source, and a claim page a card per source: both read well up to a few
# dozen sources and not at all at thousands (a 10,000-source workspace made a 95 MB board).
MAX_SOURCE_COLUMNS = 40


@dataclass(frozen=True)
class SourceColumn:
    """A source as a board column or a claim-page card heads it: its id and label, without its text."""

    id: int
    label: str


# Enough of a text for a label's opening words: the label of an untitled source no longer reads the whole article.
LABEL_OPENING_CHARS = 400


@cache
def _column_heads() -> Any:
    return core_select(
        col(Source.id),
        col(Source.title),
        col(Source.filename),
        func.substr(Source.text, 1, LABEL_OPENING_CHARS),
        func.length(Source.text) > LABEL_OPENING_CHARS,
    )


@cache
def _newest_columns() -> Any:
    return _column_heads().order_by(col(Source.id).desc()).limit(MAX_SOURCE_COLUMNS + 1)


@cache
def _listed_columns() -> Any:
    return _column_heads().where(among_ids(Source.id, "source_ids"))


def column_sources(
    session: Session, also: Iterable[int] = (), *, only_also_when_many: bool = False
) -> list[SourceColumn]:
    """The sources the board shows as columns and the claim page as cards: every source while there are at
    most MAX_SOURCE_COLUMNS, else the newest that many (none with `only_also_when_many`), plus the sources in
    `also`; by id."""
    connection = session.connection()
    newest = list(connection.execute(_newest_columns()).all())
    if len(newest) > MAX_SOURCE_COLUMNS:
        newest = [] if only_also_when_many else newest[:MAX_SOURCE_COLUMNS]
        missing = set(also) - {row[0] for row in newest}
        if missing:
            newest += connection.execute(_listed_columns(), {"source_ids": sorted(missing)}).all()
    heads = [SourceColumn(row[0], source_label(row[1], row[3], row[2], row[0], more=row[4])) for row in newest]
    return sorted(heads, key=lambda head: head.id)


def source_titles(session: Session, source_ids: Iterable[int]) -> dict[int, str | None]:
    """The titles of some sources, in one query, without their texts."""
    return _column_by_id(session, col(Source.title), source_ids)


def source_texts(session: Session, source_ids: Iterable[int]) -> dict[int, str]:
    """The texts of some sources, in one query."""
    return _column_by_id(session, col(Source.text), source_ids)


def _column_by_id(session: Session, column: Any, source_ids: Iterable[int]) -> dict[int, Any]:
    wanted = list(source_ids)
    if not wanted:
        return {}
    rows = session.exec(select(col(Source.id), column).where(col(Source.id).in_(wanted))).all()
    return {source_id: value for source_id, value in rows if source_id is not None}
