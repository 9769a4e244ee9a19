"""schema.org ClaimReview JSON-LD of the editor's published ratings: what search engines and fact-check
aggregators read. Drafts go out only when asked for; unrated claims never do.

Every URL is absolute (under the `public_url` setting) or a source's own http(s) article URL, and the text is
escaped so the JSON-LD can be placed inside a <script> element of a page as it is.
"""

import json
from collections.abc import Iterable
from typing import Any
from urllib.parse import urlparse

from sqlmodel import Session, col, select

from app.claims.models import Claim, Mention
from app.config import Settings, get_settings
from app.errors import NotFound
from app.newsroom.models import ClaimRating
from app.sources.models import Source

# Characters that would let a string end a <script> element or start an HTML entity or comment.
_EMBED_ESCAPES = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026"}


def web_url(value: str | None) -> str | None:
    """The URL when it is an absolute http(s) one; anything else (javascript:, data:, a path) is left out."""
    if not value:
        return None
    parsed = urlparse(value.strip())
    if parsed.scheme.lower() not in ("http", "https") or not parsed.netloc:
        return None
    return value.strip()


def article_url(value: str | None) -> str | None:
    """A web URL that points at a page of a site; a bare home page says where an outlet is, not the article."""
    url = web_url(value)
    if url is None:
        return None
    parsed = urlparse(url)
    return url if parsed.path.strip("/") or parsed.query else None


def organisation(settings: Settings) -> dict[str, Any]:
    author: dict[str, Any] = {"@type": "Organization", "name": settings.organisation_name}
    if url := web_url(settings.organisation_url):
        author["url"] = url
    if logo := web_url(settings.organisation_logo):
        author["logo"] = {"@type": "ImageObject", "url": logo}
    return author


def _appearance(source: Source) -> dict[str, Any] | None:
    url = article_url(source.url)
    if url is None:
        return None  # no article URL of its own: an app path or the outlet's home page would mislead
    item: dict[str, Any] = {"@type": "CreativeWork", "url": url}
    if source.title:
        item["headline"] = source.title
    if source.outlet:
        item["publisher"] = {"@type": "Organization", "name": source.outlet}
    if source.author:
        item["author"] = {"@type": "Person", "name": source.author}
    if source.published_at:
        item["datePublished"] = source.published_at.isoformat()
    return item


def claim_review(claim: Claim, rating: ClaimRating, sources: list[Source], settings: Settings) -> dict[str, Any]:
    """One rated claim as a ClaimReview; `sources` are those that state it, in order."""
    scale = settings.rating_scale
    appearances = [item for item in (_appearance(source) for source in sources) if item is not None]
    item_reviewed: dict[str, Any] = {"@type": "Claim", "appearance": appearances}
    dated = sorted((s.published_at, s) for s in sources if s.published_at)
    if dated:
        item_reviewed["datePublished"] = dated[0][0].isoformat()
        first = _appearance(dated[0][1])
        if first is not None:
            item_reviewed["firstAppearance"] = first
    review: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "url": f"{settings.public_url.rstrip('/')}/claims/{claim.id}",
        "claimReviewed": claim.text,
        "author": organisation(settings),
        "reviewRating": {
            "@type": "Rating",
            "ratingValue": scale.get(rating.rating, 0),
            "bestRating": 5,
            "worstRating": 1,
            "alternateName": rating.rating,
        },
        "reviewBody": rating.rationale,
        "itemReviewed": item_reviewed,
    }
    if rating.published_at is not None and rating.state == "published":
        review["datePublished"] = rating.published_at.isoformat()
    else:
        review["creativeWorkStatus"] = "Draft"
    review["dateModified"] = rating.updated_at.isoformat()
    return review


def _stating_sources(session: Session, claim_ids: Iterable[int]) -> dict[int, list[Source]]:
    rows = session.exec(
        select(Mention.claim_id, Source)
        .join(Source, col(Source.id) == col(Mention.source_id))
        .where(col(Mention.claim_id).in_(list(claim_ids)))
        .order_by(col(Mention.claim_id), col(Source.id))
    ).all()
    found: dict[int, list[Source]] = {}
    for claim_id, source in rows:
        listed = found.setdefault(claim_id, [])
        if source not in listed:
            listed.append(source)
    return found


def claim_reviews(
    session: Session, claim_ids: list[int] | None = None, *, include_drafts: bool = False
) -> list[dict[str, Any]]:
    """ClaimReviews of published (and, when asked, draft) ratings of live claims, by claim id."""
    query = (
        select(Claim, ClaimRating)
        .join(ClaimRating, col(ClaimRating.claim_id) == col(Claim.id))
        .where(col(Claim.merged_into_id).is_(None))
        .order_by(col(Claim.id))
    )
    if not include_drafts:
        query = query.where(ClaimRating.state == "published")
    if claim_ids is not None:
        query = query.where(col(Claim.id).in_(claim_ids))
    rows = session.exec(query).all()
    sources = _stating_sources(session, [claim.id for claim, _rating in rows if claim.id is not None])
    settings = get_settings()
    return [claim_review(claim, rating, sources.get(claim.id or 0, []), settings) for claim, rating in rows]


def embeddable_json(document: Any) -> str:
    """JSON text that is still the same JSON, but safe inside <script type="application/ld+json">."""
    text = json.dumps(document, ensure_ascii=False, indent=1)
    for character, escape in _EMBED_ESCAPES.items():
        text = text.replace(character, escape)
    return text + "\n"


def export_claimreview(
    session: Session, claim_id: int | None = None, *, claim_ids: list[int] | None = None, include_drafts: bool = False
) -> str:
    """One claim's ClaimReview (NotFound when it has none to give), or a list for the chosen claims (all when None)."""
    if claim_id is not None:
        reviews = claim_reviews(session, [claim_id], include_drafts=include_drafts)
        if not reviews:
            raise NotFound(f"Claim {claim_id} has no {'rating' if include_drafts else 'published rating'}.")
        return embeddable_json(reviews[0])
    return embeddable_json(claim_reviews(session, claim_ids, include_drafts=include_drafts))
