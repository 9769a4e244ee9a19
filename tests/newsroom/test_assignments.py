"""Editors assign claims (one or many at once); each person's queue, notifications, history and webhooks follow."""

from collections.abc import Callable
from typing import Any

from fastapi.testclient import TestClient
from sqlmodel import Session, select

from app.db import get_engine
from app.webhooks.models import Webhook, WebhookDelivery

API = "/api/v1"


def subscribe(event: str) -> int:
    """A webhook row that wants `event`, on a closed loopback port (real receivers are the webhook tests')."""
    with Session(get_engine()) as session:
        webhook = Webhook(url="http://127.0.0.1:9/hook", secret="s" * 32, events=event)
        session.add(webhook)
        session.commit()
        assert webhook.id is not None
        return webhook.id


def unsubscribe(webhook_id: int) -> None:
    with Session(get_engine()) as session:
        webhook = session.get_one(Webhook, webhook_id)
        webhook.active = False
        session.add(webhook)
        session.commit()


def test_editor_assigns_the_selection_and_it_reaches_queues_history_and_notifications(
    client: TestClient,
    make_user: Callable[..., Any],
    new_claim: Callable[..., dict[str, Any]],
) -> None:
    editor, editor_headers = make_user("editor")
    ana, ana_headers = make_user("reviewer")
    ben, ben_headers = make_user("reviewer")
    later, first = new_claim(), new_claim()
    hook_id = subscribe("claim.assigned")
    unread_before = client.get(f"{API}/me/notifications", headers=ana_headers).json()["unread"]

    answer = client.post(
        f"{API}/claims:assign",
        headers=editor_headers,
        json={"claim_ids": [first["id"], later["id"]], "user_ids": [ana.id, ben.id]},
    )
    assert answer.status_code == 201, answer.text
    assert sorted((a["claim_id"], a["user"]) for a in answer.json()) == sorted(
        (c, u) for c in (first["id"], later["id"]) for u in (ana.name, ben.name)
    )

    # Again: nothing new, nothing doubled.
    again = client.post(
        f"{API}/claims:assign", headers=editor_headers, json={"claim_ids": [first["id"]], "user_ids": [ana.id]}
    )
    assert (again.status_code, again.json()) == (201, [])

    queue = client.get(f"{API}/me/queue", headers=ana_headers).json()
    ids = [item["claim"]["id"] for item in queue]
    assert ids == sorted(ids) == sorted({first["id"], later["id"]})
    assert {item["reason"] for item in queue if item["claim"]["id"] in (first["id"], later["id"])} == {"assigned"}
    assert client.get(f"{API}/me/queue", headers=editor_headers).json() == []

    notifications = client.get(f"{API}/me/notifications", headers=ana_headers).json()
    assert notifications["unread"] == unread_before + 2
    assert {(n["kind"], n["claim_id"], n["actor"]) for n in notifications["items"][:2]} == {
        ("assigned", first["id"], editor.name),
        ("assigned", later["id"], editor.name),
    }
    marked = client.post(f"{API}/me/notifications:read", headers=ana_headers, json={})
    assert marked.json()["marked"] == unread_before + 2
    assert client.get(f"{API}/me/notifications", headers=ana_headers).json()["unread"] == 0

    history = client.get(f"{API}/claims/{first['id']}/history", headers=ana_headers).json()["items"]
    assigned = [(e["action"], e["after"]["user"]) for e in history if e["action"] == "claim.assigned"]
    assert sorted(assigned) == sorted([("claim.assigned", ana.name), ("claim.assigned", ben.name)])
    assert [a["user"] for a in client.get(f"{API}/claims/{first['id']}/assignments", headers=ana_headers).json()] == [
        ana.name,
        ben.name,
    ]

    with Session(get_engine()) as session:
        events = session.exec(select(WebhookDelivery).where(WebhookDelivery.webhook_id == hook_id)).all()
    assert sorted((d.payload["data"]["claim_id"], d.payload["data"]["user"]) for d in events) == sorted(
        (c, u) for c in (first["id"], later["id"]) for u in (ana.name, ben.name)
    )
    unsubscribe(hook_id)

    removed = client.delete(f"{API}/claims/{later['id']}/assignments/{ana.id}", headers=editor_headers)
    assert removed.status_code == 204
    assert later["id"] not in [i["claim"]["id"] for i in client.get(f"{API}/me/queue", headers=ana_headers).json()]
    history = client.get(f"{API}/claims/{later['id']}/history", headers=ana_headers).json()["items"]
    assert [e["before"]["user"] for e in history if e["action"] == "claim.unassigned"] == [ana.name]


def test_only_editors_assign_and_only_to_people_who_can_review(
    client: TestClient,
    make_user: Callable[..., Any],
    new_claim: Callable[..., dict[str, Any]],
) -> None:
    claim = new_claim()
    reviewer, reviewer_headers = make_user("reviewer")
    viewer, _viewer_headers = make_user("viewer")
    _editor, editor_headers = make_user("editor")
    refused = client.post(
        f"{API}/claims:assign", headers=reviewer_headers, json={"claim_ids": [claim["id"]], "user_ids": [reviewer.id]}
    )
    assert refused.status_code == 403
    to_viewer = client.post(
        f"{API}/claims:assign",
        headers=editor_headers,
        json={"claim_ids": [claim["id"]], "user_ids": [reviewer.id, viewer.id]},
    )
    assert to_viewer.status_code == 422 and to_viewer.json()["errors"][0]["field"] == "user"
    unknown_claim = client.post(
        f"{API}/claims:assign",
        headers=editor_headers,
        json={"claim_ids": [claim["id"], 10**8], "user_ids": [reviewer.id]},
    )
    assert unknown_claim.status_code == 404
    # All or nothing: the refused requests stored no assignment.
    assert client.get(f"{API}/claims/{claim['id']}/assignments", headers=editor_headers).json() == []
    empty = client.post(f"{API}/claims:assign", headers=editor_headers, json={"claim_ids": [], "user_ids": [1]})
    assert empty.status_code == 422


def test_a_published_claim_leaves_the_queue(
    client: TestClient,
    make_user: Callable[..., Any],
    new_claim: Callable[..., dict[str, Any]],
) -> None:
    claim = new_claim()
    reviewer, reviewer_headers = make_user("reviewer")
    _editor, editor_headers = make_user("editor")
    client.post(
        f"{API}/claims:assign", headers=editor_headers, json={"claim_ids": [claim["id"]], "user_ids": [reviewer.id]}
    )
    assert [i["claim"]["id"] for i in client.get(f"{API}/me/queue", headers=reviewer_headers).json()] == [claim["id"]]
    rated = client.put(
        f"{API}/claims/{claim['id']}/rating",
        headers=editor_headers,
        json={"rating": "mixed", "rationale": "Sources differ."},
    )
    assert rated.status_code == 200, rated.text
    assert client.post(f"{API}/claims/{claim['id']}/rating:publish", headers=editor_headers, json={}).status_code == 200
    assert claim["id"] not in [i["claim"]["id"] for i in client.get(f"{API}/me/queue", headers=reviewer_headers).json()]
