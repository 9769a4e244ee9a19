"""A claim's discussion thread: markdown notes with @mentions, edited or deleted by their author with versions kept."""

from dataclasses import dataclass
from typing import Any

from sqlmodel import Session, col, select

from app.audit import record_event
from app.auth.actor import Actor
from app.auth.models import User
from app.claims.service import get_claim, get_live_claim
from app.clock import utcnow
from app.errors import Forbidden, InvalidInput, NotFound, check_version
from app.newsroom.assignments import add_to_queue
from app.newsroom.markdown import mentioned_names
from app.newsroom.models import Note, NoteVersion
from app.newsroom.notifications import notify
from app.text_rules import NOTE_MAX_CHARS
from app.webhooks.service import emit_event


@dataclass(frozen=True)
class NoteView:
    note: Note
    author: str


def _check_body(body: str) -> str:
    body = body.strip()
    if not body:
        raise InvalidInput("A note needs some text.", errors=[{"field": "body", "message": "must not be empty"}])
    if len(body) > NOTE_MAX_CHARS:
        raise InvalidInput(
            f"A note holds at most {NOTE_MAX_CHARS} characters.",
            errors=[{"field": "body", "message": f"over {NOTE_MAX_CHARS} characters"}],
        )
    if "\x00" in body:
        raise InvalidInput(
            "A note cannot contain NUL characters.", errors=[{"field": "body", "message": "contains NUL"}]
        )
    return body


def _author_id(actor: Actor) -> int:
    if actor.user_id is None:
        raise Forbidden("Only a user (or a user's token) can write notes.")
    return actor.user_id


def _mention(session: Session, actor: Actor, note: Note, names: list[str]) -> list[str]:
    """Put the claim in each mentioned person's queue and tell them; unknown names are left as plain text."""
    if not names:
        return []
    users = session.exec(select(User).where(col(User.name).in_(names), col(User.active).is_(True))).all()
    reached = []
    for user in users:
        assert user.id is not None and note.id is not None
        if user.id != actor.user_id and user.role != "viewer":
            add_to_queue(session, actor, note.claim_id, user, "mentioned")
        notify(session, actor, user.id, "mentioned", note.claim_id, note.id)
        reached.append(user.name)
    return sorted(reached)


def add_note(session: Session, actor: Actor, claim_id: int, body: str) -> Note:
    """Add a note to the claim's thread; @names reach their people."""
    author_id = _author_id(actor)
    body = _check_body(body)
    try:
        get_live_claim(session, claim_id)
        note = Note(claim_id=claim_id, author_id=author_id, body=body)
        session.add(note)
        session.flush()
        mentioned = _mention(session, actor, note, mentioned_names(body))
        record_event(
            session,
            actor,
            "note.created",
            "note",
            note.id,
            after={"body": body, "mentions": mentioned},
            claim_id=claim_id,
        )
        emit_event(
            session,
            "note.created",
            {"claim_id": claim_id, "note_id": note.id, "author": actor.name, "body": body, "mentions": mentioned},
        )
        session.commit()
    except Exception:
        session.rollback()
        raise
    session.refresh(note)
    return note


def get_note(session: Session, note_id: int) -> Note:
    note = session.get(Note, note_id)
    if note is None or note.deleted:
        raise NotFound(f"No note with id {note_id}.")
    return note


def _own_note(session: Session, actor: Actor, note_id: int, expected: int | None) -> Note:
    note = get_note(session, note_id)
    if note.author_id != actor.user_id:
        raise Forbidden("Only the note's author can change it.")
    check_version("note", note.version, expected, note_state(note), required=False)
    return note


def note_state(note: Note) -> dict[str, Any]:
    return {"id": note.id, "body": note.body, "version": note.version, "deleted": note.deleted}


def _keep_version(session: Session, note: Note) -> None:
    assert note.id is not None
    session.add(NoteVersion(note_id=note.id, version=note.version, body=note.body, written_at=note.updated_at))


def edit_note(session: Session, actor: Actor, note_id: int, body: str, version: int | None = None) -> Note:
    """The author rewrites a note; the old text is kept as a version. Newly mentioned people are told."""
    body = _check_body(body)
    note = _own_note(session, actor, note_id, version)
    if body == note.body:
        return note
    before = note_state(note)
    newly = [n for n in mentioned_names(body) if n not in mentioned_names(note.body)]
    _keep_version(session, note)
    note.body, note.version, note.updated_at = body, note.version + 1, utcnow()
    session.add(note)
    mentioned = _mention(session, actor, note, newly)
    record_event(
        session,
        actor,
        "note.edited",
        "note",
        note.id,
        before=before,
        after=note_state(note) | {"mentions": mentioned},
        claim_id=note.claim_id,
    )
    session.commit()
    session.refresh(note)
    return note


def delete_note(session: Session, actor: Actor, note_id: int, version: int | None = None) -> None:
    """The author withdraws a note: it leaves the thread; its text stays in its versions and the audit log."""
    note = _own_note(session, actor, note_id, version)
    before = note_state(note)
    _keep_version(session, note)
    note.deleted, note.version, note.updated_at = True, note.version + 1, utcnow()
    session.add(note)
    record_event(session, actor, "note.deleted", "note", note.id, before=before, claim_id=note.claim_id)
    session.commit()


def list_notes(session: Session, claim_id: int) -> list[NoteView]:
    """The claim's thread, oldest first, without deleted notes."""
    get_claim(session, claim_id)
    rows = session.exec(
        select(Note, User.name)
        .join(User, col(User.id) == col(Note.author_id))
        .where(Note.claim_id == claim_id, col(Note.deleted).is_(False))
        .order_by(col(Note.id))
    ).all()
    return [NoteView(note, name) for note, name in rows]


def thread_versions(session: Session, notes: list[NoteView]) -> dict[int, list[NoteVersion]]:
    """Earlier texts of the edited notes of a thread, by note id, oldest first (one query for the thread)."""
    edited = [view.note.id for view in notes if view.note.version > 1 and view.note.id is not None]
    found: dict[int, list[NoteVersion]] = {}
    if edited:
        for version in session.exec(
            select(NoteVersion)
            .where(col(NoteVersion.note_id).in_(edited))
            .order_by(col(NoteVersion.note_id), col(NoteVersion.version))
        ).all():
            found.setdefault(version.note_id, []).append(version)
    return found


def note_versions(session: Session, note_id: int) -> list[NoteVersion]:
    """A note's earlier texts, oldest first."""
    get_note(session, note_id)
    return list(
        session.exec(select(NoteVersion).where(NoteVersion.note_id == note_id).order_by(col(NoteVersion.version))).all()
    )
