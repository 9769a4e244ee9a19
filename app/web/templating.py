"""Jinja2 rendering for the web UI: one autoescaping environment, the shared page context, flashes."""

import hashlib
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import jinja2
from fastapi import Request
from fastapi.templating import Jinja2Templates
from markupsafe import Markup
from sqlmodel import Session
from starlette.responses import Response

from app.auth.actor import Actor
from app.auth.service import role_rank
from app.db import read_engine
from app.newsroom.notifications import unread_count
from app.newsroom.ratings import MAX_RATIONALE_CHARS
from app.text_rules import CLAIM_TEXT_MAX_CHARS, NOTE_MAX_CHARS, URL_MAX_CHARS
from app.vocabulary import ReviewStatus, Stance, Verdict
from app.web.security import csrf_token

if TYPE_CHECKING:
    from app.review.board import CellFacts

WEB_DIR = Path(__file__).resolve().parent
STATIC_DIR = WEB_DIR / "static"
FLASH_KEY = "flash"

STANCE_LABELS = {stance.value: stance.label for stance in Stance}
# Each stance has a symbol as well as a colour, so meaning never rests on colour alone.
STANCE_SYMBOLS = {Stance.CORROBORATES: "✓", Stance.CONTRADICTS: "✗", Stance.NOT_ADDRESSED: "–", Stance.UNCLEAR: "?"}
VERDICT_LABELS = {verdict.value: verdict.label for verdict in Verdict}
STATUS_LABELS = {status.value: status.label for status in ReviewStatus}


@lru_cache
def static_version(path: str) -> str:
    """A content hash in the URL lets browsers cache static files until they change."""
    file = STATIC_DIR / path
    return hashlib.sha256(file.read_bytes()).hexdigest()[:10] if file.is_file() else "0"


def static_url(path: str) -> str:
    return f"/static/{path}?v={static_version(path)}"


def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(WEB_DIR / "templates"),
        autoescape=True,  # every template, whatever its extension: source and user text is never markup
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
        # The templates ship with the code: checking every file's time on each render cost ~60 stats a board page.
        auto_reload=False,
    )
    env.globals.update(
        static_url=static_url,
        STANCE_LABELS=STANCE_LABELS,
        STANCE_SYMBOLS=STANCE_SYMBOLS,
        VERDICT_LABELS=VERDICT_LABELS,
        STATUS_LABELS=STATUS_LABELS,
        STANCES=Stance.values(),
    )
    # Forms stop typing where the services would refuse: the same numbers, never a second copy of them.
    env.globals["TEXT_LIMITS"] = {
        "note": NOTE_MAX_CHARS,
        "claim_text": CLAIM_TEXT_MAX_CHARS,
        "rationale": MAX_RATIONALE_CHARS,
        "url": URL_MAX_CHARS,
    }
    return env


templates = Jinja2Templates(env=_environment())


# A page may repeat a small macro hundreds of times (a board of 50 claims by 5 sources has 250 cells), and a call
# costs more than the markup: these macros read their arguments and the globals only, so each distinct argument
# list is rendered once.
@lru_cache(maxsize=1024)
def macro_markup(name: str, *args: str) -> Markup:
    """`macros.html`'s macro `name` called with `args`."""
    return Markup(str(getattr(templates.env.get_template("macros.html").module, name)(*args)))


def _cell_state(cell: "CellFacts | None") -> tuple[str, str, str]:
    """A cell's state (its `data-state`), stance and note: what was decided for the source, else what was
    suggested, else whether the claim is mentioned there."""
    if cell is None:
        return "none", "", ""
    if cell.conflict:
        return "conflict", "", " / ".join(dict.fromkeys(stance.replace("_", " ") for stance in cell.stances))
    decision = cell.decision
    if decision:
        return "reviewed", decision, "adjudicated" if cell.adjudicated else "reviewed"
    if cell.suggested:
        return "suggested", cell.suggested, ""
    if cell.mentions:
        return "mentioned", "", ""
    return "none", "", ""


@lru_cache(maxsize=8192)
def _cell_html(source_id: int, state: str, stance: str, note: str) -> str:
    content = macro_markup("board_cell", state, stance, note)
    return (
        f'<td class="cell" tabindex="-1" data-source="{source_id}" data-state="{state}">'
        f'<div class="cell-stack">{content}</div></td>'
    )


def board_cells(row: "dict[int, CellFacts]", sources: "list[Any]") -> Markup:
    """A board row's cells, one per source column, joined in Python: a 40-column board has 2,000 cells a page, and
    a template loop over them cost 30 us a cell, most of a large board's render time. A page repeats a few states
    per column, so each column's cell for a state is built once."""
    columns = [int(source.id) for source in sources]
    return Markup("\n  ".join(_cell_html(column, *_cell_state(row.get(column))) for column in columns))


templates.env.globals.update(macro_markup=macro_markup, board_cells=board_cells)


def compile_templates() -> None:
    """Compile every template now, at start-up, rather than in the first requests that use each."""
    for name in templates.env.list_templates(filter_func=lambda name: name.endswith(".html")):
        templates.env.get_template(name)


def flash(request: Request, text: str, kind: str = "info") -> None:
    """A one-time message shown on the next page (after a redirect)."""
    messages = list(request.session.get(FLASH_KEY, []))
    messages.append({"kind": kind, "text": text})
    request.session[FLASH_KEY] = messages


def can(actor: Actor | None, role: str) -> bool:
    return actor is not None and role_rank(actor.role) >= role_rank(role)


def unread_for(actor: Actor | None, session: Session | None = None) -> int:
    """The header's notification count, read in `session` or else in a session of its own (a snapshot; it never
    waits for writers)."""
    if actor is None or actor.user_id is None:
        return 0
    if session is not None:
        return unread_count(session, actor.user_id)
    with Session(read_engine()) as own_session:
        return unread_count(own_session, actor.user_id)


def render(
    request: Request,
    template: str,
    actor: Actor | None,
    status_code: int = 200,
    *,
    session: Session | None = None,
    **context: Any,
) -> Response:
    """The page as a response, rendered whole here: in the page's own thread and within the request's turn
    (`app.admission`: a turn ends when the response starts, so a streamed page would render outside it). A page
    that read its data in a session passes it as `session`, so the header's count is read there too rather than on
    a connection of its own (a checkout, a ping and a transaction more)."""
    flashes = request.session.pop(FLASH_KEY, []) if FLASH_KEY in request.session else []
    page = {
        "actor": actor,
        "csrf_token": csrf_token(request),
        "flashes": flashes,
        "unread_notifications": unread_for(actor, session),
        "can_review": can(actor, "reviewer"),
        "can_edit": can(actor, "editor"),
        **context,
    }
    response = templates.TemplateResponse(request, template, page, status_code=status_code)
    # Pages carry a CSRF token and private data: never cache them in shared caches.
    response.headers["Cache-Control"] = "no-store"
    return response
