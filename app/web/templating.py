"""Jinja2 rendering for the web UI: one autoescaping environment, the shared page context, flashes."""

import hashlib
from functools import lru_cache
from pathlib import Path
from typing import Any

import jinja2
from fastapi import Request
from fastapi.templating import Jinja2Templates
from sqlmodel import Session
from starlette.responses import Response

from app.auth.actor import Actor
from app.auth.service import role_rank
from app.db import read_engine
from app.newsroom.notifications import unread_count
from app.newsroom.ratings import MAX_RATIONALE_CHARS
from app.text_rules import CLAIM_TEXT_MAX_CHARS, NOTE_MAX_CHARS, URL_MAX_CHARS
from app.web.security import csrf_token

WEB_DIR = Path(__file__).resolve().parent
STATIC_DIR = WEB_DIR / "static"
FLASH_KEY = "flash"

STANCE_LABELS = {
    "corroborates": "Corroborates",
    "contradicts": "Contradicts",
    "not_addressed": "Not addressed",
    "unclear": "Unclear",
}
# Each stance has a symbol as well as a colour, so meaning never rests on colour alone.
STANCE_SYMBOLS = {"corroborates": "✓", "contradicts": "✗", "not_addressed": "–", "unclear": "?"}
VERDICT_LABELS = {"corroborated": "Corroborated", "single_source": "Single source", "contradicted": "Contradicted",
                  "disputed": "Disputed",
                  "unverified": "Unverified"}
STATUS_LABELS = {"open": "Open", "in_review": "In review", "settled": "Settled"}


@lru_cache
def static_version(path: str) -> str:
    """A content hash in the URL lets browsers cache static files until they change."""
    file = STATIC_DIR / path
    return hashlib.sha256(file.read_bytes()).hexdigest()[:10] if file.is_file() else "0"


def static_url(path: str) -> str:
    return f"/static/{path}?v={static_version(path)}"


def lead_words(text: str, count: int = 8) -> str:
    """A source without a title is named by its opening words rather than by its file name."""
    words = text.split(maxsplit=count)
    return " ".join(words[:count]) + ("…" if len(words) > count else "")


def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(WEB_DIR / "templates"),
        autoescape=True,  # every template, whatever its extension: source and user text is never markup
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
    )
    env.globals.update(static_url=static_url, STANCE_LABELS=STANCE_LABELS, STANCE_SYMBOLS=STANCE_SYMBOLS,
                       VERDICT_LABELS=VERDICT_LABELS, STATUS_LABELS=STATUS_LABELS)
    # Forms stop typing where the services would refuse: the same numbers, never a second copy of them.
    env.globals["TEXT_LIMITS"] = {"note": NOTE_MAX_CHARS, "claim_text": CLAIM_TEXT_MAX_CHARS,
                                  "rationale": MAX_RATIONALE_CHARS, "url": URL_MAX_CHARS}
    env.filters["lead_words"] = lead_words
    return env


templates = Jinja2Templates(env=_environment())


def flash(request: Request, text: str, kind: str = "info") -> None:
    """A one-time message shown on the next page (after a redirect)."""
    messages = list(request.session.get(FLASH_KEY, []))
    messages.append({"kind": kind, "text": text})
    request.session[FLASH_KEY] = messages


def can(actor: Actor | None, role: str) -> bool:
    return actor is not None and role_rank(actor.role) >= role_rank(role)


def unread_for(actor: Actor | None) -> int:
    """The header's notification count, read in a session of its own (a snapshot; it never waits for writers)."""
    if actor is None or actor.user_id is None:
        return 0
    with Session(read_engine()) as session:
        return unread_count(session, actor.user_id)


def render(request: Request, template: str, actor: Actor | None, status_code: int = 200, **context: Any) -> Response:
    flashes = request.session.pop(FLASH_KEY, []) if FLASH_KEY in request.session else []
    page = {"actor": actor, "csrf_token": csrf_token(request), "flashes": flashes,
            "unread_notifications": unread_for(actor),
            "can_review": can(actor, "reviewer"), "can_edit": can(actor, "editor"), **context}
    response = templates.TemplateResponse(request, template, page, status_code=status_code)
    # Pages carry a CSRF token and private data: never cache them in shared caches.
    response.headers["Cache-Control"] = "no-store"
    return response
