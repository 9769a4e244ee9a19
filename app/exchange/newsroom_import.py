"""Check and restore the newsroom's part of a workspace export (see newsroom_export).

The check runs over the whole document before anything is stored and lists every problem with the path of
its field (`claims[3].notes[0].body`), using the same rules as the API: the vocabularies of reasons, kinds,
states and the desk's rating scale, the text limits, no NUL or lone surrogate, and users and claims that
the document itself holds. Sections missing from an older export count as empty.
"""

from datetime import datetime
from typing import Any

from sqlmodel import Session

from app.exchange.checker import Checker, Problem
from app.newsroom.models import (
    ASSIGNMENT_REASONS,
    NOTIFICATION_KINDS,
    RATING_STATES,
    Assignment,
    ClaimRating,
    Note,
    NoteVersion,
    Notification,
    RatingProposal,
)
from app.newsroom.ratings import MAX_RATIONALE_CHARS, rating_scale
from app.text_rules import NOTE_MAX_CHARS


def _moment(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def _at(value: str) -> datetime:
    return datetime.fromisoformat(value)


class NewsroomChecker(Checker):
    """Collects (path, message) problems of the newsroom sections against the document's users and claims."""

    def __init__(self, users: set[str], claim_ids: set[int]) -> None:
        super().__init__()
        self.users, self.claim_ids = users, claim_ids
        self.notes: dict[int, int] = {}  # note id -> its claim id

    def user(self, entry: dict[str, Any], key: str, path: str, *, required: bool = True) -> str | None:
        name = self.field(entry, key, path, str, required=required)
        if name is not None and name not in self.users:
            self.add(f"{path}.{key}", f"names user {name[:40]!r}, who is not in the document's users")
            return None
        return name

    def claim(self, entry: dict[str, Any], path: str) -> None:
        """The newsroom keys of one claim entry."""
        assignees: set[str] = set()
        for where, item in self.items(entry, "assignments", path):
            name = self.user(item, "user", where)
            if name is not None and name in assignees:
                self.add(f"{where}.user", f"{name[:40]!r} is assigned twice")
            assignees.add(name or "")
            self.choice(item, "reason", where, ASSIGNMENT_REASONS)
            self.user(item, "assigned_by", where, required=False)
            self.moment(item, "created_at", where)
        for where, item in self.items(entry, "notes", path):
            self.note(item, where, entry.get("id"))
        rating = entry.get("rating")
        if rating is not None:
            if isinstance(rating, dict):
                self.rating(rating, f"{path}.rating")
            else:
                self.add(f"{path}.rating", "must be an object or null")
        proposers: set[str] = set()
        for where, item in self.items(entry, "rating_proposals", path):
            name = self.user(item, "user", where)
            if name is not None and name in proposers:
                self.add(f"{where}.user", f"a second proposal by {name[:40]!r}")
            proposers.add(name or "")
            self.choice(item, "rating", where, tuple(rating_scale()))
            self.text(item, "rationale", where, MAX_RATIONALE_CHARS)
            self.moment(item, "created_at", where)
            self.moment(item, "updated_at", where)

    def note(self, item: dict[str, Any], where: str, claim_id: Any) -> None:
        note_id = self.positive(item, "id", where)
        if note_id is not None:
            if note_id in self.notes:
                self.add(f"{where}.id", f"duplicate note id {note_id}")
            elif isinstance(claim_id, int):
                self.notes[note_id] = claim_id
        self.user(item, "author", where)
        self.text(item, "body", where, NOTE_MAX_CHARS, allow_empty=False)
        version = self.positive(item, "version", where)
        self.field(item, "deleted", where, bool)
        self.moment(item, "created_at", where)
        self.moment(item, "updated_at", where)
        earlier: set[int] = set()
        for at, old in self.items(item, "versions", where):
            number = self.positive(old, "version", at)
            if number is not None and (number in earlier or version is not None and number >= version):
                self.add(f"{at}.version", "must be an earlier version of the note, each once")
            earlier.add(number or 0)
            self.text(old, "body", at, NOTE_MAX_CHARS, allow_empty=False)
            self.moment(old, "written_at", at)

    def rating(self, rating: dict[str, Any], where: str) -> None:
        self.choice(rating, "rating", where, tuple(rating_scale()))
        self.text(rating, "rationale", where, MAX_RATIONALE_CHARS)
        state = self.choice(rating, "state", where, RATING_STATES)
        self.user(rating, "rated_by", where)
        self.positive(rating, "version", where)
        self.moment(rating, "created_at", where)
        self.moment(rating, "updated_at", where)
        self.moment(rating, "published_at", where, required=state == "published")
        if state == "draft" and rating.get("published_at") is not None:
            self.add(f"{where}.published_at", "must be null for a draft")

    def notifications(self, document: dict[str, Any]) -> None:
        for where, item in self.items(document, "notifications", ""):
            self.user(item, "user", where)
            self.choice(item, "kind", where, NOTIFICATION_KINDS)
            claim_id = self.field(item, "claim_id", where, int)
            if claim_id is not None and claim_id not in self.claim_ids:
                self.add(f"{where}.claim_id", f"names claim {claim_id}, which is not in the document")
            note_id = self.field(item, "note_id", where, int, required=False)
            if note_id is not None and self.notes.get(note_id) != claim_id:
                self.add(f"{where}.note_id", f"names note {note_id}, which is not a note of that claim")
            self.text(item, "actor", where, 200)
            self.moment(item, "created_at", where)
            self.moment(item, "read_at", where, required=False)


def newsroom_problems(document: dict[str, Any], users: set[str], claim_ids: set[int]) -> list[Problem]:
    """Every problem of the newsroom sections; claims' other fields are checked elsewhere."""
    check = NewsroomChecker(users, claim_ids)
    for path, entry in check.items(document, "claims", ""):
        check.claim(entry, path)
    check.notifications(document)
    return check.problems


def store_claim_newsroom(session: Session, claim_id: int, entry: dict[str, Any], users: dict[str, int]) -> None:
    """The checked newsroom rows of one claim, with the note ids and timestamps the export gave."""
    for item in entry.get("assignments") or []:
        by = item.get("assigned_by")
        session.add(
            Assignment(
                claim_id=claim_id,
                user_id=users[item["user"]],
                reason=item["reason"],
                assigned_by_id=users[by] if by else None,
                created_at=_at(item["created_at"]),
            )
        )
    for item in entry.get("notes") or []:
        session.add(
            Note(
                id=item["id"],
                claim_id=claim_id,
                author_id=users[item["author"]],
                body=item["body"],
                version=item["version"],
                deleted=item["deleted"],
                created_at=_at(item["created_at"]),
                updated_at=_at(item["updated_at"]),
            )
        )
        session.flush()
        for old in item.get("versions") or []:
            session.add(
                NoteVersion(
                    note_id=item["id"], version=old["version"], body=old["body"], written_at=_at(old["written_at"])
                )
            )
    if rating := entry.get("rating"):
        session.add(
            ClaimRating(
                claim_id=claim_id,
                rating=rating["rating"],
                rationale=rating["rationale"],
                state=rating["state"],
                rated_by_id=users[rating["rated_by"]],
                published_at=_moment(rating.get("published_at")),
                version=rating["version"],
                created_at=_at(rating["created_at"]),
                updated_at=_at(rating["updated_at"]),
            )
        )
    for item in entry.get("rating_proposals") or []:
        session.add(
            RatingProposal(
                claim_id=claim_id,
                user_id=users[item["user"]],
                rating=item["rating"],
                rationale=item["rationale"],
                created_at=_at(item["created_at"]),
                updated_at=_at(item["updated_at"]),
            )
        )


def store_notifications(session: Session, document: dict[str, Any], users: dict[str, int]) -> None:
    for item in document.get("notifications") or []:
        session.add(
            Notification(
                user_id=users[item["user"]],
                kind=item["kind"],
                claim_id=item["claim_id"],
                note_id=item.get("note_id"),
                actor=item["actor"],
                created_at=_at(item["created_at"]),
                read_at=_moment(item.get("read_at")),
            )
        )
