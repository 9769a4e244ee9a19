"""Newsroom pages and forms: my queue, notifications, assigning (one claim or the board's selection),
the discussion thread, and the editor's rating with its publish step."""

from typing import Annotated

from fastapi import APIRouter, Form, Request
from starlette.responses import RedirectResponse, Response

from app.api.deps import SessionDep
from app.errors import DomainError
from app.newsroom import assignments, notes, notifications, ratings
from app.web.claim_actions import back_to_claim, explain, form_version
from app.web.deps import PageActor, PageEditor, PageReviewer, WebRoute, safe_next
from app.web.security import CsrfDep
from app.web.templating import flash, render

router = APIRouter(route_class=WebRoute)
Text = Annotated[str, Form()]
Ids = Annotated[list[str], Form()]


def _ids(values: list[str]) -> list[int]:
    return [int(value) for value in values if value.strip().isdigit()]


@router.get("/queue")
def my_queue(request: Request, session: SessionDep, actor: PageActor) -> Response:
    items = assignments.queue(session, actor.user_id) if actor.user_id is not None else []
    return render(request, "queue.html", actor, items=items)


@router.get("/notifications")
def my_notifications(request: Request, session: SessionDep, actor: PageActor) -> Response:
    items = notifications.list_notifications(session, actor.user_id) if actor.user_id is not None else []
    return render(request, "notifications.html", actor, items=items)


@router.post("/notifications/read")
def read_all(request: Request, session: SessionDep, actor: PageActor, _csrf: CsrfDep) -> Response:
    if actor.user_id is not None:
        notifications.mark_read(session, actor.user_id)
    return RedirectResponse("/notifications", status_code=303)


@router.post("/assignments")
def assign_selection(request: Request, session: SessionDep, actor: PageEditor, _csrf: CsrfDep,
                     claim_id: Ids = [], user_id: Ids = [], next: Text = "/") -> Response:  # noqa: B006
    """The board's bulk form: every selected claim to every chosen reviewer."""
    back = safe_next(next)
    try:
        created = assignments.assign_claims(session, actor, _ids(claim_id), _ids(user_id))
    except DomainError as error:
        flash(request, f"Not assigned: {explain(error)}", "error")
        return RedirectResponse(back, status_code=303)
    claims_count = len(set(_ids(claim_id)))
    flash(request, f"{len(created)} new assignment{'' if len(created) == 1 else 's'} for {claims_count} "
                   f"claim{'' if claims_count == 1 else 's'}.", "success")
    return RedirectResponse(back, status_code=303)


@router.post("/claims/{claim_id}/assign")
def assign_claim(request: Request, claim_id: int, session: SessionDep, actor: PageEditor, _csrf: CsrfDep,
                 user_id: Ids = []) -> Response:  # noqa: B006
    try:
        created = assignments.assign_claims(session, actor, [claim_id], _ids(user_id))
    except DomainError as error:
        return back_to_claim(request, claim_id, f"Not assigned: {explain(error)}", "error", "#assignment")
    names = {u.id: u.name for u in assignments.reviewers(session)}
    who = ", ".join(names.get(a.user_id, "?") for a in created) or "nobody new"
    return back_to_claim(request, claim_id, f"Assigned to {who}.", anchor="#assignment")


@router.post("/claims/{claim_id}/assignments/{user_id}/remove")
def unassign(request: Request, claim_id: int, user_id: int, session: SessionDep, actor: PageEditor,
             _csrf: CsrfDep) -> Response:
    try:
        assignments.unassign(session, actor, claim_id, user_id)
    except DomainError as error:
        return back_to_claim(request, claim_id, f"Not changed: {explain(error)}", "error", "#assignment")
    return back_to_claim(request, claim_id, "Assignment removed.", anchor="#assignment")


@router.post("/claims/{claim_id}/notes")
def add_note(request: Request, claim_id: int, session: SessionDep, actor: PageReviewer, _csrf: CsrfDep,
             body: Text = "") -> Response:
    try:
        note = notes.add_note(session, actor, claim_id, body)
    except DomainError as error:
        return back_to_claim(request, claim_id, f"Note not added: {explain(error)}", "error", "#thread")
    return back_to_claim(request, claim_id, "Note added.", anchor=f"#note-{note.id}")


@router.post("/notes/{note_id}/edit")
def edit_note(request: Request, note_id: int, session: SessionDep, actor: PageReviewer, _csrf: CsrfDep,
              body: Text = "", version: Text = "") -> Response:
    note = notes.get_note(session, note_id)
    try:
        notes.edit_note(session, actor, note_id, body, form_version(version))
    except DomainError as error:
        session.rollback()
        return back_to_claim(request, note.claim_id, f"Note not saved: {explain(error)}", "error", f"#note-{note_id}")
    return back_to_claim(request, note.claim_id, "Note saved.", anchor=f"#note-{note_id}")


@router.post("/notes/{note_id}/delete")
def delete_note(request: Request, note_id: int, session: SessionDep, actor: PageReviewer, _csrf: CsrfDep,
                version: Text = "") -> Response:
    note = notes.get_note(session, note_id)
    try:
        notes.delete_note(session, actor, note_id, form_version(version))
    except DomainError as error:
        session.rollback()
        return back_to_claim(request, note.claim_id, f"Note not deleted: {explain(error)}", "error", "#thread")
    return back_to_claim(request, note.claim_id, "Note deleted.", anchor="#thread")


@router.post("/claims/{claim_id}/rating")
def rate(request: Request, claim_id: int, session: SessionDep, actor: PageEditor, _csrf: CsrfDep,
         rating: Text = "", rationale: Text = "", version: Text = "") -> Response:
    try:
        ratings.set_rating(session, actor, claim_id, rating, rationale, form_version(version))
    except DomainError as error:
        session.rollback()
        return back_to_claim(request, claim_id, f"Rating not saved: {explain(error)}", "error", "#rating")
    return back_to_claim(request, claim_id, f"Rated {rating} (draft).", anchor="#rating")


@router.post("/claims/{claim_id}/publish")
def publish(request: Request, claim_id: int, session: SessionDep, actor: PageEditor, _csrf: CsrfDep,
            version: Text = "") -> Response:
    try:
        ratings.publish(session, actor, claim_id, form_version(version))
    except DomainError as error:
        session.rollback()
        return back_to_claim(request, claim_id, f"Not published: {explain(error)}", "error", "#rating")
    return back_to_claim(request, claim_id, "Published: the ClaimReview is in the export.", anchor="#rating")


@router.post("/claims/{claim_id}/unpublish")
def unpublish(request: Request, claim_id: int, session: SessionDep, actor: PageEditor, _csrf: CsrfDep,
              version: Text = "") -> Response:
    try:
        ratings.unpublish(session, actor, claim_id, form_version(version))
    except DomainError as error:
        session.rollback()
        return back_to_claim(request, claim_id, f"Not unpublished: {explain(error)}", "error", "#rating")
    return back_to_claim(request, claim_id, "Unpublished: back to draft.", anchor="#rating")


@router.post("/claims/{claim_id}/rating-proposal")
def propose(request: Request, claim_id: int, session: SessionDep, actor: PageReviewer, _csrf: CsrfDep,
            rating: Text = "", rationale: Text = "") -> Response:
    try:
        ratings.propose_rating(session, actor, claim_id, rating, rationale)
    except DomainError as error:
        session.rollback()
        return back_to_claim(request, claim_id, f"Proposal not saved: {explain(error)}", "error", "#rating")
    return back_to_claim(request, claim_id, f"You proposed {rating}.", anchor="#rating")
