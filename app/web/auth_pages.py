"""Sign-in and sign-out pages: a password form that starts a server-side session named by the signed cookie."""

from typing import Annotated

from fastapi import APIRouter, Form, Request
from starlette.responses import RedirectResponse, Response

from app.api.deps import OptionalActor, SessionDep
from app.auth.service import authenticate
from app.auth.sessions import SESSION_COOKIE_KEY, end_session, start_session
from app.auth.throttle import check_sign_in_allowed, record_failed_sign_in, record_successful_sign_in
from app.errors import TooManyRequests
from app.web.deps import WebRoute, safe_next
from app.web.security import CsrfDep, rotate_csrf_token
from app.web.templating import flash, render

router = APIRouter(route_class=WebRoute)


@router.get("/signin")
def signin_page(request: Request, actor: OptionalActor, next: str = "/") -> Response:
    if actor is not None:
        return RedirectResponse(safe_next(next), status_code=303)
    return render(request, "signin.html", None, next=safe_next(next), name="", error=None)


@router.post("/signin")
def signin(
    request: Request,
    session: SessionDep,
    _csrf: CsrfDep,
    name: Annotated[str, Form()] = "",
    password: Annotated[str, Form()] = "",
    next: Annotated[str, Form()] = "/",
) -> Response:
    address = request.client.host if request.client else "unknown"
    try:
        check_sign_in_allowed(session, name, address)
    except TooManyRequests as refused:
        page = render(
            request, "signin.html", None, status_code=429, next=safe_next(next), name=name, error=refused.detail
        )
        page.headers["Retry-After"] = str(refused.retry_after)
        return page
    user = authenticate(session, name.strip(), password) if name.strip() and password else None
    if user is None:
        record_failed_sign_in(session, name, address)
        return render(
            request,
            "signin.html",
            None,
            status_code=400,
            next=safe_next(next),
            name=name,
            error="That name and password do not match an active account.",
        )
    record_successful_sign_in(session, name, address)
    # A fresh session on sign-in: nothing from the anonymous session carries over.
    request.session.clear()
    request.session[SESSION_COOKIE_KEY] = start_session(session, user)
    rotate_csrf_token(request)
    flash(request, f"Signed in as {user.name} ({user.role}).", "success")
    return RedirectResponse(safe_next(next), status_code=303)


@router.post("/signout")
def signout(request: Request, session: SessionDep, _csrf: CsrfDep) -> Response:
    end_session(session, request.session.get(SESSION_COOKIE_KEY))
    request.session.clear()
    rotate_csrf_token(request)
    flash(request, "Signed out.", "info")
    return RedirectResponse("/signin", status_code=303)
