"""What reviewers and editors do from the claim page: assess or withdraw, adjudicate, create/edit/merge/split claims."""

from typing import Any
from urllib.parse import urlsplit

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from starlette.responses import Response

from app.api.deps import SessionDep
from app.auth.actor import Actor
from app.claims import service as claims
from app.errors import DomainError, StaleVersion
from app.review import service as review
from app.review.board import review_progress
from app.review.merge import merge_claims, split_mention
from app.web.actions import Text, back_to_claim, form_version, refused
from app.web.claim_pages import board_row_context, render_claim
from app.web.deps import PageEditor, PageReviewer, WebRoute, safe_next, wants_json
from app.web.security import CsrfDep, csrf_token
from app.web.templating import STANCE_LABELS, can, templates

router = APIRouter(route_class=WebRoute)


@router.post("/claims/{claim_id}/sources/{source_id}/assessment")
def assess(
    request: Request,
    claim_id: int,
    source_id: int,
    session: SessionDep,
    actor: PageReviewer,
    _csrf: CsrfDep,
    stance: Text,
    note: Text = "",
    version: Text = "",
) -> Response:
    try:
        review.set_assessment(session, actor, claim_id, source_id, stance, note.strip(), form_version(version))
    except StaleVersion:
        if wants_json(request):
            raise
        return back_to_claim(
            request,
            claim_id,
            "Not saved: your assessment of this source changed in another tab or "
            "window since this page was loaded. The current state is shown below; choose again.",
            "conflict",
            f"#source-{source_id}",
        )
    message = f"S{source_id}: {STANCE_LABELS.get(stance, stance).lower()} recorded."
    if wants_json(request):
        return JSONResponse(_board_update(session, claim_id, request, actor) | {"message": message})
    return back_to_claim(request, claim_id, message, anchor=f"#source-{source_id}")


@router.post("/claims/{claim_id}/sources/{source_id}/assessment/withdraw")
def withdraw(
    request: Request,
    claim_id: int,
    source_id: int,
    session: SessionDep,
    actor: PageReviewer,
    _csrf: CsrfDep,
    version: Text = "",
) -> Response:
    """A reviewer takes back their own assessment; the verdict is recomputed without it."""
    try:
        review.delete_assessment(session, actor, claim_id, source_id, form_version(version))
    except DomainError as error:
        return refused(
            request,
            session,
            error,
            f"/claims/{claim_id}#source-{source_id}",
            failed="Not withdrawn",
            stale="Not withdrawn: your assessment of this source changed in another tab or window since "
            "this page was loaded. The current state is shown below.",
        )
    return back_to_claim(
        request, claim_id, f"S{source_id}: your assessment was withdrawn.", anchor=f"#source-{source_id}"
    )


def _board_update(session: SessionDep, claim_id: int, request: Request, actor: Actor) -> dict[str, Any]:
    referer = urlsplit(request.headers.get("referer", ""))
    board_url = safe_next(referer.path + (f"?{referer.query}" if referer.query else ""))
    # the row's own forms (a suggested match's accept / reject) need what a full page render would give them
    context = board_row_context(session, claim_id) | {
        "can_edit": can(actor, "editor"),
        "csrf_token": csrf_token(request),
        "board_url": board_url,
    }
    sources = context["sources"]
    summary = templates.get_template("_board_summary.html").render(
        progress=review_progress(session, [source.id for source in sources]), sources=sources
    )
    return {
        "row_html": templates.get_template("_board_row.html").render(context),
        "summary_html": summary,
        "verdict": context["claim"].verdict,
    }


@router.post("/claims/{claim_id}/sources/{source_id}/adjudication")
def adjudicate(
    request: Request,
    claim_id: int,
    source_id: int,
    session: SessionDep,
    actor: PageEditor,
    _csrf: CsrfDep,
    stance: Text,
    note: Text = "",
    version: Text = "",
) -> Response:
    try:
        review.adjudicate(session, actor, claim_id, source_id, stance, note.strip(), form_version(version))
    except StaleVersion:
        return back_to_claim(
            request,
            claim_id,
            "Not saved: another editor adjudicated this source since the page was "
            "loaded. Their decision is shown below.",
            "conflict",
            f"#source-{source_id}",
        )
    return back_to_claim(
        request,
        claim_id,
        f"S{source_id} adjudicated: {STANCE_LABELS.get(stance, stance).lower()}.",
        anchor=f"#source-{source_id}",
    )


@router.post("/sources/{source_id}/claims")
def create_from_selection(
    request: Request,
    source_id: int,
    session: SessionDep,
    actor: PageReviewer,
    _csrf: CsrfDep,
    start: Text = "",
    end: Text = "",
    quote: Text = "",
    text: Text = "",
    kind: Text = "statement",
) -> Response:
    try:
        claim = claims.create_claim(
            session,
            actor,
            source_id,
            start=int(start) if start.isdigit() else None,
            end=int(end) if end.isdigit() else None,
            quote=quote or None,
            text=text.strip() or None,
            kind=kind,
        )
    except DomainError as error:
        return refused(request, session, error, f"/sources/{source_id}", failed="Claim not created")
    assert claim.id is not None
    return back_to_claim(request, claim.id, f"Claim #{claim.id} created from S{source_id}.")


@router.post("/claims/{claim_id}/edit")
def edit(
    request: Request,
    claim_id: int,
    session: SessionDep,
    actor: PageEditor,
    _csrf: CsrfDep,
    text: Text,
    kind: Text = "",
    version: Text = "",
) -> Response:
    try:
        claims.edit_claim(session, actor, claim_id, version=form_version(version), text=text, kind=kind or None)
    except StaleVersion:
        session.rollback()
        return render_claim(
            request,
            session,
            actor,
            claim_id,
            status_code=409,
            conflict={
                "message": "Not saved: someone changed this claim since you opened it. Their version is shown "
                "below; your text is kept in the box so you can reapply it.",
                "text": text,
            },
        )
    return back_to_claim(request, claim_id, "Claim text saved.")


@router.post("/claims/{claim_id}/merge")
def merge(
    request: Request,
    claim_id: int,
    session: SessionDep,
    actor: PageEditor,
    _csrf: CsrfDep,
    other_id: Text = "",
    version: Text = "",
) -> Response:
    if not other_id.strip().isdigit():
        return back_to_claim(request, claim_id, "Pick the claim to merge into this one.", "error", "#merge")
    try:
        merge_claims(session, actor, claim_id, int(other_id), version=form_version(version))
    except DomainError as error:
        return refused(
            request,
            session,
            error,
            f"/claims/{claim_id}#merge",
            failed="Not merged",
            stale="Not merged: this claim changed since you opened it; check it and retry.",
            stale_url=f"/claims/{claim_id}",
        )
    return back_to_claim(
        request,
        claim_id,
        f"Claim #{other_id} merged into this claim; its mentions, assessments and evidence are here now.",
    )


@router.post("/claims/{claim_id}/split")
def split(
    request: Request,
    claim_id: int,
    session: SessionDep,
    actor: PageEditor,
    _csrf: CsrfDep,
    mention_id: Text,
    text: Text = "",
    version: Text = "",
) -> Response:
    if not mention_id.isdigit():
        return back_to_claim(request, claim_id, "Choose the mention to split off.", "error")
    try:
        new_claim = split_mention(
            session, actor, claim_id, int(mention_id), version=form_version(version), text=text.strip() or None
        )
    except DomainError as error:
        return refused(
            request,
            session,
            error,
            f"/claims/{claim_id}",
            failed="Not split",
            stale="Not split: this claim changed since you opened it; check it and retry.",
        )
    return back_to_claim(request, new_claim.id or claim_id, f"Split off from claim #{claim_id} as a new claim.")
