"""The claims board: one row per claim, one column per source, filters, sorting, paging and progress."""

from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request
from starlette.responses import Response

from app.api.deps import SessionDep
from app.api.pagination import decode_cursor, encode_cursor
from app.claims import service as claims
from app.claims.board import decisions_for_claims, review_progress
from app.claims.models import CLAIM_KINDS, REVIEW_STATUSES, VERDICTS
from app.errors import InvalidInput
from app.sources.service import all_sources
from app.web.deps import PageActor, WebRoute
from app.web.templating import render

router = APIRouter(route_class=WebRoute)
SORT_LABELS = {"id": "Oldest first", "-id": "Newest first", "-updated_at": "Recently changed",
               "updated_at": "Least recently changed"}
PAGE_SIZES = (25, 50, 100)


def _choice(value: str | None, allowed: tuple[str, ...] | list[str], field: str) -> str | None:
    if not value:
        return None
    if value not in allowed:
        raise InvalidInput(f"Unknown {field} {value!r}.", errors=[{"field": field, "message": "unknown value"}])
    return value


@router.get("/")
def board(
    request: Request, session: SessionDep, actor: PageActor,
    verdict: str = "", status: str = "", kind: str = "", source: str = "", conflict: str = "", q: str = "",
    sort: str = "id", cursor: str = "", limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> Response:
    sort = _choice(sort, list(SORT_LABELS), "sort") or "id"
    page, total, next_position = claims.list_claims(
        session, verdict=_choice(verdict, VERDICTS, "verdict"), status=_choice(status, REVIEW_STATUSES, "status"),
        kind=_choice(kind, CLAIM_KINDS, "kind"), source_id=int(source) if source.isdigit() else None,
        conflict={"yes": True, "no": False}.get(conflict), q=q.strip() or None,
        sort=sort, limit=limit, after=decode_cursor(cursor))
    sources = all_sources(session)
    ids = [c.id for c in page if c.id is not None]
    query: dict[str, Any] = {"verdict": verdict, "status": status, "kind": kind, "source": source,
                             "conflict": conflict, "q": q, "sort": sort, "limit": limit}
    kept = {key: value for key, value in query.items() if value not in ("", None)}
    return render(
        request, "board.html", actor, claims=page, total=total, sources=sources,
        decisions=decisions_for_claims(session, ids), progress=review_progress(session),
        filters=query, search_text=q, sort_labels=SORT_LABELS, page_sizes=PAGE_SIZES,
        verdicts=VERDICTS, statuses=REVIEW_STATUSES, kinds=CLAIM_KINDS, paged=bool(cursor),
        next_url=f"/?{urlencode({**kept, 'cursor': encode_cursor(next_position)})}" if next_position else None,
        first_url=f"/?{urlencode(kept)}",
    )
