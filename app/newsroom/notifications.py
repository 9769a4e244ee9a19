"""In-app notifications: a person hears that a claim was assigned to them or that they were mentioned."""

from functools import cache
from typing import Any

from sqlalchemy import bindparam
from sqlalchemy import select as core_select  # a plain count
from sqlmodel import Session, col, func, select

from app.auth.actor import Actor
from app.clock import utcnow
from app.newsroom.models import Notification


def notify(session: Session, actor: Actor, user_id: int, kind: str, claim_id: int, note_id: int | None = None) -> None:
    """Queue a notification in the caller's transaction; nobody is told about their own action."""
    if user_id == actor.user_id:
        return
    session.add(Notification(user_id=user_id, kind=kind, claim_id=claim_id, note_id=note_id, actor=actor.name))


@cache
def _unread() -> Any:
    return (
        core_select(func.count())
        .select_from(Notification)
        .where(col(Notification.user_id) == bindparam("user_id"), col(Notification.read_at).is_(None))
    )


def unread_count(session: Session, user_id: int) -> int:
    """Every page's header shows it, so its statement is built once."""
    return int(session.connection().execute(_unread(), {"user_id": user_id}).scalar_one())


def list_notifications(
    session: Session, user_id: int, *, limit: int = 50, unread_only: bool = False
) -> list[Notification]:
    """A person's notifications, newest first."""
    query = select(Notification).where(Notification.user_id == user_id)
    if unread_only:
        query = query.where(col(Notification.read_at).is_(None))
    return list(session.exec(query.order_by(col(Notification.id).desc()).limit(limit)).all())


def mark_read(session: Session, user_id: int, notification_ids: list[int] | None = None) -> int:
    """Mark some (or, without ids, all) of a person's unread notifications read; returns how many changed."""
    query = select(Notification).where(Notification.user_id == user_id, col(Notification.read_at).is_(None))
    if notification_ids is not None:
        query = query.where(col(Notification.id).in_(notification_ids))
    rows = session.exec(query).all()
    now = utcnow()
    for row in rows:
        row.read_at = now
        session.add(row)
    session.commit()
    return len(rows)
