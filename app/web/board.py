"""The claims board: one row per claim, one column per source, filters, sorting, paging and progress."""

from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request
from starlette.responses import Response

from app.api.deps import SessionDep
from app.api.pagination import decode_cursor, encode_cursor
from app.claims import service as claims
from app.errors import InvalidInput
from app.newsroom import assignments
from app.review.board import cells_for_claims, claims_related_to_source, review_progress
from app.review.match_suggestions import board_matches
from app.sources.service import column_sources
from app.vocabulary import SORT_LABELS, ClaimKind, ClaimSort, ReviewStatus, Verdict
from app.web.deps import PageActor, WebRoute
from app.web.templating import render

router = APIRouter(route_class=WebRoute)
PAGE_SIZES = (25, 50, 100)
BOARD_VIEW_KEY = "board_view"
BOARD_FILTER_KEYS = ("verdict", "status", "kind", "source", "conflict", "q")
# The board offers an undo for the last suggested match decided there (kept until the board is next shown).
BOARD_UNDO_KEY = "board_match_undo"
# Counting every match costs time in proportion to the workspace; beyond this the board says "1,000+".
COUNT_LIMIT = 1_000


def _choice(value: str | None, allowed: tuple[str, ...] | list[str], field: str) -> str | None:
    if not value:
        return None
    if value not in allowed:
        raise InvalidInput(f"Unknown {field} {value!r}.", errors=[{"field": field, "message": "unknown value"}])
    return value


def board_filters(
    *, verdict: str = "", status: str = "", kind: str = "", source: str = "", conflict: str = "", q: str = ""
) -> dict[str, Any]:
    """The board's filter parameters as `list_claims` takes them; an unknown value is refused."""
    return {
        "verdict": _choice(verdict, Verdict.values(), "verdict"),
        "status": _choice(status, ReviewStatus.values(), "status"),
        "kind": _choice(kind, ClaimKind.values(), "kind"),
        "among": claims_related_to_source(int(source)) if source.isdigit() else None,
        "conflict": {"yes": True, "no": False}.get(conflict),
        "q": q.strip() or None,
    }


@router.get("/")
def board(
    request: Request,
    session: SessionDep,
    actor: PageActor,
    verdict: str = "",
    status: str = "",
    kind: str = "",
    source: str = "",
    conflict: str = "",
    q: str = "",
    sort: str = "id",
    cursor: str = "",
    before: str = "",
    page: Annotated[int, Query(ge=1)] = 1,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> Response:
    """`cursor` pages forward (claims after it), `before` back (claims before it); `page` is only shown."""
    sort = _choice(sort, ClaimSort.values(), "sort") or ClaimSort.OLDEST
    filters = board_filters(verdict=verdict, status=status, kind=kind, source=source, conflict=conflict, q=q)
    rows: list[Any] = []
    later: dict[str, Any] | None = None
    earlier = False
    backwards = decode_cursor(before, "before")
    if backwards is not None:
        rows, total, further_back = claims.list_claims(
            session, **filters, sort=sort, limit=limit, before=backwards, count_limit=COUNT_LIMIT + 1
        )
        earlier = further_back is not None
        if rows:
            later = claims.page_position(rows[-1], sort)  # the claim the `before` cursor named comes next
        if not earlier and len(rows) < limit:
            backwards = None  # back at the start and short: show a full first page instead
    if backwards is None:
        forwards = decode_cursor(cursor)
        # One claim more than shown tells whether a next page exists, so "Next" never leads to an empty page.
        rows, total, _next = claims.list_claims(
            session, **filters, sort=sort, limit=limit + 1, after=forwards, count_limit=COUNT_LIMIT + 1
        )
        later = claims.page_position(rows[limit - 1], sort) if len(rows) > limit else None
        rows, earlier = rows[:limit], forwards is not None
    page = max(page, 2) if earlier else 1
    sources = column_sources(session, also=[int(source)] if source.isdigit() else [])
    ids = [c.id for c in rows if c.id is not None]
    query: dict[str, Any] = {
        "verdict": verdict,
        "status": status,
        "kind": kind,
        "source": source,
        "conflict": conflict,
        "q": q,
        "sort": sort,
        "limit": limit,
    }
    kept = {key: value for key, value in query.items() if value not in ("", None)}
    # The claim page's previous/next (and j/k there) walk the claims in the order and filter last seen here.
    request.session[BOARD_VIEW_KEY] = {key: value for key, value in kept.items() if key != "limit"}

    def link(**position: Any) -> str:
        return f"/?{urlencode({**kept, **position})}"

    first = (page - 1) * limit + 1
    matches = board_matches(session, ids)
    return render(
        request,
        "board.html",
        actor,
        session=session,
        claims=rows,
        total=min(total, COUNT_LIMIT),
        total_label=f"{total}" if total <= COUNT_LIMIT else f"{COUNT_LIMIT:,}+",
        sources=sources,
        cells=cells_for_claims(session, ids),
        progress=review_progress(session, [source.id for source in sources if source.id is not None]),
        filters=query,
        search_text=q,
        sort_labels=SORT_LABELS,
        page_sizes=sorted({*PAGE_SIZES, limit}),
        verdicts=Verdict.values(),
        statuses=ReviewStatus.values(),
        kinds=ClaimKind.values(),
        page=page,
        first_shown=first if rows else 0,
        last_shown=first + len(rows) - 1,
        next_url=link(cursor=encode_cursor(later), page=page + 1) if later else None,
        previous_url=(
            link(before=encode_cursor(claims.page_position(rows[0], sort)), page=page - 1) if earlier and rows else None
        ),
        first_url=link() if page > 1 else None,
        assignable=assignments.reviewers(session),
        match_counts=matches.counts,
        top_matches=matches.best,
        match_undo=request.session.pop(BOARD_UNDO_KEY, None),
        board_url=request.url.path + (f"?{request.url.query}" if request.url.query else ""),
    )
