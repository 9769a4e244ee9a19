"""Ingestion's single entry point: store a source, then queue extraction for it when it is new."""

from sqlmodel import Session

from app.auth.actor import Actor
from app.config import get_settings
from app.extraction.enqueue import start_extraction
from app.jobs.models import Job
from app.sources.models import Source, SourceMetadata
from app.sources.service import ingest_text


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
