"""Assessments, conflicts and adjudication, batches, and stale writes, over HTTP."""

from collections.abc import Callable
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import delete, event
from sqlmodel import Session, col

from app.auth.actor import Actor
from app.db import get_engine
from app.review.models import Assessment
from app.review.service import set_assessment

API = "/api/v1"


def _put(client: TestClient, headers: dict[str, str], claim_id: int, source_id: int, **body: Any) -> Any:
    return client.put(f"{API}/claims/{claim_id}/sources/{source_id}/assessment", headers=headers, json=body)


def test_disagreement_is_a_conflict_until_an_editor_adjudicates(
    client: TestClient,
    make_user: Callable[..., Any],
    new_claim: Callable[..., dict[str, Any]],
    source_ids: dict[str, int],
    editor_headers: dict[str, str],
) -> None:
    claim = new_claim()
    one = source_ids["001"]
    _a, ana = make_user("reviewer", password=None)
    _b, ben = make_user("reviewer", password=None)
    assert _put(client, ana, claim["id"], one, stance="corroborates").status_code == 201
    assert _put(client, ben, claim["id"], one, stance="contradicts").status_code == 201
    detail = client.get(f"{API}/claims/{claim['id']}", headers=ana).json()
    # The disagreement counts on both sides until adjudicated: the claim shows as disputed, not unverified.
    assert detail["has_conflict"] and detail["verdict"] == "disputed" and detail["status"] == "in_review"
    assert (detail["corroborating"], detail["contradicting"]) == (1, 1)
    line = next(s for s in detail["sources"] if s["source_id"] == one)
    assert (
        line["conflict"]
        and line["decision"] is None
        and sorted(line["assessments"].values()) == ["contradicts", "corroborates"]
    )
    listed = client.get(f"{API}/claims", headers=ana, params={"conflict": True}).json()["items"]
    assert [c["id"] for c in listed] == [claim["id"]]

    assert (
        client.put(
            f"{API}/claims/{claim['id']}/sources/{one}/adjudication", headers=ana, json={"stance": "corroborates"}
        ).status_code
        == 403
    )
    settled = client.put(
        f"{API}/claims/{claim['id']}/sources/{one}/adjudication",
        headers=editor_headers,
        json={"stance": "corroborates", "note": "The article reports it as agreed."},
    )
    assert settled.status_code == 201, settled.text
    detail = client.get(f"{API}/claims/{claim['id']}", headers=ana).json()
    # Only the article it was taken from supports it: single-source, not corroborated.
    assert not detail["has_conflict"] and detail["verdict"] == "single_source" and detail["status"] == "settled"
    # Replacing an adjudication needs its version; a stale one is refused with the current state.
    again = client.put(
        f"{API}/claims/{claim['id']}/sources/{one}/adjudication",
        headers=editor_headers,
        json={"stance": "contradicts", "version": 7},
    )
    assert again.status_code == 412 and again.json()["current"]["stance"] == "corroborates"
    missing = client.put(
        f"{API}/claims/{claim['id']}/sources/{one}/adjudication", headers=editor_headers, json={"stance": "contradicts"}
    )
    assert missing.status_code == 428
    assert client.get(f"{API}/claims/{claim['id']}", headers=ana).json()["verdict"] == "single_source"


def test_suggestions_stay_apart_from_decisions(
    client: TestClient,
    new_claim: Callable[..., dict[str, Any]],
    source_ids: dict[str, int],
    reviewer_headers: dict[str, str],
    session: Any,
) -> None:
    from app.claims.models import StanceSuggestion
    from app.review.verdicts import recompute_claim

    claim = new_claim()
    two = source_ids["002"]
    session.add(StanceSuggestion(claim_id=claim["id"], source_id=two, stance="corroborates", confidence=0.6))
    recompute_claim(session, claim["id"])
    session.commit()
    detail = client.get(f"{API}/claims/{claim['id']}", headers=reviewer_headers).json()
    assert detail["verdict"] == "unverified"  # a suggestion is not a decision
    assert detail["summary"]["suggested"] == {"corroborates": 1} and detail["summary"]["corroborating"] == 0
    assert [s["origin"] for s in detail["suggestions"]] == ["suggested"]
    assert _put(client, reviewer_headers, claim["id"], two, stance="contradicts").status_code == 201
    detail = client.get(f"{API}/claims/{claim['id']}", headers=reviewer_headers).json()
    assert detail["verdict"] == "contradicted" and detail["suggestions"][0]["stance"] == "corroborates"


def test_stale_assessment_write_is_412_and_changes_nothing(
    client: TestClient,
    new_claim: Callable[..., dict[str, Any]],
    source_ids: dict[str, int],
    reviewer_headers: dict[str, str],
) -> None:
    claim = new_claim()
    one = source_ids["001"]
    first = _put(client, reviewer_headers, claim["id"], one, stance="unclear")
    assert first.headers["ETag"] == '"1"'
    second = client.put(
        f"{API}/claims/{claim['id']}/sources/{one}/assessment",
        headers={**reviewer_headers, "If-Match": '"1"'},
        json={"stance": "corroborates"},
    )
    assert second.status_code == 200 and second.json()["version"] == 2
    stale = client.put(
        f"{API}/claims/{claim['id']}/sources/{one}/assessment",
        headers={**reviewer_headers, "If-Match": '"1"'},
        json={"stance": "contradicts", "note": "lost?"},
    )
    assert stale.status_code == 412
    assert stale.json()["current"]["stance"] == "corroborates" and stale.json()["current"]["version"] == 2
    stored = client.get(f"{API}/claims/{claim['id']}/assessments", headers=reviewer_headers).json()
    assert [(a["stance"], a["version"]) for a in stored] == [("corroborates", 2)]


def test_bad_assessments_are_refused_and_change_nothing(
    client: TestClient,
    new_claim: Callable[..., dict[str, Any]],
    source_ids: dict[str, int],
    reviewer_headers: dict[str, str],
) -> None:
    claim = new_claim()
    one = source_ids["001"]
    audit_before = client.get(f"{API}/audit", headers=reviewer_headers, params={"claim_id": claim["id"]}).json()
    wrong = _put(client, reviewer_headers, claim["id"], one, stance="agrees")
    assert wrong.status_code == 422 and wrong.json()["errors"][0]["field"] == "stance"
    assert _put(client, reviewer_headers, 10**9, one, stance="corroborates").status_code == 404
    assert _put(client, reviewer_headers, claim["id"], 10**9, stance="corroborates").status_code == 404
    assert _put(client, {}, claim["id"], one, stance="corroborates").status_code == 401
    assert client.get(f"{API}/claims/{claim['id']}/assessments", headers=reviewer_headers).json() == []
    after = client.get(f"{API}/audit", headers=reviewer_headers, params={"claim_id": claim["id"]}).json()
    assert after == audit_before


def test_batch_is_all_or_nothing_with_per_item_errors(
    client: TestClient,
    new_claim: Callable[..., dict[str, Any]],
    source_ids: dict[str, int],
    reviewer_headers: dict[str, str],
) -> None:
    claim = new_claim()
    one, two = source_ids["001"], source_ids["002"]
    failed = client.post(
        f"{API}/assessments:batch",
        headers=reviewer_headers,
        json={
            "items": [
                {"claim_id": claim["id"], "source_id": one, "stance": "corroborates"},
                {"claim_id": claim["id"], "source_id": 10**9, "stance": "contradicts"},
                {"claim_id": 10**9, "source_id": two, "stance": "contradicts"},
            ]
        },
    )
    assert failed.status_code == 422
    assert sorted({(e["index"], e["status"]) for e in failed.json()["errors"]}) == [(1, 404), (2, 404)]
    assert client.get(f"{API}/claims/{claim['id']}/assessments", headers=reviewer_headers).json() == []
    assert client.get(f"{API}/claims/{claim['id']}", headers=reviewer_headers).json()["verdict"] == "unverified"

    done = client.post(
        f"{API}/assessments:batch",
        headers=reviewer_headers,
        json={
            "items": [
                {"claim_id": claim["id"], "source_id": one, "stance": "corroborates"},
                {"claim_id": claim["id"], "source_id": two, "stance": "contradicts", "note": "rejected"},
            ]
        },
    )
    assert done.status_code == 200, done.text
    assert [a["stance"] for a in done.json()["items"]] == ["corroborates", "contradicts"]
    assert client.get(f"{API}/claims/{claim['id']}", headers=reviewer_headers).json()["verdict"] == "disputed"
    withdrawn = client.delete(f"{API}/claims/{claim['id']}/sources/{two}/assessment", headers=reviewer_headers)
    assert withdrawn.status_code == 204
    assert client.get(f"{API}/claims/{claim['id']}", headers=reviewer_headers).json()["verdict"] == "single_source"


def test_audit_log_filters_and_pages(
    client: TestClient, new_claim: Callable[..., dict[str, Any]], reviewer_headers: dict[str, str]
) -> None:
    claim = new_claim()
    assert client.get(f"{API}/audit").status_code == 401
    page = client.get(f"{API}/audit", headers=reviewer_headers, params={"action": "claim.*", "limit": 1}).json()
    assert len(page["items"]) == 1 and page["items"][0]["action"].startswith("claim.") and page["next_cursor"]
    following = client.get(
        f"{API}/audit",
        headers=reviewer_headers,
        params={"action": "claim.*", "limit": 1, "cursor": page["next_cursor"]},
    ).json()
    assert following["items"][0]["id"] < page["items"][0]["id"]
    mine = client.get(f"{API}/audit", headers=reviewer_headers, params={"claim_id": claim["id"]}).json()["items"]
    assert {e["claim_id"] for e in mine} == {claim["id"]}
    assert client.get(f"{API}/audit", headers=reviewer_headers, params={"cursor": "%%%"}).status_code == 422


def test_a_dispute_never_drops_out_so_that_a_disputed_claim_turns_corroborated(
    client: TestClient,
    make_user: Callable[..., Any],
    new_claim: Callable[..., dict[str, Any]],
    source_ids: dict[str, int],
) -> None:
    """Two sources corroborate and a third contradicts; when a second reviewer disagrees about the third,
    the claim stays disputed (the conflicted source counts on both sides) instead of turning corroborated."""
    claim = new_claim()
    one, two, three = source_ids["001"], source_ids["002"], source_ids["003"]
    _a, ana = make_user("reviewer", password=None)
    _b, ben = make_user("reviewer", password=None)
    for source_id, stance in ((one, "corroborates"), (two, "corroborates"), (three, "contradicts")):
        assert _put(client, ana, claim["id"], source_id, stance=stance).status_code == 201
    assert client.get(f"{API}/claims/{claim['id']}", headers=ana).json()["verdict"] == "disputed"
    assert _put(client, ben, claim["id"], three, stance="corroborates").status_code == 201
    detail = client.get(f"{API}/claims/{claim['id']}", headers=ana).json()
    assert (detail["verdict"], detail["has_conflict"]) == ("disputed", True)
    assert (detail["corroborating"], detail["contradicting"]) == (3, 1)


def test_a_claim_only_its_own_article_supports_is_single_source(
    client: TestClient,
    make_user: Callable[..., Any],
    new_claim: Callable[..., dict[str, Any]],
    source_ids: dict[str, int],
) -> None:
    claim = new_claim()
    _a, ana = make_user("reviewer", password=None)
    assert _put(client, ana, claim["id"], source_ids["001"], stance="corroborates").status_code == 201
    assert client.get(f"{API}/claims/{claim['id']}", headers=ana).json()["verdict"] == "single_source"
    listed = client.get(f"{API}/claims", headers=ana, params={"verdict": "single_source"}).json()["items"]
    assert claim["id"] in [c["id"] for c in listed]
    assert _put(client, ana, claim["id"], source_ids["002"], stance="corroborates").status_code == 201
    assert client.get(f"{API}/claims/{claim['id']}", headers=ana).json()["verdict"] == "corroborated"


def test_a_decision_dropped_by_a_merge_right_after_its_commit_still_reports_what_was_stored(
    new_claim: Callable[..., dict[str, Any]], make_user: Callable[..., Any], source_ids: dict[str, int]
) -> None:
    """A merge that commits between the write and the answer may drop the row as an older duplicate; the
    reviewer's write did happen, and they are told so, instead of a 500 from re-reading a deleted row."""
    user, _headers = make_user("reviewer")
    claim_id = new_claim()["id"]
    source_id = source_ids["002"]
    engine = get_engine()
    with Session(engine) as session:

        @event.listens_for(session, "after_commit")
        def merged_away_meanwhile(_session: Session) -> None:
            with engine.connect() as other:
                other.execute(delete(Assessment).where(col(Assessment.claim_id) == claim_id))
                other.commit()

        stored, created = set_assessment(
            session, Actor(user.name, user.role, user.id), claim_id, source_id, "contradicts", "a note"
        )
    assert created and (stored.stance, stored.note, stored.version) == ("contradicts", "a note", 1)
    assert stored.id is not None and stored.claim_id == claim_id


def test_a_withdrawn_assessments_id_is_never_given_to_another(
    client: TestClient,
    make_user: Callable[..., Any],
    new_claim: Callable[..., dict[str, Any]],
    source_ids: dict[str, int],
) -> None:
    """The audit log names rows by id: were a withdrawn row's id reused (SQLite's default for the largest id),
    its history would read as the history of the next assessment recorded."""
    claim = new_claim()
    one = source_ids["001"]
    _a, ana = make_user("reviewer", password=None)
    _b, ben = make_user("reviewer", password=None)
    withdrawn = _put(client, ana, claim["id"], one, stance="corroborates").json()
    assert client.delete(f"{API}/claims/{claim['id']}/sources/{one}/assessment", headers=ana).status_code == 204
    following = _put(client, ben, claim["id"], one, stance="contradicts").json()
    assert following["id"] > withdrawn["id"]
    again = _put(client, ana, claim["id"], one, stance="corroborates").json()
    assert again["id"] > following["id"]
