"""The editor's rating: only editors rate and publish, reviewers propose; publishing is audited and drives
the ClaimReview export, which is valid, escaped for embedding and absolute-URL'd."""

import json
import secrets
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from app.config import get_settings
from tests.exchange.claimreview_rules import claimreview_problems

API = "/api/v1"
PUBLIC = "https://checks.example.org/desk"


@pytest.fixture
def publishing_settings(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("CROSSCHECK_PUBLIC_URL", PUBLIC)
    monkeypatch.setenv("CROSSCHECK_ORGANISATION_NAME", "Example Checks")
    monkeypatch.setenv("CROSSCHECK_ORGANISATION_URL", "https://checks.example.org/")
    monkeypatch.setenv("CROSSCHECK_ORGANISATION_LOGO", "javascript:alert(1)")
    get_settings.cache_clear()
    yield
    monkeypatch.undo()
    get_settings.cache_clear()


def two_source_claim(client: TestClient, headers: dict[str, str]) -> tuple[int, list[int]]:
    """A claim stated by two fresh sources with article URLs (one hostile), and a third source with none."""
    marker = secrets.token_hex(4)
    text = f"The harbour board approved {marker} new cranes for the east quay </script><script>alert(1)</script>."
    ids = []
    for number, url in enumerate(("https://news.example.com/2025/cranes", "javascript:alert(1)", None)):
        answer = client.post(
            f"{API}/sources",
            headers=headers,
            json={
                "text": f"Report {number} {marker}\n\n{text} More words follow here.",
                "outlet": f"Outlet {number}",
                "url": url,
                "published_at": f"2025-02-1{number}",
                "title": f"Cranes {number} {marker}",
            },
        )
        assert answer.status_code == 201, answer.text
        ids.append(answer.json()["source"]["id"])
    quote = text
    claim = client.post(f"{API}/claims", headers=headers, json={"source_id": ids[0], "quote": quote, "text": text})
    assert claim.status_code == 201, claim.text
    claim_id = claim.json()["id"]
    for source_id in ids[1:]:
        other = client.post(f"{API}/claims", headers=headers, json={"source_id": source_id, "quote": quote})
        version = client.get(f"{API}/claims/{claim_id}", headers=headers).json()["version"]
        merged = client.post(
            f"{API}/claims/{claim_id}/merge", headers=headers, json={"other_id": other.json()["id"], "version": version}
        )
        assert merged.status_code == 200, merged.text
    return claim_id, ids


def test_only_editors_rate_and_publish_and_reviewers_propose(
    client: TestClient,
    make_user: Callable[..., Any],
    new_claim: Callable[..., dict[str, Any]],
) -> None:
    claim = new_claim()
    reviewer, reviewer_headers = make_user("reviewer")
    _editor, editor_headers = make_user("editor")
    url = f"{API}/claims/{claim['id']}"
    assert client.put(f"{url}/rating", headers=reviewer_headers, json={"rating": "false"}).status_code == 403
    proposal = client.put(
        f"{url}/rating-proposals/mine",
        headers=reviewer_headers,
        json={"rating": "mostly-false", "rationale": "One source only."},
    )
    assert proposal.status_code == 200, proposal.text
    assert [
        (p["reviewer"], p["rating"]) for p in client.get(f"{url}/rating-proposals", headers=editor_headers).json()
    ] == [(reviewer.name, "mostly-false")]
    assert client.get(f"{url}/rating", headers=editor_headers).status_code == 404  # a proposal is not a rating

    unknown = client.put(f"{url}/rating", headers=editor_headers, json={"rating": "pants-on-fire"})
    assert unknown.status_code == 422 and unknown.json()["errors"][0]["field"] == "rating"
    no_rationale = client.put(f"{url}/rating", headers=editor_headers, json={"rating": "mixed"})
    assert no_rationale.json()["state"] == "draft"
    refused = client.post(f"{url}/rating:publish", headers=editor_headers, json={})
    assert refused.status_code == 409 and refused.json()["errors"][0]["field"] == "rationale"

    rated = client.put(
        f"{url}/rating",
        headers=editor_headers,
        json={"rating": "mostly-false", "rationale": "Only **one** report.", "version": 1},
    )
    assert rated.status_code == 200, rated.text
    assert (rated.json()["rating_value"], rated.json()["version"]) == (2, 2)
    assert "<strong>one</strong>" in rated.json()["rationale_html"]
    stale = client.post(f"{url}/rating:publish", headers=editor_headers, json={"version": 1})
    assert stale.status_code == 412
    assert client.post(f"{url}/rating:publish", headers=reviewer_headers, json={}).status_code == 403
    published = client.post(f"{url}/rating:publish", headers=editor_headers, json={"version": 2}).json()
    assert published["state"] == "published" and published["published_at"]
    back = client.post(f"{url}/rating:unpublish", headers=editor_headers, json={}).json()
    assert (back["state"], back["published_at"]) == ("draft", None)
    assert client.post(f"{url}/rating:unpublish", headers=editor_headers, json={}).status_code == 409

    history = client.get(f"{url}/history", headers=editor_headers).json()["items"]
    assert [
        e["action"] for e in history if e["action"].startswith(("rating.", "claim.published", "claim.unpublished"))
    ] == ["rating.proposed", "rating.set", "rating.set", "claim.published", "claim.unpublished"]
    scale = client.get(f"{API}/ratings/scale", headers=reviewer_headers).json()
    assert [(s["name"], s["value"]) for s in scale] == [
        ("true", 5),
        ("mostly-true", 4),
        ("mixed", 3),
        ("mostly-false", 2),
        ("false", 1),
        ("unproven", 3),
    ]


def test_claimreview_exports_published_ratings_only_valid_escaped_and_absolute(
    client: TestClient,
    make_user: Callable[..., Any],
    publishing_settings: None,
) -> None:
    _editor, headers = make_user("editor")
    claim_id, (first, _hostile, _no_url) = two_source_claim(client, headers)
    export = {"format": "claimreview", "claim_id": claim_id}
    assert client.get(f"{API}/export", headers=headers, params=export).status_code == 404  # not rated
    client.put(
        f"{API}/claims/{claim_id}/rating",
        headers=headers,
        json={"rating": "mostly-true", "rationale": "Two outlets report it <b>independently</b> & agree."},
    )
    assert client.get(f"{API}/export", headers=headers, params=export).status_code == 404  # a draft
    everything = client.get(f"{API}/export", headers=headers, params={"format": "claimreview"}).json()
    assert claim_id not in [int(r["url"].rsplit("/", 1)[1]) for r in everything]
    draft = client.get(f"{API}/export", headers=headers, params=export | {"include_drafts": True}).json()
    assert draft["creativeWorkStatus"] == "Draft" and "datePublished" not in draft

    published = client.post(f"{API}/claims/{claim_id}/rating:publish", headers=headers, json={}).json()
    answer = client.get(f"{API}/export", headers=headers, params=export)
    assert answer.status_code == 200 and answer.headers["content-type"].startswith("application/ld+json")
    # Safe to embed in a <script> element: no raw <, > or & anywhere in the text, and it is the same JSON.
    assert not {"<", ">", "&"} & set(answer.text)
    review = json.loads(answer.text)
    assert claimreview_problems(review, public_url=PUBLIC) == []
    assert review["url"] == f"{PUBLIC}/claims/{claim_id}"
    assert review["claimReviewed"].endswith("</script><script>alert(1)</script>.")
    assert review["datePublished"] == published["published_at"].replace("Z", "+00:00")
    assert review["reviewRating"] == {
        "@type": "Rating",
        "ratingValue": 4,
        "bestRating": 5,
        "worstRating": 1,
        "alternateName": "mostly-true",
    }
    assert review["reviewBody"] == "Two outlets report it <b>independently</b> & agree."
    assert review["author"] == {
        "@type": "Organization",
        "name": "Example Checks",
        "url": "https://checks.example.org/",
    }  # the javascript: logo is left out
    # Only the source with an http(s) article URL of its own appears, with its outlet and date.
    assert review["itemReviewed"]["appearance"] == [
        {
            "@type": "CreativeWork",
            "url": "https://news.example.com/2025/cranes",
            "headline": review["itemReviewed"]["appearance"][0]["headline"],
            "publisher": {"@type": "Organization", "name": "Outlet 0"},
            "datePublished": "2025-02-10",
        }
    ]
    assert review["itemReviewed"]["datePublished"] == "2025-02-10"
    listed = client.get(f"{API}/export", headers=headers, params={"format": "claimreview"}).json()
    assert [r for r in listed if r["url"] == review["url"]] == [review]
    assert first  # the first source is the one with the article URL


def test_csv_carries_reviewers_notes_evidence_rating_and_rationale_for_the_board_filter(
    client: TestClient,
    make_user: Callable[..., Any],
    publishing_settings: None,
) -> None:
    reviewer, reviewer_headers = make_user("reviewer")
    _editor, headers = make_user("editor")
    claim_id, (first, _second, _third) = two_source_claim(client, headers)
    client.put(
        f"{API}/claims/{claim_id}/sources/{first}/assessment",
        headers=reviewer_headers,
        json={"stance": "corroborates", "note": "States it plainly."},
    )
    evidence = client.post(
        f"{API}/claims/{claim_id}/evidence",
        headers=reviewer_headers,
        json={"source_id": first, "quote": "harbour board approved"},
    ).json()
    client.put(f"{API}/claims/{claim_id}/rating", headers=headers, json={"rating": "true", "rationale": "Clear."})
    text = client.get(f"{API}/claims/{claim_id}", headers=headers).json()["text"]
    marker = text.split()[4]
    answer = client.get(f"{API}/export", headers=headers, params={"format": "csv", "q": marker})
    import csv
    import io

    rows = list(csv.DictReader(io.StringIO(answer.text)))
    assert {row["claim_id"] for row in rows} == {str(claim_id)}
    row = next(r for r in rows if r["source_id"] == str(first))
    assert row["reviewers"] == reviewer.name
    assert row["assessment_notes"] == f"{reviewer.name}: States it plainly."
    assert row["evidence_quotes"] == "harbour board approved"
    assert row["evidence_links"] == f"{PUBLIC}/sources/{first}#char={evidence['start']},{evidence['end']}"
    assert (row["rating"], row["rating_state"], row["rationale"]) == ("true", "draft", "Clear.")
    workspace = client.get(f"{API}/export", headers=headers, params={"format": "json", "q": marker}).json()
    assert [c["id"] for c in workspace["claims"]] == [claim_id]
