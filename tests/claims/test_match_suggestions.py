"""Suggested matches: accept merges, reject keeps apart for good, both audited and undoable, over the API."""

from collections.abc import Callable
from typing import Any

from fastapi.testclient import TestClient
from sqlmodel import Session, select

from app.claims.models import ClaimMatchSuggestion
from app.db import get_engine
from app.review.match_suggestions import MatchCandidate, store_match_suggestions

API = "/api/v1"


def _suggest(claim_id: int, other_id: int, score: float = 0.41) -> int:
    with Session(get_engine()) as session:
        store_match_suggestions(session, [MatchCandidate(other_id, claim_id, score, "similar passages")])
        session.commit()
        row = session.exec(
            select(ClaimMatchSuggestion).where(
                ClaimMatchSuggestion.claim_id == min(claim_id, other_id),
                ClaimMatchSuggestion.other_claim_id == max(claim_id, other_id),
            )
        ).one()
        assert row.id is not None
        return row.id


def _actions(client: TestClient, claim_id: int, headers: dict[str, str]) -> list[str]:
    return [e["action"] for e in client.get(f"{API}/claims/{claim_id}/history", headers=headers).json()["items"]]


def test_accept_merges_and_undo_takes_the_merge_back(
    client: TestClient,
    new_claim: Callable[..., dict[str, Any]],
    editor_headers: dict[str, str],
    reviewer_headers: dict[str, str],
) -> None:
    first = new_claim("the US had requested $500 billion worth of mineral resources from Ukraine", source="002")
    second = new_claim("like $500 billion of rare earth", source="004")
    suggestion_id = _suggest(first["id"], second["id"])
    listed = client.get(f"{API}/claims/{second['id']}/match-suggestions", headers=reviewer_headers).json()
    assert [(s["id"], s["other_claim_id"], s["status"]) for s in listed] == [(suggestion_id, second["id"], "open")]
    assert listed[0]["other_text"] == first["text"]

    assert client.post(f"{API}/match-suggestions/{suggestion_id}/accept", headers=reviewer_headers).status_code == 403
    accepted = client.post(f"{API}/match-suggestions/{suggestion_id}/accept", headers=editor_headers)
    assert accepted.status_code == 200, accepted.text
    assert accepted.json()["status"] == "accepted"
    tombstone = client.get(f"{API}/claims/{second['id']}", headers=reviewer_headers).json()
    assert tombstone["merged_into_id"] == first["id"] and tombstone["mentions"] == []
    again = client.post(f"{API}/match-suggestions/{suggestion_id}/accept", headers=editor_headers)
    assert again.status_code == 409
    assert "claim_match.accepted" in _actions(client, first["id"], reviewer_headers)

    undone = client.post(f"{API}/match-suggestions/{suggestion_id}/undo", headers=editor_headers)
    assert undone.status_code == 200, undone.text
    assert undone.json()["status"] == "open"
    restored = client.get(f"{API}/claims/{second['id']}", headers=reviewer_headers).json()
    assert restored["merged_into_id"] is None
    assert [m["quote"] for m in restored["mentions"]] == ["like $500 billion of rare earth"]
    target = client.get(f"{API}/claims/{first['id']}", headers=reviewer_headers).json()
    assert all(m["quote"] != "like $500 billion of rare earth" for m in target["mentions"])
    assert {"claim_match.undone", "claim.unmerged"} <= set(_actions(client, first["id"], reviewer_headers))


def test_a_rejected_pair_is_never_suggested_again_until_undone(
    client: TestClient,
    new_claim: Callable[..., dict[str, Any]],
    editor_headers: dict[str, str],
) -> None:
    first = new_claim("the planned signing of an agreement", source="000")
    second = new_claim("expected to sign an agreement", source="002")
    suggestion_id = _suggest(first["id"], second["id"])
    rejected = client.post(f"{API}/match-suggestions/{suggestion_id}/reject", headers=editor_headers)
    assert rejected.status_code == 200 and rejected.json()["status"] == "rejected"
    assert client.get(f"{API}/claims/{first['id']}/match-suggestions", headers=editor_headers).json() == []
    _suggest(second["id"], first["id"], score=0.46)  # a later extraction run finds the pair again
    assert client.get(f"{API}/claims/{first['id']}/match-suggestions", headers=editor_headers).json() == []
    assert "claim_match.rejected" in _actions(client, first["id"], editor_headers)
    reopened = client.post(f"{API}/match-suggestions/{suggestion_id}/undo", headers=editor_headers)
    assert reopened.json()["status"] == "open"
    assert [
        s["id"] for s in client.get(f"{API}/claims/{first['id']}/match-suggestions", headers=editor_headers).json()
    ] == [suggestion_id]
    assert client.post(f"{API}/match-suggestions/{suggestion_id}/undo", headers=editor_headers).status_code == 409


def test_unknown_suggestion_is_a_404(client: TestClient, editor_headers: dict[str, str]) -> None:
    response = client.post(f"{API}/match-suggestions/999999/reject", headers=editor_headers)
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("application/problem+json")
