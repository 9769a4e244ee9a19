"""Evidence anchors: validated offsets, found quotes, ambiguity, external URLs, edits under versions."""

from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient

from app.config import get_settings
from app.sources.models import Source
from tests.conftest import CLAIM_QUOTE

API = "/api/v1"


@pytest.fixture
def claim(new_claim: Callable[..., dict[str, Any]]) -> dict[str, Any]:
    return new_claim()


def _add(client: TestClient, headers: dict[str, str], claim_id: int, **body: Any) -> Any:
    return client.post(f"{API}/claims/{claim_id}/evidence", headers=headers, json=body)


def test_offsets_are_checked_and_quotes_found(
    client: TestClient,
    claim: dict[str, Any],
    source_ids: dict[str, int],
    fixture_sources: dict[str, Source],
    reviewer_headers: dict[str, str],
) -> None:
    one = source_ids["001"]
    text = fixture_sources["001_82625007ee74e6f5.txt"].text
    start = text.index(CLAIM_QUOTE)
    by_offsets = _add(client, reviewer_headers, claim["id"], source_id=one, start=start, end=start + len(CLAIM_QUOTE))
    assert by_offsets.status_code == 201 and by_offsets.json()["quote"] == CLAIM_QUOTE
    assert by_offsets.json()["prefix"] == text[start - 32 : start]
    cases = [
        ({"start": len(text) - 2, "end": len(text) + 5}, "end"),
        ({"start": 10, "end": 5}, "end"),
        ({"start": start, "end": start + 5, "quote": "not the text"}, "quote"),
        ({"quote": "this sentence is nowhere in the article"}, "quote"),
        ({"quote": "the"}, "quote"),
        ({"quote": CLAIM_QUOTE, "prefix": "wrong context "}, "quote"),
        ({"start": start}, "end"),
        ({}, "quote"),
    ]
    for body, field in cases:
        refused = _add(client, reviewer_headers, claim["id"], source_id=one, **body)
        assert refused.status_code == 422, (body, refused.text)
        assert refused.json()["errors"][0]["field"] == field, (body, refused.json())
    ambiguous = _add(client, reviewer_headers, claim["id"], source_id=one, quote="the")
    assert "ambiguous" in ambiguous.json()["detail"]
    absent = _add(client, reviewer_headers, claim["id"], source_id=one, quote="nowhere to be seen, honestly")
    assert "not found" in absent.json()["detail"]
    # Context narrows an ambiguous quote to one place.
    nth = text.index(" the ", start)
    narrowed = _add(
        client,
        reviewer_headers,
        claim["id"],
        source_id=one,
        quote="the",
        prefix=text[nth - 20 : nth + 1],
        suffix=text[nth + 4 : nth + 20],
    )
    assert narrowed.status_code == 201 and narrowed.json()["start"] == nth + 1
    assert _add(client, reviewer_headers, claim["id"], source_id=10**9, quote="x").status_code == 404
    assert _add(client, reviewer_headers, 10**9, source_id=one, quote=CLAIM_QUOTE).status_code == 404
    listed = client.get(f"{API}/claims/{claim['id']}/evidence", headers=reviewer_headers).json()
    assert len(listed) == 2  # none of the refused items was stored


def test_external_url_evidence_and_the_related_source_setting(
    client: TestClient,
    claim: dict[str, Any],
    source_ids: dict[str, int],
    reviewer_headers: dict[str, str],
) -> None:
    external = _add(
        client,
        reviewer_headers,
        claim["id"],
        url="https://example.org/statement",
        quote="We never agreed to that.",
        accessed_at="2025-03-02",
    )
    assert external.status_code == 201, external.text
    assert external.json()["link"] == "https://example.org/statement" and external.json()["accessed_at"] == "2025-03-02"
    assert _add(client, reviewer_headers, claim["id"], url="https://example.org/x").status_code == 422
    both = _add(client, reviewer_headers, claim["id"], url="https://example.org/x", source_id=1, quote="q")
    assert both.status_code == 422 and both.json()["errors"][0]["field"] == "source_id"
    bad_url = _add(client, reviewer_headers, claim["id"], url="ftp://example.org/x", quote="q")
    assert bad_url.status_code == 422 and bad_url.json()["errors"][0]["field"] == "url"

    settings = get_settings()
    settings.evidence_requires_related_source = True
    try:
        unrelated = _add(client, reviewer_headers, claim["id"], source_id=source_ids["003"], quote="Zelensky")
        assert unrelated.status_code == 422 and unrelated.json()["errors"][0]["field"] == "source_id"
        related = _add(client, reviewer_headers, claim["id"], source_id=source_ids["001"], quote=CLAIM_QUOTE)
        assert related.status_code == 201
    finally:
        settings.evidence_requires_related_source = False


def test_evidence_edits_need_the_version_and_ownership(
    client: TestClient,
    claim: dict[str, Any],
    source_ids: dict[str, int],
    make_user: Callable[..., Any],
    editor_headers: dict[str, str],
) -> None:
    _owner, owner = make_user("reviewer", password=None)
    _other, other = make_user("reviewer", password=None)
    item = _add(client, owner, claim["id"], source_id=source_ids["001"], quote=CLAIM_QUOTE).json()
    url = f"{API}/evidence/{item['id']}"
    assert client.patch(url, headers=owner, json={"note": "n"}).status_code == 428
    assert client.patch(url, headers=other, json={"note": "n", "version": 1}).status_code == 403
    changed = client.patch(url, headers={**owner, "If-Match": '"1"'}, json={"note": "paragraph 4"})
    assert changed.status_code == 200 and changed.json()["version"] == 2 and changed.headers["ETag"] == '"2"'
    stale = client.patch(url, headers=owner, json={"note": "overwrite", "version": 1})
    assert stale.status_code == 412 and stale.json()["current"]["note"] == "paragraph 4"
    moved = client.patch(url, headers=editor_headers, json={"quote": "worth $500 billion", "version": 2})
    assert moved.status_code == 200 and moved.json()["quote"] == "worth $500 billion"
    assert moved.json()["start"] == item["start"] + len(CLAIM_QUOTE) - len("worth $500 billion")
    bad = client.patch(url, headers=editor_headers, json={"start": 0, "end": 10**8, "version": 3})
    assert bad.status_code == 422 and client.get(url, headers=owner).json()["version"] == 3
    assert client.delete(url, headers=owner, params={"version": 2}).status_code == 412
    assert client.delete(url, headers={**owner, "If-Match": '"3"'}).status_code == 204
    assert client.get(url, headers=owner).status_code == 404
    history = client.get(
        f"{API}/audit", headers=owner, params={"entity_type": "evidence", "entity_id": item["id"]}
    ).json()["items"]
    assert [e["action"] for e in history] == [
        "evidence.deleted",
        "evidence.updated",
        "evidence.updated",
        "evidence.created",
    ]
    assert history[0]["before"]["quote"] == "worth $500 billion"
