"""The export endpoint: the whole workspace as JSON or CSV, or ClaimReview JSON-LD (one claim or all)."""

from typing import Annotated, Literal

from fastapi import APIRouter, Query, Response

from app.api.deps import ReaderDep, SessionDep
from app.api.openapi import problem_responses
from app.exchange.claimreview import export_claimreview
from app.exchange.export import export_json
from app.exchange.tabular import export_csv

router = APIRouter(tags=["export"])


@router.get("/export", response_class=Response, responses={200: {
    "content": {"application/json": {}, "text/csv": {}, "application/ld+json": {}},
    "description": "json: the workspace document; csv: one row per claim × related source; "
                   "claimreview: schema.org ClaimReview JSON-LD (one object with claim_id, else a list)"},
    **problem_responses(401, 404, 422, notes={404: "claimreview with a `claim_id` that names no claim"})})
def export_workspace(
    session: SessionDep, _reader: ReaderDep,
    format: Annotated[Literal["json", "csv", "claimreview"], Query(description="Export format")] = "json",
    claim_id: Annotated[int | None, Query(description="claimreview only: just this claim")] = None,
) -> Response:
    """Export the workspace; the JSON form can be imported into an empty database (`crosscheck import`)."""
    if format == "csv":
        return Response(export_csv(session), media_type="text/csv; charset=utf-8",
                        headers={"Content-Disposition": 'attachment; filename="crosscheck.csv"'})
    if format == "claimreview":
        return Response(export_claimreview(session, claim_id), media_type="application/ld+json")
    return Response(export_json(session), media_type="application/json")
