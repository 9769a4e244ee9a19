"""HTTP endpoints for sources: ingest by JSON or upload, list, read."""

from typing import Annotated, Any

from fastapi import APIRouter, File, Query, Response, UploadFile, status

from app.api.deps import EditorDep, ReaderDep, SessionDep
from app.api.openapi import LIST_404, problem_responses
from app.api.pagination import cursor_id, next_id_cursor
from app.api.versions import IfMatchHeader, etag, expected_version
from app.jobs.models import Job
from app.sources import service
from app.sources.ingest import ingest_and_extract
from app.sources.models import Source, SourceMetadata
from app.sources.schemas import (
    IngestResult,
    SourceCreate,
    SourceDetail,
    SourcePage,
    SourcePublic,
    SourceUpdate,
)

router = APIRouter(prefix="/sources", tags=["sources"])
ALREADY_STORED: dict[int | str, dict[str, Any]] = {
    200: {"model": IngestResult, "description": "The same content was already stored"}
}


def _ingested(result: tuple[Source, bool, Job | None], response: Response) -> IngestResult:
    source, created, job = result
    response.status_code = status.HTTP_201_CREATED if created else status.HTTP_200_OK
    return IngestResult(created=created, source=service.to_public(source), extraction_job_id=job.id if job else None)


@router.post(
    "",
    response_model=IngestResult,
    status_code=201,
    responses={**ALREADY_STORED, **problem_responses(400, 401, 403, 413, 422)},
)
def create_source(body: SourceCreate, session: SessionDep, actor: EditorDep, response: Response) -> IngestResult:
    """Ingest a source from text; the same content twice returns the stored source (200), not a copy.

    A new source is queued for extraction: poll `/api/v1/jobs/{extraction_job_id}`."""
    metadata = SourceMetadata.model_validate(body.model_dump(exclude={"text", "filename"}))
    return _ingested(ingest_and_extract(session, body.text, actor, filename=body.filename, metadata=metadata), response)


@router.post(
    "/upload",
    response_model=IngestResult,
    status_code=201,
    responses={
        **ALREADY_STORED,
        **problem_responses(400, 401, 403, 413, 415, 422, notes={415: "Not a UTF-8 .txt or .md file"}),
    },
)
def upload_source(
    file: Annotated[UploadFile, File(description="A .txt or .md file, UTF-8")],
    session: SessionDep,
    actor: EditorDep,
    response: Response,
) -> IngestResult:
    """Ingest an uploaded .txt or .md file (UTF-8); like `POST /sources`, the same content twice is stored once."""
    # A plain `def` route runs in the thread pool, so reading the spooled upload and the commits block no one.
    raw = service.decode_upload(file.file.read(), file.filename)
    return _ingested(ingest_and_extract(session, raw, actor, filename=file.filename), response)


@router.get("", response_model=SourcePage, responses=problem_responses(401, 404, 422, notes={404: LIST_404}))
def list_sources(
    session: SessionDep, _reader: ReaderDep, limit: Annotated[int, Query(ge=1, le=500)] = 50, cursor: str | None = None
) -> SourcePage:
    """Stored sources in the order they were ingested, one page at a time."""
    sources, total = service.list_sources(session, limit=limit, after_id=cursor_id(cursor))
    return SourcePage(
        items=[service.to_public(s) for s in sources], total=total, next_cursor=next_id_cursor(sources, limit)
    )


@router.get(
    "/{source_id}",
    response_model=SourceDetail,
    responses=problem_responses(401, 404, 422, notes={404: "Unknown source"}),
)
def read_source(source_id: int, session: SessionDep, _reader: ReaderDep, response: Response) -> SourceDetail:
    """One source with its metadata and normalised text, which evidence offsets point into. The ETag is the version
    of its details, to send as If-Match when correcting them."""
    source = service.get_source(session, source_id)
    response.headers["ETag"] = etag(source.version)
    return SourceDetail.model_validate(source, update={"text_length": len(source.text)})


@router.patch(
    "/{source_id}",
    response_model=SourcePublic,
    responses=problem_responses(400, 401, 403, 404, 412, 413, 422, notes={404: "Unknown source"}),
)
def update_source(
    source_id: int,
    body: SourceUpdate,
    session: SessionDep,
    actor: EditorDep,
    response: Response,
    if_match: IfMatchHeader = None,
) -> SourcePublic:
    """Correct a source's metadata (editors); only the fields sent change, `null` or `""` clears one.

    The text cannot change: evidence offsets point into it. Each change is in the audit log (`source.edited`).
    Send the ETag you read as If-Match, so a correction another editor saved meanwhile is not undone unseen."""
    source = service.update_metadata(session, actor, source_id, body, expected_version(if_match, None))
    response.headers["ETag"] = etag(source.version)
    return service.to_public(source)
