"""The signed-in person's own account: who they are, and changing their password from the browser."""

from typing import Annotated

from fastapi import APIRouter, Form, Request
from starlette.responses import RedirectResponse, Response

from app.api.deps import SessionDep
from app.auth.service import change_password
from app.auth.sessions import SESSION_COOKIE_KEY, start_session
from app.errors import InvalidInput
from app.web.deps import PageActor, WebRoute
from app.web.security import CsrfDep, rotate_csrf_token
from app.web.templating import flash, render

router = APIRouter(route_class=WebRoute)


@router.get("/account")
def account_page(request: Request, actor: PageActor) -> Response:
    return render(request, "account.html", actor, problems={}, error=None)


@router.post("/account/password")
def change_own_password(
    request: Request,
    session: SessionDep,
    actor: PageActor,
    _csrf: CsrfDep,
    current_password: Annotated[str, Form()] = "",
    new_password: Annotated[str, Form()] = "",
    repeated_password: Annotated[str, Form()] = "",
) -> Response:
    if actor.user_id is None:  # an API token's actor has no password of its own to change here
        return RedirectResponse("/account", status_code=303)
    try:
        if new_password != repeated_password:
            raise InvalidInput(
                "The two new passwords differ.",
                errors=[{"field": "repeated_password", "message": "does not match the new password"}],
            )
        user = change_password(session, actor.user_id, new_password, actor, current_password=current_password)
    except InvalidInput as refused:
        session.rollback()
        problems = {e["field"]: e["message"] for e in refused.errors or []}
        return render(request, "account.html", actor, status_code=422, problems=problems, error=refused.detail)
    # Every session of the user ended with the old password; this browser gets a new one, so the person who
    # changed it stays signed in here and nowhere else.
    request.session.clear()
    request.session[SESSION_COOKIE_KEY] = start_session(session, user)
    rotate_csrf_token(request)
    flash(request, "Password changed. Every other session of yours has been signed out.", "success")
    return RedirectResponse("/account", status_code=303)
