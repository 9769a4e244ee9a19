"""Reviewers' assessments (one per claim, source and reviewer), batches of them, and editors' adjudications."""

from typing import Any

from sqlmodel import Session, col, select

from app.audit import record_event
from app.auth.actor import Actor
from app.auth.models import User
from app.claims.service import get_live_claim, lock_claim
from app.clock import utcnow
from app.errors import DomainError, Forbidden, InvalidInput, NotFound, check_version
from app.review.models import Adjudication, Assessment
from app.review.schemas import AdjudicationPublic, AssessmentPublic
from app.review.verdicts import recompute_claim
from app.sources.service import get_source
from app.text_rules import NOTE_MAX_CHARS, check_text
from app.vocabulary import Stance
from app.webhooks.service import emit_event


def user_names(session: Session, user_ids: set[int]) -> dict[int, str]:
    """Names for user ids, for showing who decided what."""
    if not user_ids:
        return {}
    rows = session.exec(select(User.id, User.name).where(col(User.id).in_(user_ids))).all()
    return {user_id: name for user_id, name in rows if user_id is not None}


def to_assessment_public(
    session: Session, assessment: Assessment, names: dict[int, str] | None = None
) -> AssessmentPublic:
    names = names if names is not None else user_names(session, {assessment.user_id})
    return AssessmentPublic.model_validate(assessment, from_attributes=True).model_copy(
        update={"reviewer": names.get(assessment.user_id, "")}
    )


def to_adjudication_public(
    session: Session, adjudication: Adjudication, names: dict[int, str] | None = None
) -> AdjudicationPublic:
    names = names if names is not None else user_names(session, {adjudication.user_id})
    return AdjudicationPublic.model_validate(adjudication, from_attributes=True).model_copy(
        update={"editor": names.get(adjudication.user_id, "")}
    )


def _check_stance(stance: str) -> None:
    if stance not in Stance.values():
        raise InvalidInput(
            f"Unknown stance {stance!r}; choose one of {Stance.choices()}.",
            errors=[{"field": "stance", "message": f"must be one of {Stance.choices()}"}],
        )


def _user_id(actor: Actor) -> int:
    if actor.user_id is None:
        raise Forbidden("Only a user (or a user's token) can record a decision.")
    return actor.user_id


def _state(record: Assessment | Adjudication) -> dict[str, Any]:
    return {"stance": record.stance, "note": record.note, "version": record.version}


def get_assessment(session: Session, claim_id: int, source_id: int, user_id: int) -> Assessment | None:
    """One reviewer's assessment of a (claim, source), if any."""
    return session.exec(
        select(Assessment).where(
            Assessment.claim_id == claim_id, Assessment.source_id == source_id, Assessment.user_id == user_id
        )
    ).first()


def list_assessments(session: Session, claim_id: int) -> list[Assessment]:
    """Every reviewer's assessment of a claim, by source then time."""
    return list(
        session.exec(
            select(Assessment)
            .where(Assessment.claim_id == claim_id)
            .order_by(col(Assessment.source_id), col(Assessment.id))
        ).all()
    )


def apply_assessment(
    session: Session,
    actor: Actor,
    claim_id: int,
    source_id: int,
    stance: str,
    note: str = "",
    version: int | None = None,
) -> tuple[Assessment, bool]:
    """Create or update the caller's assessment without committing; returns (assessment, created).

    `version` is optional for one's own assessment: when sent, a stale one is refused.
    """
    user_id = _user_id(actor)
    _check_stance(stance)
    check_text("note", note, NOTE_MAX_CHARS)
    lock_claim(session, claim_id)
    get_live_claim(session, claim_id)
    get_source(session, source_id)
    assessment = get_assessment(session, claim_id, source_id, user_id)
    if assessment is None:
        if version not in (None, 0):
            check_version("assessment", 0, version, {"exists": False})
        assessment = Assessment(claim_id=claim_id, source_id=source_id, user_id=user_id, stance=stance, note=note)
        session.add(assessment)
        session.flush()
        before: dict[str, Any] | None = None
        created = True
    else:
        check_version(
            "assessment",
            assessment.version,
            version,
            to_assessment_public(session, assessment).model_dump(mode="json"),
            required=False,
        )
        if (assessment.stance, assessment.note) == (stance, note):
            return assessment, False
        before = _state(assessment)
        assessment.stance, assessment.note = stance, note
        assessment.version += 1
        assessment.updated_at = utcnow()
        session.add(assessment)
        created = False
    action = "assessment.created" if created else "assessment.updated"
    _record_change(session, actor, action, assessment, before, _state(assessment))
    recompute_claim(session, claim_id, actor)
    return assessment, created


def _record_change(
    session: Session,
    actor: Actor,
    action: str,
    assessment: Assessment,
    before: dict[str, Any] | None,
    after: dict[str, Any] | None,
) -> None:
    """One change to an assessment in the audit log and to webhooks (`after` is None when it was withdrawn)."""
    claim_id, source_id = assessment.claim_id, assessment.source_id
    record_event(
        session,
        actor,
        action,
        "assessment",
        assessment.id,
        before=before,
        after=after,
        claim_id=claim_id,
        source_id=source_id,
    )
    payload = {"claim_id": claim_id, "source_id": source_id, "reviewer": actor.name, "before": before, "after": after}
    emit_event(session, "assessment.changed", payload)


def set_assessment(
    session: Session,
    actor: Actor,
    claim_id: int,
    source_id: int,
    stance: str,
    note: str = "",
    version: int | None = None,
) -> tuple[Assessment, bool]:
    """Record the caller's stance on (claim, source) and commit; returns (assessment, created)."""
    try:
        assessment, created = apply_assessment(session, actor, claim_id, source_id, stance, note, version)
        session.flush()
        stored = _as_stored(assessment)
        session.commit()
    except Exception:
        session.rollback()
        raise
    return stored, created


def _as_stored(assessment: Assessment) -> Assessment:
    """A detached copy of the row as this transaction writes it. Re-reading it after the commit could find
    it gone: a merge committed just after may drop it as the older duplicate (its content is in the merge's
    audit event), and the caller must still be told what was stored."""
    return Assessment.model_validate(assessment.model_dump())


def delete_assessment(
    session: Session, actor: Actor, claim_id: int, source_id: int, version: int | None = None
) -> None:
    """Withdraw the caller's own assessment of (claim, source)."""
    lock_claim(session, claim_id)
    assessment = get_assessment(session, claim_id, source_id, _user_id(actor))
    if assessment is None:
        raise NotFound(f"You have no assessment of source {source_id} for claim {claim_id}.")
    check_version(
        "assessment",
        assessment.version,
        version,
        to_assessment_public(session, assessment).model_dump(mode="json"),
        required=False,
    )
    _record_change(session, actor, "assessment.deleted", assessment, _state(assessment), None)
    session.delete(assessment)
    recompute_claim(session, claim_id, actor)
    session.commit()


def apply_batch(session: Session, actor: Actor, items: list[dict[str, Any]]) -> list[Assessment]:
    """Apply many assessments in one transaction: all succeed, or none is stored and every failing item
    is reported by index with its field and reason.
    """
    results: list[Assessment] = []
    errors: list[dict[str, Any]] = []
    try:
        for index, item in enumerate(items):
            try:
                with session.begin_nested():
                    assessment, _created = apply_assessment(
                        session,
                        actor,
                        item["claim_id"],
                        item["source_id"],
                        item["stance"],
                        item.get("note", ""),
                        item.get("version"),
                    )
                results.append(assessment)
            except DomainError as error:
                fields = error.errors or [{"field": "", "message": error.detail}]
                errors.extend(
                    {
                        "index": index,
                        "status": error.status,
                        "field": f"items.{index}.{e['field']}",
                        "message": e["message"],
                        "detail": error.detail,
                    }
                    for e in fields
                )
        if errors:
            raise InvalidInput(
                f"{len({e['index'] for e in errors})} of {len(items)} items failed; nothing was stored.", errors=errors
            )
        session.flush()
        stored = [_as_stored(assessment) for assessment in results]
        session.commit()
    except Exception:
        session.rollback()
        raise
    return stored


def get_adjudication(session: Session, claim_id: int, source_id: int) -> Adjudication | None:
    """The editor's final stance on a (claim, source), if any."""
    return session.exec(
        select(Adjudication).where(Adjudication.claim_id == claim_id, Adjudication.source_id == source_id)
    ).first()


def get_adjudications(session: Session, claim_id: int) -> list[Adjudication]:
    """A claim's adjudications, by source."""
    return list(
        session.exec(
            select(Adjudication).where(Adjudication.claim_id == claim_id).order_by(col(Adjudication.source_id))
        ).all()
    )


def adjudicate(
    session: Session,
    actor: Actor,
    claim_id: int,
    source_id: int,
    stance: str,
    note: str = "",
    version: int | None = None,
) -> tuple[Adjudication, bool]:
    """Set the editor's final stance on a (claim, source); it overrides reviewers' disagreement.

    Replacing an existing adjudication needs its version. Returns (adjudication, created).
    """
    check_text("note", note, NOTE_MAX_CHARS)
    user_id = _user_id(actor)
    _check_stance(stance)
    lock_claim(session, claim_id)
    get_live_claim(session, claim_id)
    get_source(session, source_id)
    adjudication = get_adjudication(session, claim_id, source_id)
    before: dict[str, Any] | None = None
    if adjudication is None:
        adjudication = Adjudication(claim_id=claim_id, source_id=source_id, user_id=user_id, stance=stance, note=note)
        session.add(adjudication)
        session.flush()
    else:
        check_version(
            "adjudication",
            adjudication.version,
            version,
            to_adjudication_public(session, adjudication).model_dump(mode="json"),
        )
        before = _state(adjudication)
        adjudication.stance, adjudication.note, adjudication.user_id = stance, note, user_id
        adjudication.version += 1
        adjudication.updated_at = utcnow()
        session.add(adjudication)
    record_event(
        session,
        actor,
        "adjudication.created" if before is None else "adjudication.updated",
        "adjudication",
        adjudication.id,
        before=before,
        after=_state(adjudication),
        claim_id=claim_id,
        source_id=source_id,
    )
    recompute_claim(session, claim_id, actor)
    session.commit()
    session.refresh(adjudication)
    return adjudication, before is None
