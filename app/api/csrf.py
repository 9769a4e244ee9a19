"""Cross-site request forgery: a write that relies on the browser's cookie must also carry the page's CSRF token.

A page on another origin can make a browser post (even a multipart upload) with our cookie attached, but it
cannot read our pages, so it cannot learn the token. API tokens are never sent by a browser on its own, so
requests with `Authorization` need no CSRF token.
"""

import secrets

from fastapi import Request

from app.auth.sessions import SESSION_COOKIE_KEY
from app.errors import Forbidden

CSRF_SESSION_KEY = "csrf"
CSRF_HEADER = "x-csrf-token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def csrf_token_matches(session: dict[str, object], sent: str | None) -> bool:
    expected = session.get(CSRF_SESSION_KEY)
    return isinstance(expected, str) and bool(expected) and bool(sent) and secrets.compare_digest(expected, sent or "")


async def check_api_csrf(request: Request) -> None:
    """Every API route: a cookie-authenticated write without the session's token in X-CSRF-Token is refused."""
    if request.method in SAFE_METHODS or request.headers.get("authorization"):
        return
    session = request.scope.get("session") or {}
    if session.get(SESSION_COOKIE_KEY) and not csrf_token_matches(session, request.headers.get(CSRF_HEADER)):
        raise Forbidden(
            "A signed-in browser's API write needs the page's CSRF token in the X-CSRF-Token header; "
            "automation should send an API token instead."
        )
