"""Queue extraction work: on demand, and after a new source is ingested."""

from sqlmodel import Session, col, select

from app.auth.actor import Actor
from app.config import get_settings
from app.errors import NotFound
from app.extraction import pipeline  # noqa: F401  (registers the `extract` job handler)
from app.jobs.models import Job
from app.jobs.service import enqueue
from app.sources.models import Source, SourceMetadata
from app.sources.service import ingest_text


def start_extraction(session: Session, actor: Actor, source_ids: list[int]) -> Job:
    if source_ids:
        known = set(session.exec(select(Source.id).where(col(Source.id).in_(source_ids))).all())
        missing = sorted(set(source_ids) - known)
        if missing:
            raise NotFound(f"No source with id {', '.join(map(str, missing))}.")
    return enqueue(session, "extract", actor, {"source_ids": sorted(set(source_ids))})


def ingest_and_extract(
    session: Session,
    raw_text: str,
    actor: Actor,
    *,
    filename: str | None = None,
    metadata: SourceMetadata | None = None,
) -> tuple[Source, bool, Job | None]:
    """Ingest a source; a new one joins today's claims through a background extraction job
    (unless the deployment turned that off). Every ingestion entry point of the app calls this."""
    source, created = ingest_text(session, raw_text, actor, filename=filename, metadata=metadata)
    if not created or not get_settings().extract_on_ingest:
        return source, created, None
    assert source.id is not None
    return source, created, start_extraction(session, actor, [source.id])
