"""Claims by hand: listing with filters and cursors, editing under versions, merge and split without loss."""

from collections.abc import Callable
from typing import Any

from fastapi.testclient import TestClient

from tests.conftest import CLAIM_QUOTE

API = "/api/v1"


def test_list_filters_search_sort_and_cursor(
    client: TestClient,
    new_claim: Callable[..., dict[str, Any]],
    reviewer_headers: dict[str, str],
    source_ids: dict[str, int],
) -> None:
    made = [
        new_claim(CLAIM_QUOTE, kind="figure", text="Rare earth deal worth $500 billion"),
        new_claim("in exchange for military assistance"),
    ]
    ids = [c["id"] for c in made]
    figures = client.get(f"{API}/claims", headers=reviewer_headers, params={"kind": "figure", "q": "RARE earth"})
    assert [c["id"] for c in figures.json()["items"]] == [ids[0]]
    assert client.get(f"{API}/claims", headers=reviewer_headers, params={"verdict": "maybe"}).status_code == 422
    by_source = client.get(
        f"{API}/claims", headers=reviewer_headers, params={"source_id": source_ids["001"], "limit": 500}
    ).json()
    assert [c["id"] for c in by_source["items"]] == ids and by_source["total"] == 2
    seen: list[int] = []
    cursor = None
    for _ in range(1000):
        page = client.get(
            f"{API}/claims",
            headers=reviewer_headers,
            params={"sort": "-id", "limit": 2, **({"cursor": cursor} if cursor else {})},
        ).json()
        seen.extend(c["id"] for c in page["items"])
        cursor = page["next_cursor"]
        if not cursor:
            break
    assert seen == sorted(seen, reverse=True) and len(seen) == len(set(seen)) == page["total"]
    wrong = client.get(f"{API}/claims", headers=reviewer_headers, params={"sort": "id", "cursor": cursor or "e30"})
    assert wrong.status_code == 422


def test_edit_needs_the_version_and_marks_the_text_edited(
    client: TestClient, new_claim: Callable[..., Any], editor_headers: dict[str, str]
) -> None:
    claim = new_claim()
    url = f"{API}/claims/{claim['id']}"
    assert client.get(url, headers=editor_headers).headers["ETag"] == '"1"'
    assert client.patch(url, headers=editor_headers, json={"text": "New wording"}).status_code == 428
    edited = client.patch(url, headers={**editor_headers, "If-Match": '"1"'}, json={"text": "New wording"})
    assert edited.status_code == 200 and edited.json()["text_edited"] and edited.json()["version"] == 2
    stale = client.patch(url, headers=editor_headers, json={"text": "Other wording", "version": 1})
    assert stale.status_code == 412 and stale.json()["current"]["text"] == "New wording"
    empty = client.patch(url, headers=editor_headers, json={"text": "", "version": 2})
    assert empty.status_code == 422 and empty.json()["errors"][0]["field"] == "text"
    assert client.get(url, headers=editor_headers).json()["text"] == "New wording"
    assert client.patch(f"{API}/claims/{10**9}", headers=editor_headers, json={"version": 1}).status_code == 404


def test_merge_moves_everything_and_keeps_a_tombstone(
    client: TestClient,
    new_claim: Callable[..., dict[str, Any]],
    make_user: Callable[..., Any],
    editor_headers: dict[str, str],
    source_ids: dict[str, int],
) -> None:
    _r, reviewer = make_user("reviewer", password=None)
    target = new_claim(CLAIM_QUOTE)
    other = new_claim("like $500 billion of rare earth", source="004")
    two, four = source_ids["002"], source_ids["004"]
    for claim_id, source_id, stance in (
        (target["id"], two, "contradicts"),
        (other["id"], four, "corroborates"),
        (other["id"], two, "unclear"),
    ):
        client.put(f"{API}/claims/{claim_id}/sources/{source_id}/assessment", headers=reviewer, json={"stance": stance})
    client.post(
        f"{API}/claims/{other['id']}/evidence",
        headers=reviewer,
        json={"source_id": four, "quote": "like $500 billion of rare earth"},
    )
    before = client.get(f"{API}/claims/{other['id']}", headers=reviewer).json()

    assert (
        client.post(
            f"{API}/claims/{target['id']}/merge", headers=reviewer, json={"other_id": other["id"], "version": 1}
        ).status_code
        == 403
    )
    stale = client.post(
        f"{API}/claims/{target['id']}/merge", headers=editor_headers, json={"other_id": other["id"], "version": 9}
    )
    assert stale.status_code == 412
    assert (
        client.post(
            f"{API}/claims/{target['id']}/merge", headers=editor_headers, json={"other_id": target["id"], "version": 1}
        ).status_code
        == 422
    )
    merged = client.post(
        f"{API}/claims/{target['id']}/merge", headers=editor_headers, json={"other_id": other["id"], "version": 1}
    )
    assert merged.status_code == 200, merged.text
    detail = merged.json()
    assert {m["id"] for m in before["mentions"]} <= {m["id"] for m in detail["mentions"]}
    assert {e["id"] for e in before["evidence"]} <= {e["id"] for e in detail["evidence"]}
    stances = {(a["source_id"], a["stance"]) for a in detail["assessments"]}
    assert (four, "corroborates") in stances
    # The reviewer assessed source 002 on both claims: the newer (unclear) is kept, the older is in the log.
    assert (two, "unclear") in stances and (two, "contradicts") not in stances
    event = client.get(f"{API}/claims/{target['id']}/history", headers=reviewer).json()["items"]
    merge_event = next(e for e in event if e["action"] == "claim.merged")
    assert [d["stance"] for d in merge_event["before"]["duplicates"]] == ["contradicts"]
    tombstone = client.get(f"{API}/claims/{other['id']}", headers=reviewer).json()
    assert tombstone["merged_into_id"] == target["id"] and tombstone["mentions"] == []
    gone = client.put(
        f"{API}/claims/{other['id']}/sources/{four}/assessment", headers=reviewer, json={"stance": "contradicts"}
    )
    assert gone.status_code == 409 and gone.json()["merged_into_id"] == target["id"]
    listed = client.get(f"{API}/claims", headers=reviewer, params={"limit": 500}).json()["items"]
    assert other["id"] not in [c["id"] for c in listed]
    events = client.get(f"{API}/claims/{target['id']}/history", headers=reviewer).json()["items"]
    history = [e["action"] for e in events]
    assert "evidence.created" in history  # the merged-away claim's history comes along


def test_merged_duplicate_assessment_takes_a_version_past_both(
    client: TestClient,
    new_claim: Callable[..., dict[str, Any]],
    make_user: Callable[..., Any],
    editor_headers: dict[str, str],
    source_ids: dict[str, int],
) -> None:
    """A reviewer who assessed one source on both claims: after the merge, no version either row had
    earlier may still match, or a client holding an old number would overwrite the merged decision."""
    _r, reviewer = make_user("reviewer", password=None)
    target, other = new_claim(CLAIM_QUOTE), new_claim("like $500 billion of rare earth", source="004")
    two = source_ids["002"]
    for stance in ("contradicts", "unclear", "corroborates"):  # the target's row reaches version 3
        put = client.put(
            f"{API}/claims/{target['id']}/sources/{two}/assessment", headers=reviewer, json={"stance": stance}
        )
    assert put.json()["version"] == 3
    client.put(
        f"{API}/claims/{other['id']}/sources/{two}/assessment", headers=reviewer, json={"stance": "not_addressed"}
    )  # newer, at version 1: it survives the merge
    merged = client.post(
        f"{API}/claims/{target['id']}/merge", headers=editor_headers, json={"other_id": other["id"], "version": 1}
    )
    assert merged.status_code == 200, merged.text
    kept = [a for a in merged.json()["assessments"] if a["source_id"] == two]
    assert [a["stance"] for a in kept] == ["not_addressed"] and kept[0]["version"] == 4
    for old_version in (1, 2, 3):
        stale = client.put(
            f"{API}/claims/{target['id']}/sources/{two}/assessment",
            headers=reviewer,
            json={"stance": "contradicts", "version": old_version},
        )
        assert stale.status_code == 412, (old_version, stale.text)


def _content(detail: dict[str, Any]) -> dict[str, Any]:
    """What a claim holds, without versions and timestamps (which an undo moves on)."""
    return {
        "mentions": sorted((m["id"], m["source_id"], m["start"], m["end"]) for m in detail["mentions"]),
        "assessments": sorted((a["id"], a["source_id"], a["stance"]) for a in detail["assessments"]),
        "evidence": sorted((e["id"], e["quote"]) for e in detail["evidence"]),
        "verdict": detail["verdict"],
        "status": detail["status"],
    }


def test_unmerge_restores_both_claims_as_they_were_and_is_audited(
    client: TestClient,
    new_claim: Callable[..., dict[str, Any]],
    make_user: Callable[..., Any],
    editor_headers: dict[str, str],
    source_ids: dict[str, int],
) -> None:
    _r, reviewer = make_user("reviewer", password=None)
    target = new_claim(CLAIM_QUOTE)
    other = new_claim("like $500 billion of rare earth", source="004")
    two, four = source_ids["002"], source_ids["004"]
    for claim_id, source_id, stance in (
        (target["id"], two, "contradicts"),
        (other["id"], four, "corroborates"),
        (other["id"], two, "unclear"),
    ):
        client.put(f"{API}/claims/{claim_id}/sources/{source_id}/assessment", headers=reviewer, json={"stance": stance})
    client.post(
        f"{API}/claims/{other['id']}/evidence",
        headers=reviewer,
        json={"source_id": four, "quote": "like $500 billion of rare earth"},
    )
    read = lambda claim_id: client.get(f"{API}/claims/{claim_id}", headers=reviewer).json()  # noqa: E731
    target_before, other_before = _content(read(target["id"])), _content(read(other["id"]))
    merged = client.post(
        f"{API}/claims/{target['id']}/merge",
        headers=editor_headers,
        json={"other_id": other["id"], "version": read(target["id"])["version"]},
    ).json()
    assert merged["merged_into_id"] is None and len(merged["mentions"]) == 2

    undo = f"{API}/claims/{target['id']}/unmerge"
    assert client.post(undo, headers=reviewer, json={"other_id": other["id"]}).status_code == 403
    assert client.post(undo, headers=editor_headers, json={"other_id": other["id"], "version": 1}).status_code == 412
    assert client.post(undo, headers=editor_headers, json={"other_id": other["id"]}).status_code == 428
    assert (
        client.post(
            undo, headers=editor_headers, json={"other_id": target["id"], "version": merged["version"]}
        ).status_code
        == 422
    )
    restored = client.post(undo, headers=editor_headers, json={"other_id": other["id"], "version": merged["version"]})
    assert restored.status_code == 200, restored.text
    assert restored.json()["id"] == other["id"] and restored.json()["merged_into_id"] is None
    assert _content(read(target["id"])) == target_before
    assert _content(read(other["id"])) == other_before
    again = client.post(
        undo, headers=editor_headers, json={"other_id": other["id"], "version": read(target["id"])["version"]}
    )
    assert again.status_code == 422 and "not merged" in again.json()["detail"]
    events = client.get(f"{API}/claims/{target['id']}/history", headers=reviewer).json()["items"]
    assert [
        e["action"]
        for e in events
        if e["action"].startswith("claim.")
        and e["action"] not in ("claim.verdict_changed", "claim.status_changed", "claim.created")
    ] == ["claim.merged", "claim.unmerged"]
    unmerged = (
        events[-1]
        if events[-1]["action"] == "claim.unmerged"
        else next(e for e in events if e["action"] == "claim.unmerged")
    )
    assert unmerged["actor"] and unmerged["after"]["restored_claim_id"] == other["id"]
    assert [d["stance"] for d in unmerged["after"]["restored_duplicates"]] == ["contradicts"]
    other_events = client.get(f"{API}/claims/{other['id']}/history", headers=reviewer).json()["items"]
    assert [e["action"] for e in other_events if e["action"] in ("claim.merged_away", "claim.restored")] == [
        "claim.merged_away",
        "claim.restored",
    ]


def test_split_moves_one_mention_to_a_new_claim(
    client: TestClient,
    new_claim: Callable[..., dict[str, Any]],
    editor_headers: dict[str, str],
) -> None:
    first = new_claim(CLAIM_QUOTE)
    second = new_claim("a demand that Zelensky rejected", source="002")
    merged = client.post(
        f"{API}/claims/{first['id']}/merge", headers=editor_headers, json={"other_id": second["id"], "version": 1}
    ).json()
    mention = next(m for m in merged["mentions"] if m["quote"] == "a demand that Zelensky rejected")
    split = client.post(
        f"{API}/claims/{first['id']}/split",
        headers=editor_headers,
        json={"mention_id": mention["id"], "version": merged["version"], "text": "Zelensky rejected the demand."},
    )
    assert split.status_code == 201, split.text
    assert split.json()["text"] == "Zelensky rejected the demand." and split.json()["origin"] == "split"
    assert [m["id"] for m in split.json()["mentions"]] == [mention["id"]]
    left = client.get(f"{API}/claims/{first['id']}", headers=editor_headers).json()
    assert mention["id"] not in [m["id"] for m in left["mentions"]] and len(left["mentions"]) == 1
    only = client.post(
        f"{API}/claims/{first['id']}/split",
        headers=editor_headers,
        json={"mention_id": left["mentions"][0]["id"], "version": left["version"]},
    )
    assert only.status_code == 422 and only.json()["errors"][0]["field"] == "mention_id"
    foreign = client.post(
        f"{API}/claims/{first['id']}/split",
        headers=editor_headers,
        json={"mention_id": mention["id"], "version": left["version"]},
    )
    assert foreign.status_code == 404


def test_create_from_a_bad_passage_is_refused(
    client: TestClient, reviewer_headers: dict[str, str], source_ids: dict[str, int]
) -> None:
    total = client.get(f"{API}/claims", headers=reviewer_headers).json()["total"]
    bad = client.post(
        f"{API}/claims",
        headers=reviewer_headers,
        json={"source_id": source_ids["001"], "quote": "no such words here at all"},
    )
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "quote"
    assert (
        client.post(f"{API}/claims", headers=reviewer_headers, json={"source_id": 10**9, "quote": "x"}).status_code
        == 404
    )
    assert (
        client.post(
            f"{API}/claims",
            headers=reviewer_headers,
            json={"source_id": source_ids["001"], "quote": CLAIM_QUOTE, "kind": "rumour"},
        ).status_code
        == 422
    )
    assert client.get(f"{API}/claims", headers=reviewer_headers).json()["total"] == total
