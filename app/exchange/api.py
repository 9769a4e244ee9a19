"""The export endpoint: the whole workspace in one of the supported formats."""

from typing import Annotated, Literal

from fastapi import APIRouter, Query, Response

from app.api.deps import ReaderDep, SessionDep
from app.exchange.export import export_json

router = APIRouter(tags=["export"])


@router.get("/export", response_class=Response,
            responses={200: {"content": {"application/json": {}}, "description": "The workspace document"}})
def export_workspace(session: SessionDep, _reader: ReaderDep,
                     format: Annotated[Literal["json"], Query(description="Export format")] = "json") -> Response:
    return Response(export_json(session), media_type="application/json")
