"""Import a JSON workspace export into an empty database, so that exporting it again gives the same bytes."""

from datetime import date
from typing import Any

from sqlalchemy import text
from sqlmodel import Session, func, select

from app.audit import record_event
from app.auth.actor import Actor
from app.auth.models import ROLES, User
from app.claims.models import Claim, Mention, StanceSuggestion
from app.errors import Conflict, InvalidInput
from app.exchange.export import EXPORT_FORMAT, EXPORT_VERSION
from app.review.models import Adjudication, Assessment, Evidence
from app.sources.models import Source
from app.sources.service import content_hash

SOURCE_FIELDS = ("filename", "title", "outlet", "author", "url", "language")


def _invalid(path: str, message: str) -> InvalidInput:
    return InvalidInput(f"{path}: {message}", errors=[{"field": path, "message": message}])


def _users(session: Session, document: dict[str, Any]) -> dict[str, int]:
    """Users named in the document, reused when present, else created without a password (no sign-in)."""
    ids: dict[str, int] = {}
    for index, entry in enumerate(document.get("users", [])):
        name, role = entry.get("name"), entry.get("role", "reviewer")
        if not name or role not in ROLES:
            raise _invalid(f"users.{index}", "needs a name and a known role")
        user = session.exec(select(User).where(User.name == name)).first()
        if user is None:
            user = User(name=name, role=role, password_hash=None)
            session.add(user)
            session.flush()
        assert user.id is not None
        ids[name] = user.id
    return ids


def _user(ids: dict[str, int], name: str, path: str) -> int:
    if name not in ids:
        raise _invalid(path, f"names user {name!r}, who is not in the document's users")
    return ids[name]


def _source(index: int, entry: dict[str, Any]) -> Source:
    raw = entry.get("raw_text")
    if not isinstance(raw, str) or content_hash(raw) != entry.get("sha256"):
        raise _invalid(f"sources.{index}.raw_text", "missing, or its sha256 does not match")
    published = entry.get("published_at")
    return Source.model_validate({"id": entry["id"], "raw_text": raw, "text": entry["text"],
                                  "sha256": entry["sha256"],
                                  "published_at": date.fromisoformat(published) if published else None,
                                  **{k: entry.get(k) for k in SOURCE_FIELDS}})


def _claim_rows(session: Session, index: int, entry: dict[str, Any], users: dict[str, int]) -> None:
    counts = entry.get("counts", {})
    claim = Claim(id=entry["id"], key=entry.get("key"), text=entry["text"], kind=entry.get("kind", "statement"),
                  origin=entry.get("origin", "extracted"), text_edited=entry.get("text_edited", False),
                  status=entry.get("status", "open"), verdict=entry.get("verdict", "unverified"),
                  corroborating=counts.get("corroborating", 0), contradicting=counts.get("contradicting", 0),
                  not_addressing=counts.get("not_addressing", 0), has_conflict=entry.get("has_conflict", False))
    session.add(claim)
    session.flush()
    claim_id = entry["id"]
    for m in entry.get("mentions", []):
        session.add(Mention(claim_id=claim_id, source_id=m["source_id"], start=m["start"], end=m["end"],
                            quote=m["quote"], origin=m.get("origin", "extracted"), score=m.get("score"),
                            features=m.get("features") or {}))
    for position, stance in enumerate(entry.get("stances", [])):
        path = f"claims.{index}.stances.{position}"
        if stance.get("origin") == "reviewed":
            session.add(Assessment(claim_id=claim_id, source_id=stance["source_id"], stance=stance["stance"],
                                   note=stance.get("note", ""),
                                   user_id=_user(users, stance.get("reviewer", ""), path + ".reviewer")))
        else:
            anchor = stance.get("evidence") or {}
            session.add(StanceSuggestion(claim_id=claim_id, source_id=stance["source_id"], stance=stance["stance"],
                                         confidence=stance.get("confidence", 0.0), start=anchor.get("start"),
                                         end=anchor.get("end"), quote=anchor.get("quote")))
    for position, adj in enumerate(entry.get("adjudications", [])):
        editor = _user(users, adj.get("editor", ""), f"claims.{index}.adjudications.{position}")
        session.add(Adjudication(claim_id=claim_id, source_id=adj["source_id"], stance=adj["stance"],
                                 note=adj.get("note", ""), user_id=editor))
    for position, ev in enumerate(entry.get("evidence", [])):
        accessed = ev.get("accessed_at")
        author = _user(users, ev.get("created_by", ""), f"claims.{index}.evidence.{position}")
        session.add(Evidence(claim_id=claim_id, source_id=ev.get("source_id"), start=ev.get("start"),
                             end=ev.get("end"), quote=ev["quote"], prefix=ev.get("prefix", ""),
                             suffix=ev.get("suffix", ""), url=ev.get("url"),
                             accessed_at=date.fromisoformat(accessed) if accessed else None, note=ev.get("note", ""),
                             created_by_id=author))


def _advance_sequences(session: Session) -> None:
    # Rows were inserted with their exported ids; PostgreSQL's sequences must move past them.
    if session.get_bind().dialect.name == "postgresql":
        for table in ("source", "claim"):
            session.execute(text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                                 f"COALESCE((SELECT MAX(id) FROM {table}), 0) + 1, false)"))


def import_json(session: Session, document: dict[str, Any], actor: Actor) -> dict[str, int]:
    """Load a `crosscheck-workspace` document into a database holding no sources or claims yet.

    Ids of sources and claims are kept, users named by decisions are recreated without passwords, and
    stored verdicts are taken as exported. All or nothing; returns counts of what was imported.
    """
    if document.get("format") != EXPORT_FORMAT or document.get("version") != EXPORT_VERSION:
        raise _invalid("format", f"expected a {EXPORT_FORMAT} document, version {EXPORT_VERSION}")
    if session.exec(select(func.count()).select_from(Source)).one() or \
            session.exec(select(func.count()).select_from(Claim)).one():
        raise Conflict("The database already holds sources or claims; import into an empty one.")
    try:
        users = _users(session, document)
        sources = document.get("sources", [])
        for index, entry in enumerate(sources):
            session.add(_source(index, entry))
        session.flush()
        claims = document.get("claims", [])
        for index, entry in enumerate(claims):
            _claim_rows(session, index, entry, users)
        session.flush()
        _advance_sequences(session)
        counts = {"users": len(users), "sources": len(sources), "claims": len(claims)}
        record_event(session, actor, "workspace.imported", "workspace", None, after=counts)
        session.commit()
    except (KeyError, TypeError, ValueError) as error:
        session.rollback()
        raise InvalidInput(f"The document is not a complete workspace export: {error!r}.") from error
    except Exception:
        session.rollback()
        raise
    return counts
