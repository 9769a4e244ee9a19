"""The job queueing entry of extraction: check the sources exist and queue an `extract` job for them."""

from sqlmodel import Session, col, select

from app.auth.actor import Actor
from app.errors import NotFound
from app.extraction import store  # noqa: F401  (registers the `extract` job handler)
from app.jobs.models import Job
from app.jobs.service import enqueue
from app.sources.models import Source


def start_extraction(session: Session, actor: Actor, source_ids: list[int]) -> Job:
    if source_ids:
        known = set(session.exec(select(Source.id).where(col(Source.id).in_(source_ids))).all())
        missing = sorted(set(source_ids) - known)
        if missing:
            raise NotFound(f"No source with id {', '.join(map(str, missing))}.")
    return enqueue(session, "extract", actor, {"source_ids": sorted(set(source_ids))})
