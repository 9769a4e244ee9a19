"""schema.org ClaimReview JSON-LD per claim: the form search engines and fact-check aggregators read."""

import json
from typing import Any

from sqlmodel import Session, col, select

from app.claims.models import Claim
from app.claims.service import get_claim, mentions_for
from app.review.anchors import passage_link
from app.sources.models import Source

PUBLISHER = {"@type": "Organization", "name": "Crosscheck"}
# A three-step truth scale; an unverified claim has no rating value, only its name.
RATINGS = {"contradicted": 1, "disputed": 2, "corroborated": 3}


def _appearance(source: Source, start: int, end: int) -> dict[str, Any]:
    item: dict[str, Any] = {"@type": "CreativeWork", "url": source.url or passage_link(source.id or 0, start, end)}
    if source.title:
        item["headline"] = source.title
    if source.author:
        item["author"] = {"@type": "Person", "name": source.author}
    if source.outlet:
        item["publisher"] = {"@type": "Organization", "name": source.outlet}
    if source.published_at:
        item["datePublished"] = source.published_at.isoformat()
    return item


def claim_review(session: Session, claim: Claim) -> dict[str, Any]:
    """One claim as a ClaimReview: claimReviewed, reviewRating (the verdict), itemReviewed with every
    appearance (one per source that mentions it), author and datePublished."""
    rating: dict[str, Any] = {"@type": "Rating", "alternateName": claim.verdict, "worstRating": 1, "bestRating": 3}
    if claim.verdict in RATINGS:
        rating["ratingValue"] = RATINGS[claim.verdict]
    appearances, seen = [], set()
    sources = {s.id: s for s in session.exec(select(Source)).all()}
    for mention in mentions_for(session, claim.id or 0):
        if mention.source_id in seen or mention.source_id not in sources:
            continue
        seen.add(mention.source_id)
        appearances.append(_appearance(sources[mention.source_id], mention.start, mention.end))
    return {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "url": f"/claims/{claim.id}",
        "claimReviewed": claim.text,
        "datePublished": claim.updated_at.date().isoformat(),
        "author": PUBLISHER,
        "reviewRating": rating,
        "itemReviewed": {"@type": "Claim", "appearance": appearances},
    }


def export_claimreview(session: Session, claim_id: int | None = None) -> str:
    """One claim's ClaimReview, or a list of every live claim's, as JSON-LD text."""
    if claim_id is not None:
        document: Any = claim_review(session, get_claim(session, claim_id))
    else:
        claims = session.exec(select(Claim).where(col(Claim.merged_into_id).is_(None)).order_by(col(Claim.id))).all()
        document = [claim_review(session, claim) for claim in claims]
    return json.dumps(document, ensure_ascii=False, indent=1) + "\n"
