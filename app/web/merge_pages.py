"""Merging from the claim page asks first (both claims side by side); a merge can be undone from the claim page."""

from typing import Annotated

from fastapi import APIRouter, Form, Request
from sqlmodel import Session, col, select
from starlette.responses import RedirectResponse, Response

from app.api.deps import SessionDep
from app.claims.models import Claim
from app.claims.service import get_live_claim
from app.errors import DomainError
from app.review.detail import claim_detail
from app.review.merge import merge_event, unmerge_claims
from app.web.actions import refused
from app.web.deps import PageEditor, WebRoute
from app.web.security import CsrfDep
from app.web.templating import flash, render

router = APIRouter(route_class=WebRoute)


def undoable_merges(session: Session, claim_id: int) -> list[Claim]:
    """Claims merged straight into this one whose merge is on record, so it can be undone."""
    merged = session.exec(select(Claim).where(Claim.merged_into_id == claim_id).order_by(col(Claim.id))).all()
    return [claim for claim in merged if claim.id is not None and merge_event(session, claim_id, claim.id)]


@router.get("/claims/{claim_id}/merge")
def confirm_merge(
    request: Request, claim_id: int, session: SessionDep, actor: PageEditor, other_id: str = ""
) -> Response:
    """The step before a merge: both claims as they stand, and what moving one into the other means."""
    if not other_id.strip().isdigit() or int(other_id) == claim_id:
        flash(request, "Pick another claim to merge into this one.", "error")
        return RedirectResponse(f"/claims/{claim_id}#merge", status_code=303)
    get_live_claim(session, claim_id)
    try:
        get_live_claim(session, int(other_id))
    except DomainError as error:
        flash(request, f"Not merged: {error.detail}", "error")
        return RedirectResponse(f"/claims/{claim_id}#merge", status_code=303)
    return render(
        request,
        "merge_confirm.html",
        actor,
        session=session,
        target=claim_detail(session, claim_id),
        other=claim_detail(session, int(other_id)),
    )


@router.post("/claims/{claim_id}/unmerge")
def unmerge(
    request: Request,
    claim_id: int,
    session: SessionDep,
    actor: PageEditor,
    _csrf: CsrfDep,
    other_id: Annotated[str, Form()] = "",
    version: Annotated[str, Form()] = "",
) -> Response:
    if not other_id.strip().isdigit():
        flash(request, "Choose the merge to undo.", "error")
        return RedirectResponse(f"/claims/{claim_id}", status_code=303)
    try:
        unmerge_claims(
            session, actor, claim_id, int(other_id), version=int(version) if version.strip().isdigit() else None
        )
    except DomainError as error:
        return refused(
            request,
            session,
            error,
            f"/claims/{claim_id}",
            failed="Not undone",
            stale="Not undone: this claim changed since you opened it; check it and retry.",
        )
    flash(
        request, f"Merge undone: claim #{other_id} is back with its own mentions, assessments and evidence.", "success"
    )
    return RedirectResponse(f"/claims/{other_id}", status_code=303)
