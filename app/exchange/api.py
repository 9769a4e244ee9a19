"""The export endpoint: the workspace as JSON or CSV, or ClaimReview JSON-LD, for all claims or the board's filter."""

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Response
from sqlmodel import Session

from app.api.deps import ReaderDep, SessionDep
from app.api.openapi import problem_responses
from app.claims import service as claims
from app.exchange.claimreview import export_claimreview
from app.exchange.export import export_json
from app.exchange.tabular import export_csv
from app.review.board import claims_related_to_source

router = APIRouter(tags=["export"])
# Far above any desk's claim count; the filter only narrows what is exported.
MAX_FILTERED = 1_000_000


def filtered_claim_ids(session: Session, filters: dict[str, Any]) -> list[int] | None:
    """Ids of the live claims matching the board's filters, or None when no filter is set (everything)."""
    if all(value is None for value in filters.values()):
        return None
    found, _total, _next = claims.list_claims(session, **filters, limit=MAX_FILTERED)
    return [claim.id for claim in found if claim.id is not None]


@router.get(
    "/export",
    response_class=Response,
    responses={
        200: {
            "content": {"application/json": {}, "text/csv": {}, "application/ld+json": {}},
            "description": "json: the workspace document; csv: one row per claim × related source; "
            "claimreview: schema.org ClaimReview JSON-LD of published ratings (one object with claim_id, "
            "else a list)",
        },
        **problem_responses(
            401,
            404,
            422,
            notes={
                404: "A `claim_id` that names no claim, or (claimreview) one without "
                "a published rating (a rating at all, with include_drafts)"
            },
        ),
    },
)
def export_workspace(
    session: SessionDep,
    _reader: ReaderDep,
    format: Annotated[Literal["json", "csv", "claimreview"], Query(description="Export format")] = "json",
    claim_id: Annotated[int | None, Query(description="Just this claim")] = None,
    include_drafts: Annotated[bool, Query(description="claimreview: draft ratings too")] = False,
    verdict: Annotated[str | None, Query(description="The board's filters: only matching claims")] = None,
    status: str | None = None,
    kind: str | None = None,
    source: int | None = None,
    conflict: Annotated[Literal["yes", "no"] | None, Query()] = None,
    q: str | None = None,
) -> Response:
    """Export the workspace; the whole JSON form can be imported into an empty database (`crosscheck import`)."""
    if claim_id is not None:
        claims.get_claim(session, claim_id)
        claim_ids: list[int] | None = [claim_id]
    else:
        claim_ids = filtered_claim_ids(
            session,
            {
                "verdict": verdict or None,
                "status": status or None,
                "kind": kind or None,
                "among": claims_related_to_source(source) if source is not None else None,
                "conflict": {"yes": True, "no": False}.get(conflict or ""),
                "q": (q or "").strip() or None,
            },
        )
    if format == "csv":
        return Response(
            export_csv(session, claim_ids),
            media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": 'attachment; filename="crosscheck.csv"'},
        )
    if format == "claimreview":
        text = (
            export_claimreview(session, claim_id, include_drafts=include_drafts)
            if claim_id is not None
            else export_claimreview(session, claim_ids=claim_ids, include_drafts=include_drafts)
        )
        return Response(
            text,
            media_type="application/ld+json",
            headers={"Content-Disposition": 'attachment; filename="claimreview.jsonld"'},
        )
    return Response(export_json(session, claim_ids), media_type="application/json")
