"""The issue's "done when" scenario, over HTTP alone."""

from collections.abc import Callable
from typing import Any

from fastapi.testclient import TestClient

from app.sources.models import Source
from tests.conftest import CLAIM_QUOTE


def test_reviewer_disputes_the_500_billion_claim_end_to_end(
    client: TestClient,
    make_user: Callable[..., Any],
    source_ids: dict[str, int],
    fixture_sources: dict[str, Source],
) -> None:
    _user, headers = make_user("reviewer", name="done-when-reviewer")
    api = "/api/v1"
    one, two = source_ids["001"], source_ids["002"]

    # Take the claim from a passage of fixture 001 (created by hand; extraction may not have run).
    created = client.post(
        f"{api}/claims",
        headers=headers,
        json={
            "source_id": one,
            "quote": CLAIM_QUOTE,
            "kind": "figure",
            "text": "Ukraine agreed to provide the US with $500 billion worth of rare earth minerals.",
        },
    )
    assert created.status_code == 201, created.text
    claim = created.json()
    claim_id = claim["id"]
    assert claim["verdict"] == "unverified" and claim["status"] == "open"
    found = client.get(f"{api}/claims", headers=headers, params={"q": "$500 billion rare", "limit": 500}).json()
    assert [c["id"] for c in found["items"]] == [claim_id]

    # Source 001 corroborates, with its quote as evidence.
    put = client.put(
        f"{api}/claims/{claim_id}/sources/{one}/assessment",
        headers=headers,
        json={"stance": "corroborates", "note": "Reports the agreement."},
    )
    assert put.status_code == 201, put.text
    evidence_one = client.post(
        f"{api}/claims/{claim_id}/evidence", headers=headers, json={"source_id": one, "quote": CLAIM_QUOTE}
    )
    assert evidence_one.status_code == 201, evidence_one.text
    # Its own article alone supports it: single-source until another source corroborates.
    assert client.get(f"{api}/claims/{claim_id}", headers=headers).json()["verdict"] == "single_source"

    # Source 002 contradicts, with its quote as evidence.
    put = client.put(
        f"{api}/claims/{claim_id}/sources/{two}/assessment",
        headers=headers,
        json={"stance": "contradicts", "note": "Zelensky rejected the demand."},
    )
    assert put.status_code == 201, put.text
    quote_two = "a demand that Zelensky rejected"
    evidence_two = client.post(
        f"{api}/claims/{claim_id}/evidence", headers=headers, json={"source_id": two, "quote": quote_two}
    )
    assert evidence_two.status_code == 201, evidence_two.text
    item = evidence_two.json()
    text_two = fixture_sources["002_01998bc28edd2229.txt"].text
    assert text_two[item["start"] : item["end"]] == quote_two
    assert item["link"] == f"/sources/{two}#char={item['start']},{item['end']}"
    assert client.get(f"{api}/evidence/{item['id']}", headers=headers).json() == item

    detail = client.get(f"{api}/claims/{claim_id}", headers=headers).json()
    assert detail["verdict"] == "disputed"
    assert (detail["corroborating"], detail["contradicting"]) == (1, 1)
    assert {e["quote"] for e in detail["evidence"]} == {CLAIM_QUOTE, quote_two}
    assert all(a["origin"] == "reviewed" for a in detail["assessments"])

    history = client.get(f"{api}/claims/{claim_id}/history", headers=headers).json()["items"]
    actions = [e["action"] for e in history]
    assert actions[0] == "claim.created"
    for action in ("assessment.created", "evidence.created", "claim.verdict_changed"):
        assert action in actions
    verdicts = [e["after"]["verdict"] for e in history if e["action"] == "claim.verdict_changed"]
    assert verdicts == ["single_source", "disputed"]
    assert all(e["actor"].startswith("done-when-reviewer") for e in history)  # before the editor's turn

    # The editor rates the disputed claim and publishes; the ClaimReview carries the editor's rating.
    _editor, editor = make_user("editor", name="done-when-editor")
    client.put(
        f"{api}/claims/{claim_id}/rating",
        headers=editor,
        json={"rating": "mixed", "rationale": "One report has the agreement, another the refusal."},
    )
    assert client.post(f"{api}/claims/{claim_id}/rating:publish", headers=editor, json={}).status_code == 200
    exported = client.get(f"{api}/export", headers=headers, params={"format": "claimreview", "claim_id": claim_id})
    assert exported.status_code == 200, exported.text
    review = exported.json()
    assert review["@context"] == "https://schema.org" and review["@type"] == "ClaimReview"
    assert review["claimReviewed"].startswith("Ukraine agreed")
    assert review["reviewRating"]["alternateName"] == "mixed"
    assert review["reviewBody"].startswith("One report")
    assert review["author"]["name"]
    assert review["datePublished"]
