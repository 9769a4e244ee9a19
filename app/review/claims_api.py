"""HTTP endpoints for claims as review sees them: the list (filtered by review outcome), the detail with every
decision, creating a claim from a passage, merging, unmerging and splitting. Editing and history are in
app.claims.api."""

import os
import threading
from contextlib import nullcontext
from typing import Annotated

from fastapi import APIRouter, Query, Request, Response
from starlette.concurrency import run_in_threadpool

from app.api.deps import (
    EditorDep,
    ReaderDep,
    ReviewerDep,
    SessionDep,
    bearer_token,
    finish_token_read,
    known_caller,
    raw_token_lookup,
    read_versioned,
)
from app.api.openapi import LIST_404, problem_responses
from app.api.page_cache import PageCache
from app.api.pagination import decode_cursor
from app.api.versions import IfMatch, etag, expected_version
from app.claims import service
from app.claims.fulltext import search_words
from app.claims.listing import CallerQuery, ListQuery, cursor_position, reader_for
from app.claims.schemas import (
    ClaimCreate,
    ClaimMerge,
    ClaimPage,
    ClaimSplit,
    ClaimUnmerge,
)
from app.db import read_engine, version_probe
from app.review import merge
from app.review.board import claims_related_to_source
from app.review.detail import claim_detail
from app.review.schemas import ClaimDetail, ClaimListParams

router = APIRouter(prefix="/claims", tags=["claims"])
# Counting every match costs time in proportion to the workspace; beyond this a list says "at least".
COUNT_LIMIT = 1_000
NOTES = {404: "Unknown claim (or mention, for a split)", 409: "The claim was merged into another: see `merged_into_id`"}
READ_ERRORS = problem_responses(401, 404, 422, notes={404: "Unknown claim"})
CHANGE_ERRORS = problem_responses(400, 401, 403, 404, 409, 412, 413, 422, 428, notes=NOTES)


def _detail(session: SessionDep, claim_id: int, response: Response) -> ClaimDetail:
    detail = claim_detail(session, claim_id)
    response.headers["ETag"] = etag(detail.version)
    return detail


@router.get("", response_model=ClaimPage, responses=problem_responses(401, 404, 422, notes={404: LIST_404}))
async def list_claims(request: Request, params: Annotated[ClaimListParams, Query()]) -> Response:
    """List live (not merged-away) claims, filtered and sorted, one page at a time.

    `total` is exact up to 1,000 matches; beyond that it is 1,000 and `total_exact` is false."""
    q = params.q
    words = search_words(q) if q and q.strip() else None
    if q and q.strip() and words is None:
        return Response(EMPTY_PAGE, media_type="application/json")  # only punctuation: no word to look for
    # The page is the same for every reader, so the key is its inputs; the version says the data is unchanged.
    page = ListQuery(
        verdict=params.verdict,
        status=params.status,
        kind=params.kind,
        source_id=params.source_id,
        conflict=params.conflict,
        q=words,
        sort=params.sort,
        limit=params.limit,
        after=cursor_position(decode_cursor(params.cursor), params.sort),
        count_limit=COUNT_LIMIT,
    )
    return Response(await run_in_threadpool(_serve_page, request, page), media_type="application/json")


# Pages served at an unchanged data version; on PostgreSQL (no version) every request reads afresh.
_pages = PageCache()
EMPTY_PAGE = ClaimPage(items=[], total=0).model_dump_json().encode()


# On SQLite, as many page reads at once as there are cores. A read is a millisecond of Python around a few
# driver calls, each of which lets go of the GIL: a dozen threads doing it at once spent more CPU handing the GIL
# around than reading (2.5 ms a miss under 8 connections, 1.0 ms alone). PostgreSQL reads mostly wait on the
# server, so they are not held back.
_sqlite_page_reads = threading.BoundedSemaphore(os.cpu_count() or 2)


def _serve_page(request: Request, page: ListQuery) -> bytes:
    """The caller's credentials, then the page, in one thread hand-off (each costs more than the cached read).

    Credentials are checked on every request, against the database as it is now, before any cache is looked at."""
    engine = read_engine()
    reader = reader_for(engine, claims_related_to_source)
    secret = bearer_token(request)
    on_sqlite = version_probe() is not None
    if not on_sqlite and secret is not None:
        # PostgreSQL has no data version, so every read is a miss: the token is looked up in the page's own
        # statement.
        lookup = raw_token_lookup(engine.dialect)
        row, body = reader.read_json_for_caller(page, CallerQuery(lookup.sql, lookup.params(secret), lookup.WIDTH))
        finish_token_read(known_caller(lookup.caller_from_row(row)))
        return body
    with _sqlite_page_reads if on_sqlite else nullcontext():
        version = read_versioned(request).version
        cached = _pages.get(version, page)
        if cached is not None:
            return cached
        body = reader.read_json(page)
    _pages.put(version, page, body)
    return body


@router.post(
    "",
    response_model=ClaimDetail,
    status_code=201,
    responses=problem_responses(400, 401, 403, 404, 413, 422, notes={404: "Unknown source"}),
)
def create_claim(body: ClaimCreate, session: SessionDep, actor: ReviewerDep, response: Response) -> ClaimDetail:
    """Create a claim from a passage of a stored source (offsets and/or quote, validated like evidence)."""
    claim = service.create_claim(
        session,
        actor,
        body.source_id,
        start=body.start,
        end=body.end,
        quote=body.quote,
        prefix=body.prefix,
        suffix=body.suffix,
        text=body.text,
        kind=body.kind,
    )
    assert claim.id is not None
    return _detail(session, claim.id, response)


@router.get("/{claim_id}", response_model=ClaimDetail, responses=READ_ERRORS)
def read_claim(claim_id: int, session: SessionDep, _reader: ReaderDep, response: Response) -> ClaimDetail:
    """A claim with mentions, suggestions (origin `suggested`), assessments, adjudications, evidence, verdict
    and a per-source summary. The ETag is the claim's version."""
    return _detail(session, claim_id, response)


@router.post("/{claim_id}/merge", response_model=ClaimDetail, responses=CHANGE_ERRORS)
def merge_claims(
    claim_id: int, body: ClaimMerge, session: SessionDep, actor: EditorDep, response: Response, if_match: IfMatch = None
) -> ClaimDetail:
    """Merge `other_id` into this claim (editor): everything attached moves; the other keeps a tombstone."""
    merge.merge_claims(
        session,
        actor,
        claim_id,
        body.other_id,
        version=expected_version(if_match, body.version),
        other_version=body.other_version,
    )
    return _detail(session, claim_id, response)


@router.post("/{claim_id}/unmerge", response_model=ClaimDetail, responses=CHANGE_ERRORS)
def unmerge_claims(
    claim_id: int,
    body: ClaimUnmerge,
    session: SessionDep,
    actor: EditorDep,
    response: Response,
    if_match: IfMatch = None,
) -> ClaimDetail:
    """Undo the merge of `other_id` into this claim (editor): what moved goes back, duplicates the merge dropped
    are restored, the other claim lives again; returns the restored claim."""
    merge.unmerge_claims(session, actor, claim_id, body.other_id, version=expected_version(if_match, body.version))
    return _detail(session, body.other_id, response)


@router.post("/{claim_id}/split", response_model=ClaimDetail, status_code=201, responses=CHANGE_ERRORS)
def split_claim(
    claim_id: int, body: ClaimSplit, session: SessionDep, actor: EditorDep, response: Response, if_match: IfMatch = None
) -> ClaimDetail:
    """Move one mention into a new claim (editor); returns the new claim."""
    new_claim = merge.split_mention(
        session, actor, claim_id, body.mention_id, version=expected_version(if_match, body.version), text=body.text
    )
    assert new_claim.id is not None
    return _detail(session, new_claim.id, response)
