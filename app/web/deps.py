"""Web-page plumbing: who is signed in, redirects to sign-in, and domain errors shown as pages."""

from collections.abc import Callable, Coroutine
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import Depends, Request
from fastapi.responses import JSONResponse
from fastapi.routing import APIRoute
from starlette.responses import RedirectResponse, Response

from app.api.deps import OptionalActor
from app.auth.actor import Actor
from app.auth.service import role_rank
from app.errors import DomainError, Forbidden, Unauthenticated
from app.web.templating import render


class SignInRequired(Exception):
    """Raised by page dependencies; the web route turns it into a redirect to the sign-in page."""


def page_actor(request: Request, actor: OptionalActor) -> Actor:
    if actor is None:
        raise SignInRequired()
    # Kept for error pages, which must not open a second session while the request's one holds SQLite's lock.
    request.state.actor = actor
    return actor


def page_role(role: str) -> Callable[[Actor], Actor]:
    def _check(actor: Annotated[Actor, Depends(page_actor)]) -> Actor:
        if role_rank(actor.role) < role_rank(role):
            raise Forbidden(f"This needs the {role} role; you are signed in as {actor.role}.")
        return actor

    return _check


PageActor = Annotated[Actor, Depends(page_actor)]
PageReviewer = Annotated[Actor, Depends(page_role("reviewer"))]
PageEditor = Annotated[Actor, Depends(page_role("editor"))]


def safe_next(target: str | None) -> str:
    """Only same-site paths: an open redirect after sign-in would be a phishing aid."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    return target


def sign_in_redirect(request: Request) -> RedirectResponse:
    here = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return RedirectResponse(f"/signin?next={quote(here, safe='')}", status_code=303)


def wants_json(request: Request) -> bool:
    return "application/json" in request.headers.get("accept", "")


class WebRoute(APIRoute):
    """Pages answer errors with a page (or JSON for the page's own scripts), never raw problem+json."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def handle(request: Request) -> Response:
            try:
                return await handler(request)
            except (SignInRequired, Unauthenticated):
                if wants_json(request):
                    return error_response(request, Unauthenticated("Your session ended; sign in again."))
                return sign_in_redirect(request)
            except DomainError as error:
                return error_response(request, error)

        return handle


def error_response(request: Request, error: DomainError) -> Response:
    if wants_json(request):
        return JSONResponse(
            {
                "title": error.title,
                "detail": error.detail,
                "status": error.status,
                "errors": error.errors,
                **_json_safe(error.extra),
            },
            status_code=error.status,
        )
    return render(request, "error.html", getattr(request.state, "actor", None), status_code=error.status, error=error)


def _json_safe(extra: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in extra.items() if isinstance(value, str | int | float | bool | list | dict)}
