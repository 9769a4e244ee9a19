"""The newsroom's part of the workspace export: assignments, notes with their earlier versions, the editor's
rating, reviewers' proposals and notifications, so that a backup keeps people's work.

Rows are listed in id order, which an import preserves, and timestamps are written as ISO 8601 in UTC so
that export -> import -> export gives the same bytes.
"""

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlmodel import Session, col, select

from app.newsroom.models import Assignment, ClaimRating, Note, NoteVersion, Notification, RatingProposal


def stamp(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


@dataclass
class NewsroomRows:
    """The newsroom rows of the exported claims, grouped by claim."""

    assignments: dict[int, list[Assignment]] = field(default_factory=dict)
    notes: dict[int, list[Note]] = field(default_factory=dict)
    versions: dict[int, list[NoteVersion]] = field(default_factory=dict)
    ratings: dict[int, ClaimRating] = field(default_factory=dict)
    proposals: dict[int, list[RatingProposal]] = field(default_factory=dict)
    notifications: list[Notification] = field(default_factory=list)

    def user_ids(self) -> set[int]:
        """Everyone the rows name, so the export's users list can recreate them."""
        ids = {a.user_id for rows in self.assignments.values() for a in rows}
        ids |= {a.assigned_by_id for rows in self.assignments.values() for a in rows if a.assigned_by_id}
        ids |= {n.author_id for rows in self.notes.values() for n in rows}
        ids |= {r.rated_by_id for r in self.ratings.values()}
        ids |= {p.user_id for rows in self.proposals.values() for p in rows}
        return ids | {n.user_id for n in self.notifications}


def newsroom_rows(session: Session, claim_ids: set[int]) -> NewsroomRows:
    rows = NewsroomRows()
    for assignment in session.exec(
        select(Assignment).where(col(Assignment.claim_id).in_(claim_ids)).order_by(col(Assignment.id))
    ).all():
        rows.assignments.setdefault(assignment.claim_id, []).append(assignment)
    for note in session.exec(select(Note).where(col(Note.claim_id).in_(claim_ids)).order_by(col(Note.id))).all():
        rows.notes.setdefault(note.claim_id, []).append(note)
    note_ids = {note.id for notes in rows.notes.values() for note in notes}
    for version in session.exec(
        select(NoteVersion)
        .where(col(NoteVersion.note_id).in_(note_ids))
        .order_by(col(NoteVersion.note_id), col(NoteVersion.version))
    ).all():
        rows.versions.setdefault(version.note_id, []).append(version)
    for rating in session.exec(select(ClaimRating).where(col(ClaimRating.claim_id).in_(claim_ids))).all():
        rows.ratings[rating.claim_id] = rating
    for proposal in session.exec(
        select(RatingProposal).where(col(RatingProposal.claim_id).in_(claim_ids)).order_by(col(RatingProposal.id))
    ).all():
        rows.proposals.setdefault(proposal.claim_id, []).append(proposal)
    rows.notifications = list(
        session.exec(
            select(Notification).where(col(Notification.claim_id).in_(claim_ids)).order_by(col(Notification.id))
        ).all()
    )
    return rows


def claim_newsroom(rows: NewsroomRows, claim_id: int, names: dict[int, str]) -> dict[str, Any]:
    """The newsroom keys of one claim's entry."""
    rating = rows.ratings.get(claim_id)
    return {
        "assignments": [
            {
                "user": names.get(a.user_id, ""),
                "reason": a.reason,
                "assigned_by": names.get(a.assigned_by_id) if a.assigned_by_id else None,
                "created_at": stamp(a.created_at),
            }
            for a in rows.assignments.get(claim_id, [])
        ],
        "notes": [
            {
                "id": n.id,
                "author": names.get(n.author_id, ""),
                "body": n.body,
                "version": n.version,
                "deleted": n.deleted,
                "created_at": stamp(n.created_at),
                "updated_at": stamp(n.updated_at),
                "versions": [
                    {"version": v.version, "body": v.body, "written_at": stamp(v.written_at)}
                    for v in rows.versions.get(n.id or 0, [])
                ],
            }
            for n in rows.notes.get(claim_id, [])
        ],
        "rating": None
        if rating is None
        else {
            "rating": rating.rating,
            "rationale": rating.rationale,
            "state": rating.state,
            "rated_by": names.get(rating.rated_by_id, ""),
            "published_at": stamp(rating.published_at),
            "version": rating.version,
            "created_at": stamp(rating.created_at),
            "updated_at": stamp(rating.updated_at),
        },
        "rating_proposals": [
            {
                "user": names.get(p.user_id, ""),
                "rating": p.rating,
                "rationale": p.rationale,
                "created_at": stamp(p.created_at),
                "updated_at": stamp(p.updated_at),
            }
            for p in rows.proposals.get(claim_id, [])
        ],
    }


def notification_entries(rows: NewsroomRows, names: dict[int, str]) -> list[dict[str, Any]]:
    return [
        {
            "user": names.get(n.user_id, ""),
            "kind": n.kind,
            "claim_id": n.claim_id,
            "note_id": n.note_id,
            "actor": n.actor,
            "created_at": stamp(n.created_at),
            "read_at": stamp(n.read_at),
        }
        for n in rows.notifications
    ]
