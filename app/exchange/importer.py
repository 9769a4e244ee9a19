"""Import a JSON workspace export into an empty database, so that exporting it again gives the same bytes."""

from datetime import date
from typing import Any

from sqlalchemy import text
from sqlmodel import Session, func, select

from app.audit import record_event
from app.auth.actor import Actor
from app.auth.models import User
from app.claims.models import Claim, Mention, StanceSuggestion
from app.errors import Conflict, InvalidInput
from app.exchange.newsroom_import import store_claim_newsroom, store_notifications
from app.exchange.validation import document_problems
from app.review.models import Adjudication, Assessment, Evidence
from app.review.verdicts import recompute_claim
from app.sources.models import Source

SOURCE_FIELDS = ("filename", "title", "outlet", "author", "url", "language")


class ImportRefused(InvalidInput):
    """The document breaks the rules; `problems` lists every (path, message)."""

    def __init__(self, problems: list[tuple[str, str]]) -> None:
        first_path, first_message = problems[0]
        more = f" (and {len(problems) - 1} more problems)" if len(problems) > 1 else ""
        super().__init__(
            f"{first_path}: {first_message}{more}",
            errors=[{"field": path, "message": message} for path, message in problems],
        )
        self.problems = problems


def _users(session: Session, document: dict[str, Any]) -> dict[str, int]:
    """Users named in the document, reused when present, else created without a password (no sign-in)."""
    ids: dict[str, int] = {}
    for entry in document.get("users", []):
        name, role = entry["name"], entry["role"]
        user = session.exec(select(User).where(User.name == name)).first()
        if user is None:
            user = User(name=name, role=role, password_hash=None)
            session.add(user)
            session.flush()
        assert user.id is not None
        ids[name] = user.id
    return ids


def _user(ids: dict[str, int], name: str) -> int:
    return ids[name]


def _source(entry: dict[str, Any]) -> Source:
    published = entry.get("published_at")
    return Source.model_validate(
        {
            "id": entry["id"],
            "raw_text": entry["raw_text"],
            "text": entry["text"],
            "sha256": entry["sha256"],
            "published_at": date.fromisoformat(published) if published else None,
            **{k: entry.get(k) for k in SOURCE_FIELDS},
        }
    )


def _claim_rows(session: Session, entry: dict[str, Any], users: dict[str, int]) -> None:
    # Verdict, status, counts and conflict are not taken from the file: recompute_claim derives them.
    claim = Claim(
        id=entry["id"],
        key=entry.get("key"),
        text=entry["text"],
        kind=entry.get("kind") or "statement",
        origin=entry.get("origin") or "extracted",
        text_edited=entry.get("text_edited") or False,
    )
    session.add(claim)
    session.flush()
    claim_id = entry["id"]
    for m in entry.get("mentions", []):
        session.add(
            Mention(
                claim_id=claim_id,
                source_id=m["source_id"],
                start=m["start"],
                end=m["end"],
                quote=m["quote"],
                origin=m.get("origin", "extracted"),
                score=m.get("score"),
                worthiness_reason=m.get("worthiness_reason"),
                features=m.get("features") or {},
            )
        )
    for stance in entry.get("stances", []):
        if stance["origin"] == "reviewed":
            session.add(
                Assessment(
                    claim_id=claim_id,
                    source_id=stance["source_id"],
                    stance=stance["stance"],
                    note=stance.get("note") or "",
                    user_id=_user(users, stance["reviewer"]),
                )
            )
        else:
            anchor = stance.get("evidence") or {}
            session.add(
                StanceSuggestion(
                    claim_id=claim_id,
                    source_id=stance["source_id"],
                    stance=stance["stance"],
                    confidence=stance.get("confidence") or 0.0,
                    start=anchor.get("start"),
                    end=anchor.get("end"),
                    quote=anchor.get("quote"),
                )
            )
    for adj in entry.get("adjudications", []):
        session.add(
            Adjudication(
                claim_id=claim_id,
                source_id=adj["source_id"],
                stance=adj["stance"],
                note=adj.get("note") or "",
                user_id=_user(users, adj["editor"]),
            )
        )
    for ev in entry.get("evidence", []):
        accessed = ev.get("accessed_at")
        author = _user(users, ev["created_by"])
        session.add(
            Evidence(
                claim_id=claim_id,
                source_id=ev.get("source_id"),
                start=ev.get("start"),
                end=ev.get("end"),
                quote=ev["quote"],
                prefix=ev.get("prefix") or "",
                suffix=ev.get("suffix") or "",
                url=ev.get("url"),
                accessed_at=date.fromisoformat(accessed) if accessed else None,
                note=ev.get("note") or "",
                created_by_id=author,
            )
        )
    store_claim_newsroom(session, claim_id, entry, users)


def _advance_sequences(session: Session) -> None:
    # Rows were inserted with their exported ids; PostgreSQL's sequences must move past them.
    if session.get_bind().dialect.name == "postgresql":
        for table in ("source", "claim", "note"):
            session.execute(
                text(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                    f"COALESCE((SELECT MAX(id) FROM {table}), 0) + 1, false)"
                )
            )


def import_json(session: Session, document: Any, actor: Actor) -> dict[str, int]:
    """Load a `crosscheck-workspace` document into a database holding no sources or claims yet.

    The whole document is checked first (app.exchange.validation); any problem refuses it, listing them all,
    and nothing is stored. Ids of sources and claims are kept, users named by decisions are recreated without
    passwords, and verdicts are recomputed from the decisions rather than taken from the file.
    Returns counts of what was imported.
    """
    problems = document_problems(document)
    if problems:
        raise ImportRefused(problems)
    if (
        session.exec(select(func.count()).select_from(Source)).one()
        or session.exec(select(func.count()).select_from(Claim)).one()
    ):
        raise Conflict("The database already holds sources or claims; import into an empty one.")
    try:
        users = _users(session, document)
        sources = document.get("sources", [])
        for entry in sources:
            session.add(_source(entry))
        session.flush()
        claims = document.get("claims", [])
        for entry in claims:
            _claim_rows(session, entry, users)
        store_notifications(session, document, users)
        session.flush()
        for entry in claims:
            recompute_claim(session, entry["id"])
        _advance_sequences(session)
        counts = {"users": len(users), "sources": len(sources), "claims": len(claims)}
        record_event(session, actor, "workspace.imported", "workspace", None, after=counts)
        session.commit()
    except Exception:
        session.rollback()
        raise
    return counts
