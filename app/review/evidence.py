"""Evidence links: exact passages in stored sources, or quoted external pages, backing a claim's review."""

from datetime import date
from typing import Any
from urllib.parse import urlparse

from sqlmodel import Session, col, select

from app.audit import record_event
from app.auth.actor import Actor
from app.auth.service import role_rank
from app.claims.models import Mention, StanceSuggestion
from app.claims.service import get_live_claim, lock_claim
from app.clock import utcnow
from app.config import get_settings
from app.db import get_or_404
from app.errors import Forbidden, InvalidInput, check_version
from app.review.models import Adjudication, Assessment, Evidence
from app.review.schemas import EvidencePublic
from app.review.service import user_names
from app.sources.anchors import passage_link, resolve_anchor
from app.sources.service import get_source
from app.text_rules import NOTE_MAX_CHARS, QUOTE_MAX_CHARS, check_text


def evidence_link(evidence: Evidence) -> str:
    """Where the passage opens: the source view at the offsets, or the external page."""
    if evidence.source_id is not None and evidence.start is not None and evidence.end is not None:
        return passage_link(evidence.source_id, evidence.start, evidence.end)
    return evidence.url or ""


def to_evidence_public(session: Session, evidence: Evidence, names: dict[int, str] | None = None) -> EvidencePublic:
    names = names if names is not None else user_names(session, {evidence.created_by_id})
    return EvidencePublic(
        **evidence.model_dump(exclude={"created_by_id"}),
        link=evidence_link(evidence),
        created_by=names.get(evidence.created_by_id, ""),
    )


def _state(evidence: Evidence) -> dict[str, Any]:
    return evidence.model_dump(
        mode="json",
        include={"source_id", "start", "end", "quote", "prefix", "suffix", "url", "accessed_at", "note", "version"},
    )


def _related(session: Session, claim_id: int, source_id: int) -> bool:
    for model in (Mention, StanceSuggestion, Assessment, Adjudication):
        row = session.exec(
            select(model.id).where(
                model.claim_id == claim_id,  # type: ignore[attr-defined]
                model.source_id == source_id,
            )
        ).first()  # type: ignore[attr-defined]
        if row is not None:
            return True
    return False


def get_evidence(session: Session, evidence_id: int) -> Evidence:
    """One evidence item, or NotFound."""
    return get_or_404(session, Evidence, evidence_id, "evidence")


def list_evidence(session: Session, claim_id: int, source_id: int | None = None) -> list[Evidence]:
    """A claim's evidence, optionally only that in one source, oldest first."""
    query = select(Evidence).where(Evidence.claim_id == claim_id)
    if source_id is not None:
        query = query.where(Evidence.source_id == source_id)
    return list(session.exec(query.order_by(col(Evidence.id))).all())


def _check_texts(values: dict[str, str | None]) -> None:
    for field, value in values.items():
        check_text(field, value, NOTE_MAX_CHARS if field == "note" else QUOTE_MAX_CHARS)


def _check_url(url: str) -> str:
    parsed = urlparse(url)
    if parsed.scheme not in ("http", "https") or not parsed.netloc:
        raise InvalidInput(f"{url!r} is not an http(s) URL.", errors=[{"field": "url", "message": "must be http(s)"}])
    return url


def add_evidence(
    session: Session,
    actor: Actor,
    claim_id: int,
    *,
    source_id: int | None = None,
    start: int | None = None,
    end: int | None = None,
    quote: str | None = None,
    prefix: str | None = None,
    suffix: str | None = None,
    url: str | None = None,
    accessed_at: date | None = None,
    note: str = "",
) -> Evidence:
    """Attach evidence to a claim: a validated anchor in a stored source, or an external URL with a quote
    (accessed today unless a date is given). Commits.
    """
    if actor.user_id is None:
        raise Forbidden("Only a user (or a user's token) can add evidence.")
    _check_texts({"quote": quote, "prefix": prefix, "suffix": suffix, "note": note})
    lock_claim(session, claim_id)  # a merge moving this claim's evidence waits for us, or we for it
    get_live_claim(session, claim_id)
    if (source_id is None) == (url is None):
        raise InvalidInput(
            "Evidence points either into a stored source (source_id) or to an external url.",
            errors=[{"field": "source_id", "message": "give exactly one of source_id and url"}],
        )
    if source_id is not None:
        source = get_source(session, source_id)
        if get_settings().evidence_requires_related_source and not _related(session, claim_id, source_id):
            raise InvalidInput(
                f"Source {source_id} neither mentions nor has been assessed for claim {claim_id}, "
                "and this workspace keeps evidence to related sources.",
                errors=[{"field": "source_id", "message": "not related to the claim"}],
            )
        anchor = resolve_anchor(source.text, start=start, end=end, quote=quote, prefix=prefix, suffix=suffix)
        evidence = Evidence(
            claim_id=claim_id,
            source_id=source_id,
            start=anchor.start,
            end=anchor.end,
            quote=anchor.quote,
            prefix=anchor.prefix,
            suffix=anchor.suffix,
            note=note,
            created_by_id=actor.user_id,
        )
    else:
        if not quote:
            raise InvalidInput(
                "External evidence needs the quoted passage.",
                errors=[{"field": "quote", "message": "required with url"}],
            )
        evidence = Evidence(
            claim_id=claim_id,
            url=_check_url(str(url)),
            quote=quote,
            prefix=prefix or "",
            suffix=suffix or "",
            accessed_at=accessed_at or utcnow().date(),
            note=note,
            created_by_id=actor.user_id,
        )
    session.add(evidence)
    session.flush()
    record_event(
        session,
        actor,
        "evidence.created",
        "evidence",
        evidence.id,
        after=_state(evidence),
        claim_id=claim_id,
        source_id=source_id,
    )
    session.commit()
    session.refresh(evidence)
    return evidence


def _check_owner(actor: Actor, evidence: Evidence) -> None:
    if evidence.created_by_id != actor.user_id and role_rank(actor.role) < role_rank("editor"):
        raise Forbidden("Reviewers change only their own evidence; an editor can change anyone's.")


def update_evidence(
    session: Session, actor: Actor, evidence_id: int, changes: dict[str, Any], version: int | None
) -> Evidence:
    """Change an evidence item's note, date or anchor (re-validated); needs the version read. Commits.

    Reviewers change their own evidence; editors anyone's.
    """
    evidence = get_evidence(session, evidence_id)
    _check_owner(actor, evidence)
    _check_texts({key: changes.get(key) for key in ("quote", "prefix", "suffix", "note")})
    check_version("evidence", evidence.version, version, to_evidence_public(session, evidence).model_dump(mode="json"))
    before = _state(evidence)
    anchor_keys = {"start", "end", "quote", "prefix", "suffix"}
    if evidence.source_id is not None and anchor_keys & changes.keys():
        source = get_source(session, evidence.source_id)
        if "quote" in changes and not {"start", "end"} & changes.keys():
            # A new quote alone is searched for afresh rather than checked against the old offsets.
            given = {k: changes.get(k) for k in ("quote", "prefix", "suffix")}
        else:
            given = {k: changes.get(k, getattr(evidence, k)) for k in ("start", "end", "quote")}
            given.update({k: changes.get(k) for k in ("prefix", "suffix")})
        anchor = resolve_anchor(source.text, **given)
        evidence.start, evidence.end, evidence.quote = anchor.start, anchor.end, anchor.quote
        evidence.prefix, evidence.suffix = anchor.prefix, anchor.suffix
    elif evidence.source_id is None:
        for key in ("quote", "prefix", "suffix"):
            if changes.get(key) is not None:
                setattr(evidence, key, changes[key])
        if changes.get("accessed_at") is not None:
            evidence.accessed_at = changes["accessed_at"]
    if changes.get("note") is not None:
        evidence.note = changes["note"]
    if _state(evidence) == before:
        return evidence
    evidence.version += 1
    evidence.updated_at = utcnow()
    session.add(evidence)
    record_event(
        session,
        actor,
        "evidence.updated",
        "evidence",
        evidence.id,
        before=before,
        after=_state(evidence),
        claim_id=evidence.claim_id,
        source_id=evidence.source_id,
    )
    session.commit()
    session.refresh(evidence)
    return evidence


def delete_evidence(session: Session, actor: Actor, evidence_id: int, version: int | None) -> None:
    """Remove an evidence item (its content stays in the audit log); needs the version read. Commits."""
    evidence = get_evidence(session, evidence_id)
    _check_owner(actor, evidence)
    check_version("evidence", evidence.version, version, to_evidence_public(session, evidence).model_dump(mode="json"))
    record_event(
        session,
        actor,
        "evidence.deleted",
        "evidence",
        evidence.id,
        before=_state(evidence),
        claim_id=evidence.claim_id,
        source_id=evidence.source_id,
    )
    session.delete(evidence)
    session.commit()
