"""Browser-facing protections: security headers (a strict CSP) and the per-session CSRF token."""

import secrets
from typing import Annotated

from fastapi import Depends, Form, Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.api.csrf import CSRF_HEADER, CSRF_SESSION_KEY, csrf_token_matches
from app.errors import Forbidden

CSRF_FIELD = "csrf_token"

# All scripts and styles are static files: no inline script, no inline style, no eval.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
)
_HEADERS = [
    (b"content-security-policy", CONTENT_SECURITY_POLICY.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"same-origin"),
    (b"x-frame-options", b"DENY"),
]
# The interactive API docs load their own inline scripts; they keep FastAPI's defaults.
_EXEMPT_PREFIXES = ("/docs", "/redoc")


class SecurityHeadersMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"].startswith(_EXEMPT_PREFIXES):
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                present = {name.lower() for name, _ in message.get("headers", [])}
                message["headers"] = list(message.get("headers", [])) + [
                    header for header in _HEADERS if header[0] not in present
                ]
            await send(message)

        await self.app(scope, receive, send_with_headers)


class SecureCookiesOverHttps:
    """Marks the session cookie `Secure` on answers to HTTPS requests, so a browser never sends it in clear text;
    plain-HTTP development on 127.0.0.1 keeps working (CROSSCHECK_SESSION_COOKIE_SECURE unset)."""

    def __init__(self, app: ASGIApp, cookie_name: str) -> None:
        self.app = app
        self.prefix = f"{cookie_name}=".encode()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope.get("scheme") != "https":
            await self.app(scope, receive, send)
            return

        async def send_secure(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [
                    (
                        name,
                        value + b"; secure"
                        if name.lower() == b"set-cookie"
                        and value.startswith(self.prefix)
                        and b"; secure" not in value.lower()
                        else value,
                    )
                    for name, value in message.get("headers", [])
                ]
            await send(message)

        await self.app(scope, receive, send_secure)


def csrf_token(request: Request) -> str:
    """The session's token, created on first use; forms embed it and scripts send it as a header."""
    token = request.session.get(CSRF_SESSION_KEY)
    if not isinstance(token, str) or not token:
        token = secrets.token_urlsafe(32)
        request.session[CSRF_SESSION_KEY] = token
    return token


def rotate_csrf_token(request: Request) -> None:
    request.session[CSRF_SESSION_KEY] = secrets.token_urlsafe(32)


def check_csrf(request: Request, csrf_token_field: Annotated[str, Form(alias=CSRF_FIELD)] = "") -> None:
    """Every state-changing browser request proves it came from our own page."""
    if not csrf_token_matches(request.session, request.headers.get(CSRF_HEADER) or csrf_token_field):
        raise Forbidden("The form expired or did not come from this site; reload the page and try again.")


CsrfDep = Annotated[None, Depends(check_csrf)]
