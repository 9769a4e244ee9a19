"""Newsroom pages and forms: my queue, notifications, assigning (one claim or the board's selection),
the discussion thread, and the editor's rating with its publish step."""

from typing import Annotated

from fastapi import APIRouter, Form, Request
from starlette.responses import RedirectResponse, Response

from app.api.deps import SessionDep
from app.errors import DomainError
from app.newsroom import assignments, notes, notifications, ratings
from app.web.actions import Text, attempt, back_to_claim, form_version, redirect_with, refused
from app.web.deps import PageActor, PageEditor, PageReviewer, WebRoute, safe_next
from app.web.security import CsrfDep
from app.web.templating import render

router = APIRouter(route_class=WebRoute)
Ids = Annotated[list[str], Form()]


def _ids(values: list[str]) -> list[int]:
    return [int(value) for value in values if value.strip().isdigit()]


@router.get("/queue")
def my_queue(request: Request, session: SessionDep, actor: PageActor) -> Response:
    items = assignments.queue(session, actor.user_id) if actor.user_id is not None else []
    return render(request, "queue.html", actor, session=session, items=items)


@router.get("/notifications")
def my_notifications(request: Request, session: SessionDep, actor: PageActor) -> Response:
    items = notifications.list_notifications(session, actor.user_id) if actor.user_id is not None else []
    return render(request, "notifications.html", actor, session=session, items=items)


@router.post("/notifications/read")
def read_all(request: Request, session: SessionDep, actor: PageActor, _csrf: CsrfDep) -> Response:
    if actor.user_id is not None:
        notifications.mark_read(session, actor.user_id)
    return RedirectResponse("/notifications", status_code=303)


@router.post("/assignments")
def assign_selection(
    request: Request,
    session: SessionDep,
    actor: PageEditor,
    _csrf: CsrfDep,
    claim_id: Ids = [],  # noqa: B006  (FastAPI copies a form default per request)
    user_id: Ids = [],  # noqa: B006
    next: Text = "/",
) -> Response:
    """The board's bulk form: every selected claim to every chosen reviewer."""
    back = safe_next(next)
    try:
        created = assignments.assign_claims(session, actor, _ids(claim_id), _ids(user_id))
    except DomainError as error:
        return refused(request, session, error, back, failed="Not assigned")
    claims_count = len(set(_ids(claim_id)))
    return redirect_with(
        request,
        back,
        f"{len(created)} new assignment{'' if len(created) == 1 else 's'} for "
        f"{claims_count} claim{'' if claims_count == 1 else 's'}.",
    )


@router.post("/claims/{claim_id}/assign")
def assign_claim(
    request: Request,
    claim_id: int,
    session: SessionDep,
    actor: PageEditor,
    _csrf: CsrfDep,
    user_id: Ids = [],  # noqa: B006  (FastAPI copies a form default per request)
) -> Response:
    try:
        created = assignments.assign_claims(session, actor, [claim_id], _ids(user_id))
    except DomainError as error:
        return refused(request, session, error, f"/claims/{claim_id}#assignment", failed="Not assigned")
    names = {u.id: u.name for u in assignments.reviewers(session)}
    who = ", ".join(names.get(a.user_id, "?") for a in created) or "nobody new"
    return back_to_claim(request, claim_id, f"Assigned to {who}.", anchor="#assignment")


@router.post("/claims/{claim_id}/assignments/{user_id}/remove")
def unassign(
    request: Request, claim_id: int, user_id: int, session: SessionDep, actor: PageEditor, _csrf: CsrfDep
) -> Response:
    return attempt(
        request,
        session,
        lambda: assignments.unassign(session, actor, claim_id, user_id),
        f"/claims/{claim_id}#assignment",
        done="Assignment removed.",
        failed="Not changed",
    )


@router.post("/claims/{claim_id}/notes")
def add_note(
    request: Request, claim_id: int, session: SessionDep, actor: PageReviewer, _csrf: CsrfDep, body: Text = ""
) -> Response:
    try:
        note = notes.add_note(session, actor, claim_id, body)
    except DomainError as error:
        return refused(request, session, error, f"/claims/{claim_id}#thread", failed="Note not added")
    return back_to_claim(request, claim_id, "Note added.", anchor=f"#note-{note.id}")


@router.post("/notes/{note_id}/edit")
def edit_note(
    request: Request,
    note_id: int,
    session: SessionDep,
    actor: PageReviewer,
    _csrf: CsrfDep,
    body: Text = "",
    version: Text = "",
) -> Response:
    note = notes.get_note(session, note_id)
    return attempt(
        request,
        session,
        lambda: notes.edit_note(session, actor, note_id, body, form_version(version)),
        f"/claims/{note.claim_id}#note-{note_id}",
        done="Note saved.",
        failed="Note not saved",
    )


@router.post("/notes/{note_id}/delete")
def delete_note(
    request: Request, note_id: int, session: SessionDep, actor: PageReviewer, _csrf: CsrfDep, version: Text = ""
) -> Response:
    note = notes.get_note(session, note_id)
    return attempt(
        request,
        session,
        lambda: notes.delete_note(session, actor, note_id, form_version(version)),
        f"/claims/{note.claim_id}#thread",
        done="Note deleted.",
        failed="Note not deleted",
    )


@router.post("/claims/{claim_id}/rating")
def rate(
    request: Request,
    claim_id: int,
    session: SessionDep,
    actor: PageEditor,
    _csrf: CsrfDep,
    rating: Text = "",
    rationale: Text = "",
    version: Text = "",
) -> Response:
    return attempt(
        request,
        session,
        lambda: ratings.set_rating(session, actor, claim_id, rating, rationale, form_version(version)),
        f"/claims/{claim_id}#rating",
        done=f"Rated {rating} (draft).",
        failed="Rating not saved",
    )


@router.post("/claims/{claim_id}/publish")
def publish(
    request: Request, claim_id: int, session: SessionDep, actor: PageEditor, _csrf: CsrfDep, version: Text = ""
) -> Response:
    return attempt(
        request,
        session,
        lambda: ratings.publish(session, actor, claim_id, form_version(version)),
        f"/claims/{claim_id}#rating",
        done="Published: the ClaimReview is in the export.",
        failed="Not published",
    )


@router.post("/claims/{claim_id}/unpublish")
def unpublish(
    request: Request, claim_id: int, session: SessionDep, actor: PageEditor, _csrf: CsrfDep, version: Text = ""
) -> Response:
    return attempt(
        request,
        session,
        lambda: ratings.unpublish(session, actor, claim_id, form_version(version)),
        f"/claims/{claim_id}#rating",
        done="Unpublished: back to draft.",
        failed="Not unpublished",
    )


@router.post("/claims/{claim_id}/rating-proposal")
def propose(
    request: Request,
    claim_id: int,
    session: SessionDep,
    actor: PageReviewer,
    _csrf: CsrfDep,
    rating: Text = "",
    rationale: Text = "",
) -> Response:
    return attempt(
        request,
        session,
        lambda: ratings.propose_rating(session, actor, claim_id, rating, rationale),
        f"/claims/{claim_id}#rating",
        done=f"You proposed {rating}.",
        failed="Proposal not saved",
    )
