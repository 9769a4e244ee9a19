"""What the claim page shows of the newsroom workflow: assignees, the thread, the rating, and how history reads."""

from typing import Any

from sqlmodel import Session

from app.audit.models import AuditEvent
from app.auth.actor import Actor
from app.newsroom import assignments, notes, ratings
from app.newsroom.markdown import render_markdown


def claim_newsroom(session: Session, claim_id: int, actor: Actor) -> dict[str, Any]:
    rating = ratings.get_rating(session, claim_id)
    thread = notes.list_notes(session, claim_id)
    return {
        "assignees": assignments.claim_assignees(session, claim_id),
        "assignable": assignments.reviewers(session),
        "thread": thread,
        "earlier_versions": notes.thread_versions(session, thread),
        "markdown": render_markdown,
        "rating": rating,
        "rated_by": ratings.rated_by(session, rating) if rating else "",
        "rating_scale": ratings.rating_scale(),
        "proposals": ratings.proposals(session, claim_id),
    }


def describe_newsroom_event(event: AuditEvent) -> str | None:
    """History lines for assignments, notes and ratings; None for other events."""
    after, before = event.after or {}, event.before or {}
    labels = {
        "claim.assigned": f"assigned the claim to {after.get('user')}",
        "claim.queued_by_mention": f"mentioned {after.get('user')}, who now has the claim in their queue",
        "claim.unassigned": f"took the claim out of {before.get('user')}'s queue",
        "note.created": "wrote a note",
        "note.edited": "edited a note",
        "note.deleted": "deleted a note",
        "rating.proposed": f"proposed the rating “{after.get('rating')}”",
        "rating.set": f"rated the claim “{after.get('rating')}”",
        "claim.published": f"published the rating “{after.get('rating')}”",
        "claim.unpublished": "unpublished the rating (back to draft)",
    }
    return labels.get(event.action)
