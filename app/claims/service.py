"""Claims: list and read them, create one from a passage, edit its wording, read their history.

Merging, unmerging and splitting change reviews too, so they live in app.review.merge."""

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import literal_column
from sqlmodel import Session, col, func, or_, select

from app.audit import record_event
from app.audit.models import AuditEvent
from app.audit.service import claim_events
from app.auth.actor import Actor
from app.claims.fulltext import search_count, search_page_ids, search_parameter
from app.claims.models import Claim, Mention, StanceSuggestion
from app.claims.schemas import ClaimPublic
from app.claims.search import apply_text_search
from app.clock import utcnow
from app.db import get_or_404
from app.errors import Conflict, InvalidInput, check_version
from app.sources.anchors import resolve_anchor
from app.sources.service import get_source
from app.text_rules import CLAIM_TEXT_MAX_CHARS, QUOTE_MAX_CHARS, check_text
from app.vocabulary import ClaimSort

# Only orders with an index on (key, id) over live claims (app.claims.indexes), so a page is an index walk.
SORTS = {sort.value: (getattr(Claim, sort.column), sort.descending) for sort in ClaimSort}


def to_public(claim: Claim) -> ClaimPublic:
    return ClaimPublic.model_validate(claim, from_attributes=True)


def current_state(claim: Claim) -> dict[str, Any]:
    """The claim as a client sees it, for stale-version answers."""
    return to_public(claim).model_dump(mode="json")


def get_claim(session: Session, claim_id: int) -> Claim:
    """A claim by id, merged-away tombstones included; NotFound otherwise."""
    return get_or_404(session, Claim, claim_id, "claim")


def get_live_claim(session: Session, claim_id: int) -> Claim:
    """A claim that can still be changed: merged-away claims answer with a Conflict naming their successor."""
    claim = get_claim(session, claim_id)
    if claim.merged_into_id is not None:
        raise Conflict(
            f"Claim {claim_id} was merged into claim {claim.merged_into_id}; work on that one.",
            merged_into_id=claim.merged_into_id,
        )
    return claim


def lock_claim(session: Session, claim_id: int) -> None:
    """Serialise decisions on one claim: hold its row until commit and reload it as committed.

    On PostgreSQL (read committed) two writers would otherwise both pass a version check, or both
    insert the same reviewer's first assessment, and recompute the verdict from each other's stale
    view. SQLite writers are already serialised by BEGIN IMMEDIATE and ignore FOR UPDATE.
    """
    session.exec(
        select(Claim)
        .where(Claim.id == claim_id)
        .with_for_update(key_share=True)
        .execution_options(populate_existing=True)
    ).first()


def list_claims(
    session: Session,
    *,
    verdict: str | None = None,
    status: str | None = None,
    kind: str | None = None,
    among: Any | None = None,
    conflict: bool | None = None,
    q: str | None = None,
    sort: str = "id",
    limit: int = 50,
    after: dict[str, Any] | None = None,
    count_limit: int | None = None,
    before: dict[str, Any] | None = None,
) -> tuple[list[Claim], int, dict[str, Any] | None]:
    """One page of live claims matching the filters; returns (claims, total matching, cursor of the next page).

    `among` is a select of claim ids to keep (review's "related to a source", say: claims do not know reviews).
    `after` is the cursor position a previous page returned; pagination is keyset on (sort key, id).
    `total` counts every match, unless `count_limit` is given: counting then stops there, so a total equal
    to `count_limit` means "at least that many" and a large workspace's page costs what a small one's does;
    `count_limit=0` does not count (total 0), for callers that want the page only.
    `before` (instead of `after`) pages backwards: the `limit` claims just before that position, still in
    sort order, and as the cursor the position to pass as `before` for the page before them (None at the start).
    """
    if before is not None:
        query, total = _page_query(
            session,
            select(Claim),
            verdict=verdict,
            status=status,
            kind=kind,
            among=among,
            conflict=conflict,
            q=q,
            sort=sort,
            limit=limit + 1,
            after=before,
            count_limit=count_limit,
            backwards=True,
        )
        rows = list(session.exec(query).all())
        claims = rows[:limit][::-1]
        return claims, total, (page_position(claims[0], sort) if len(rows) > limit else None)
    query, total = _page_query(
        session,
        select(Claim),
        verdict=verdict,
        status=status,
        kind=kind,
        among=among,
        conflict=conflict,
        q=q,
        sort=sort,
        limit=limit,
        after=after,
        count_limit=count_limit,
    )
    claims = list(session.exec(query).all())
    return claims, total, _next_position(claims, sort, limit)


def _page_query(
    session: Session,
    base: Any,
    *,
    verdict: str | None,
    status: str | None,
    kind: str | None,
    among: Any | None,
    conflict: bool | None,
    q: str | None,
    sort: str,
    limit: int,
    after: dict[str, Any] | None,
    count_limit: int | None,
    backwards: bool = False,
) -> tuple[Any, int]:
    """The ordered, limited page query over `base` (a select of Claim or of its columns), and the total.

    `backwards` reads the other way from `after` (for a `before` cursor): reversed order, claims before it."""
    if sort not in SORTS:
        raise InvalidInput(
            f"Unknown sort {sort!r}; choose one of {', '.join(SORTS)}.",
            errors=[{"field": "sort", "message": f"must be one of {', '.join(SORTS)}"}],
        )
    query = base.where(_live_filter(session, sort))
    if verdict:
        query = query.where(Claim.verdict == verdict)
    if status:
        query = query.where(Claim.status == status)
    if kind:
        query = query.where(Claim.kind == kind)
    if conflict is not None:
        query = query.where(Claim.has_conflict == conflict)
    if among is not None:
        query = query.where(col(Claim.id).in_(among))
    dialect = session.get_bind().dialect.name
    column, descending = SORTS[sort]
    descending = descending != backwards
    key = col(column)
    order = [key.desc(), col(Claim.id).desc()] if descending else [key, col(Claim.id)]
    filtered = verdict or status or kind or among is not None or conflict is not None
    words = search_parameter(dialect, q) if q and not filtered and sort.lstrip("-") == "id" else None
    if words is not None and count_limit is not None:
        # Words alone, by id: the search index (of live claims only) counts and finds the page itself, in claim
        # order, stopping early, as the API's list does; through the claim table the count read every match's row.
        if after is not None:
            query = _after(query, sort, after, descending)
        after_id = after["id"] if after is not None else None
        total = (session.scalar(search_count(dialect, words, count_limit)) or 0) if count_limit else 0
        page_ids = search_page_ids(dialect, words, limit, after_id, descending)
        return query.where(col(Claim.id).in_(page_ids)).order_by(*order).limit(limit), total
    query = apply_text_search(query, q, dialect)
    # Only ids are counted, so the count can be answered from an index without reading claim rows.
    counted = query.with_only_columns(col(Claim.id))
    if count_limit is not None:
        counted = counted.limit(count_limit)
    total = session.exec(select(func.count()).select_from(counted.subquery())).one() if count_limit != 0 else 0
    if after is not None:
        query = _after(query, sort, after, descending)
    return query.order_by(*order).limit(limit), total


def _live_filter(session: Session, sort: str) -> Any:
    """Only claims not merged away.

    SQLite's planner prefers the index on merged_into_id for this filter and then sorts every live claim;
    for a sort other than id, the unary plus hides that index so it walks the sort's (key, id) index and
    skips the few merged-away rows instead (0.2 ms instead of ~30 ms a page at 100k claims)."""
    if sort.lstrip("-") != "id" and session.get_bind().dialect.name == "sqlite":
        return literal_column("+claim.merged_into_id").is_(None)
    return col(Claim.merged_into_id).is_(None)


def _next_position(claims: Sequence[Claim | ClaimPublic], sort: str, limit: int) -> dict[str, Any] | None:
    if len(claims) < limit:
        return None
    return page_position(claims[-1], sort)


def page_position(claim: Claim | ClaimPublic, sort: str) -> dict[str, Any]:
    """The cursor position of a claim in a sort order: pages continue after it (`after`) or before it (`before`)."""
    value = getattr(claim, sort.lstrip("-"))  # every sort is a column name, "-" for descending
    return {"sort": sort, "value": value.isoformat() if isinstance(value, datetime) else value, "id": claim.id}


def _after(query: Any, sort: str, after: dict[str, Any], descending: bool) -> Any:
    """Claims beyond the position in the direction of travel (`descending`: smaller keys)."""
    field = sort.lstrip("-")
    value: Any = after.get("id") if field == "id" else after.get("value")
    if field == "updated_at" and isinstance(value, str):
        try:
            value = datetime.fromisoformat(value)
        except ValueError:
            value = None
    expected = {"verdict": str, "status": str, "updated_at": datetime, "id": int}
    kind = expected[field]
    if after.get("sort") != sort or not isinstance(after.get("id"), int) or type(value) is not kind:
        raise InvalidInput(
            "The cursor belongs to another sort order; start again without it.",
            errors=[{"field": "cursor", "message": "does not match sort"}],
        )
    key, last_id = col(SORTS[sort][0]), after["id"]
    if field == "id":
        # The plain range: with bound values SQLite cannot reduce "id < ? OR (id = ? AND id < ?)" to it, and
        # scanned live claims instead (~25 ms at 100k for the claim page's neighbour).
        return query.where(col(Claim.id) < last_id if descending else col(Claim.id) > last_id)
    if descending:
        return query.where(or_(key < value, (key == value) & (col(Claim.id) < last_id)))
    return query.where(or_(key > value, (key == value) & (col(Claim.id) > last_id)))


def create_claim(
    session: Session,
    actor: Actor,
    source_id: int,
    *,
    start: int | None = None,
    end: int | None = None,
    quote: str | None = None,
    prefix: str | None = None,
    suffix: str | None = None,
    text: str | None = None,
    kind: str = "statement",
) -> Claim:
    """A reviewer's claim from a selected passage (validated like evidence); the passage is its first mention."""
    check_text("text", text, CLAIM_TEXT_MAX_CHARS)
    check_text("quote", quote, QUOTE_MAX_CHARS)
    source = get_source(session, source_id)
    anchor = resolve_anchor(source.text, start=start, end=end, quote=quote, prefix=prefix, suffix=suffix)
    wording = (text or anchor.quote).strip()
    claim = Claim(text=wording, kind=kind, origin="manual", text_edited=text is not None)
    session.add(claim)
    session.flush()
    assert claim.id is not None
    mention = Mention(
        claim_id=claim.id, source_id=source_id, start=anchor.start, end=anchor.end, quote=anchor.quote, origin="manual"
    )
    session.add(mention)
    session.flush()
    record_event(
        session,
        actor,
        "claim.created",
        "claim",
        claim.id,
        claim_id=claim.id,
        source_id=source_id,
        after={
            "text": claim.text,
            "kind": kind,
            "mention": {"id": mention.id, "start": anchor.start, "end": anchor.end, "quote": anchor.quote},
        },
    )
    # No verdict to recompute: a claim with one mention and no decision has the defaults (unverified, open).
    session.commit()
    session.refresh(claim)
    return claim


def edit_claim(
    session: Session,
    actor: Actor,
    claim_id: int,
    *,
    version: int | None,
    text: str | None = None,
    kind: str | None = None,
) -> Claim:
    """Change a claim's canonical wording or kind; the text is then marked edited so re-extraction keeps it."""
    check_text("text", text, CLAIM_TEXT_MAX_CHARS)
    claim = get_live_claim(session, claim_id)
    check_version("claim", claim.version, version, current_state(claim))
    before = {"text": claim.text, "kind": claim.kind, "version": claim.version}
    if text is not None and text.strip() != claim.text:
        claim.text, claim.text_edited = text.strip(), True
    if kind is not None:
        claim.kind = kind
    if (claim.text, claim.kind) == (before["text"], before["kind"]):
        return claim
    claim.version += 1
    claim.updated_at = utcnow()
    session.add(claim)
    record_event(
        session,
        actor,
        "claim.edited",
        "claim",
        claim.id,
        claim_id=claim.id,
        before=before,
        after={"text": claim.text, "kind": claim.kind, "version": claim.version},
    )
    session.commit()
    session.refresh(claim)
    return claim


def suggestions_for(session: Session, claim_id: int) -> list[StanceSuggestion]:
    """Extraction's stance suggestions for a claim, by source."""
    return list(
        session.exec(
            select(StanceSuggestion)
            .where(StanceSuggestion.claim_id == claim_id)
            .order_by(col(StanceSuggestion.source_id))
        ).all()
    )


def mentions_for(session: Session, claim_id: int) -> list[Mention]:
    """A claim's mentions, by source and position."""
    return list(
        session.exec(
            select(Mention)
            .where(Mention.claim_id == claim_id)
            .order_by(col(Mention.source_id), col(Mention.start), col(Mention.id))
        ).all()
    )


def merged_claim_ids(session: Session, claim_id: int) -> set[int]:
    """The claim and every claim merged into it, directly or through others."""
    ids, frontier = {claim_id}, [claim_id]
    while frontier:
        rows = session.exec(select(Claim.id).where(col(Claim.merged_into_id).in_(frontier))).all()
        frontier = [r for r in rows if r is not None and r not in ids]
        ids.update(frontier)
    return ids


def claim_history(
    session: Session, claim_id: int, *, limit: int = 100, after_id: int | None = None
) -> list[AuditEvent]:
    """A claim's events, oldest first, including those of claims merged into it."""
    get_claim(session, claim_id)
    return claim_events(session, merged_claim_ids(session, claim_id), limit=limit, after_id=after_id)
