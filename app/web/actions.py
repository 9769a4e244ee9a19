"""Form actions' shared ending: a change done or refused becomes a flash message and a redirect (303).

A refused change first rolls the request's session back, so nothing half-done is committed later and the next
page reads the stored state; a stale version gets its own message, any other domain error says why.
"""

from collections.abc import Callable
from typing import Annotated, Any

from fastapi import Form, Request
from sqlmodel import Session
from starlette.responses import RedirectResponse, Response

from app.errors import DomainError, StaleVersion
from app.web.templating import flash

Text = Annotated[str, Form()]


def form_version(value: str) -> int | None:
    """Forms send the version they were rendered with; an empty field means none was read."""
    return int(value) if value.strip().isdigit() else None


def explain(error: DomainError) -> str:
    details = "; ".join(f"{e.get('field')}: {e.get('message')}" for e in error.errors if e.get("field"))
    return f"{error.detail} ({details})" if details else error.detail


def redirect_with(request: Request, url: str, message: str, kind: str = "success") -> Response:
    flash(request, message, kind)
    return RedirectResponse(url, status_code=303)


def back_to_claim(request: Request, claim_id: int, message: str, kind: str = "success", anchor: str = "") -> Response:
    return redirect_with(request, f"/claims/{claim_id}{anchor}", message, kind)


def refused(
    request: Request,
    session: Session,
    error: DomainError,
    url: str,
    *,
    failed: str,
    stale: str | None = None,
    stale_url: str | None = None,
) -> Response:
    """Undo, then go back to `url` saying "`failed`: why"; or, for a stale version, say `stale` (at `stale_url`)."""
    session.rollback()
    if stale is not None and isinstance(error, StaleVersion):
        return redirect_with(request, stale_url or url, stale, "conflict")
    return redirect_with(request, url, f"{failed}: {explain(error)}", "error")


def attempt(
    request: Request, session: Session, change: Callable[[], Any], url: str, *, done: str, failed: str
) -> Response:
    """Make the change and go to `url` saying `done`; a refused change is undone and said why (see `refused`)."""
    try:
        change()
    except DomainError as error:
        return refused(request, session, error, url, failed=failed)
    return redirect_with(request, url, done)
