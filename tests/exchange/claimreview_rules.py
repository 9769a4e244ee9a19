"""The ClaimReview fields schema.org and Google's fact-check markup guidelines require or recommend, as a checker
tests share (the API export test and the browser's done-when test validate what they download with it)."""

from datetime import datetime
from typing import Any
from urllib.parse import urlparse


def _absolute_web_url(value: Any) -> bool:
    parsed = urlparse(value) if isinstance(value, str) else None
    return parsed is not None and parsed.scheme in ("http", "https") and bool(parsed.netloc)


def _iso(value: Any) -> bool:
    try:
        datetime.fromisoformat(value)
    except (TypeError, ValueError):
        return False
    return True


def claimreview_problems(review: dict[str, Any], *, public_url: str) -> list[str]:
    """Every way `review` falls short of a publishable ClaimReview; empty when it is one."""
    problems = []
    if review.get("@context") != "https://schema.org" or review.get("@type") != "ClaimReview":
        problems.append("@context/@type must be https://schema.org ClaimReview")
    # Required by Google: claimReviewed, reviewRating (with alternateName), url; author recommended as Organization.
    if not isinstance(review.get("claimReviewed"), str) or not review["claimReviewed"].strip():
        problems.append("claimReviewed: a non-empty text")
    url = review.get("url")
    if not _absolute_web_url(url) or not str(url).startswith(public_url.rstrip("/") + "/"):
        problems.append(f"url: absolute under {public_url}")
    rating = review.get("reviewRating") or {}
    if rating.get("@type") != "Rating" or not rating.get("alternateName"):
        problems.append("reviewRating: a Rating with alternateName")
    value, best, worst = rating.get("ratingValue"), rating.get("bestRating"), rating.get("worstRating")
    if not all(isinstance(n, int) for n in (value, best, worst)) or not worst <= value <= best:  # type: ignore[operator]
        problems.append("reviewRating: ratingValue between worstRating and bestRating")
    author = review.get("author") or {}
    if author.get("@type") != "Organization" or not author.get("name"):
        problems.append("author: an Organization with a name")
    if "url" in author and not _absolute_web_url(author["url"]):
        problems.append("author.url: absolute http(s)")
    if "logo" in author and not _absolute_web_url((author["logo"] or {}).get("url")):
        problems.append("author.logo.url: absolute http(s)")
    # Recommended: datePublished, reviewBody, itemReviewed (a Claim with appearances).
    if not _iso(review.get("datePublished")):
        problems.append("datePublished: an ISO 8601 time")
    if not isinstance(review.get("reviewBody"), str) or not review["reviewBody"].strip():
        problems.append("reviewBody: the rationale")
    item = review.get("itemReviewed") or {}
    if item.get("@type") != "Claim":
        problems.append("itemReviewed: a Claim")
    appearances = item.get("appearance") or []
    if not appearances:
        problems.append("itemReviewed.appearance: at least one")
    for index, appearance in enumerate(appearances):
        if not _absolute_web_url(appearance.get("url")):
            problems.append(f"itemReviewed.appearance[{index}].url: the article's own absolute URL")
        if "datePublished" in appearance and not _iso(appearance["datePublished"]):
            problems.append(f"itemReviewed.appearance[{index}].datePublished: ISO 8601")
    return problems
