"""A claim's discussion thread: safe markdown, @mentions that queue and notify, edits and deletions with versions."""

from collections.abc import Callable
from typing import Any

from fastapi.testclient import TestClient
from sqlmodel import Session, select

from app.db import get_engine
from app.webhooks.models import WebhookDelivery
from tests.newsroom.test_assignments import subscribe, unsubscribe

API = "/api/v1"


def test_a_note_renders_markdown_without_raw_html_and_mentions_reach_their_person(
    client: TestClient,
    make_user: Callable[..., Any],
    new_claim: Callable[..., dict[str, Any]],
) -> None:
    claim = new_claim()
    author, author_headers = make_user("reviewer")
    mentioned, mentioned_headers = make_user("reviewer")
    hook_id = subscribe("note.created")
    body = (
        f"Check **S2** with @{mentioned.name}. <script>alert(1)</script> <img src=x onerror=alert(1)> "
        "[bad](javascript:alert(1)) [good](https://example.org/a) @nobody-here"
    )
    posted = client.post(f"{API}/claims/{claim['id']}/notes", headers=author_headers, json={"body": body})
    assert posted.status_code == 201, posted.text
    note = posted.json()
    assert note["body"] == body and note["author"] == author.name and note["version"] == 1
    html = note["html"]
    assert "<strong>S2</strong>" in html
    assert "<script" not in html and "<img" not in html and "&lt;script&gt;" in html
    assert 'href="javascript' not in html
    assert '<a href="https://example.org/a" rel="nofollow noopener noreferrer">good</a>' in html

    queue = client.get(f"{API}/me/queue", headers=mentioned_headers).json()
    assert [(i["claim"]["id"], i["reason"]) for i in queue] == [(claim["id"], "mentioned")]
    unread = client.get(f"{API}/me/notifications", headers=mentioned_headers, params={"unread": True}).json()
    assert [(n["kind"], n["claim_id"], n["note_id"], n["actor"]) for n in unread["items"]] == [
        ("mentioned", claim["id"], note["id"], author.name)
    ]
    assert client.get(f"{API}/me/queue", headers=author_headers).json() == []  # mentioning is not self-assigning

    with Session(get_engine()) as session:
        deliveries = session.exec(select(WebhookDelivery).where(WebhookDelivery.webhook_id == hook_id)).all()
    unsubscribe(hook_id)
    assert [(d.event_type, d.payload["data"]["note_id"], d.payload["data"]["mentions"]) for d in deliveries] == [
        ("note.created", note["id"], [mentioned.name])
    ]
    history = client.get(f"{API}/claims/{claim['id']}/history", headers=author_headers).json()["items"]
    assert [e["action"] for e in history if e["action"].startswith(("note.", "claim.queued"))] == [
        "claim.queued_by_mention",
        "note.created",
    ]


def test_only_the_author_edits_or_deletes_a_note_and_every_text_is_kept(
    client: TestClient,
    make_user: Callable[..., Any],
    new_claim: Callable[..., dict[str, Any]],
) -> None:
    claim = new_claim()
    _author, author_headers = make_user("reviewer")
    _other, other_headers = make_user("editor")
    note = client.post(f"{API}/claims/{claim['id']}/notes", headers=author_headers, json={"body": "first draft"}).json()
    assert (
        client.patch(f"{API}/notes/{note['id']}", headers=other_headers, json={"body": "hijacked"}).status_code == 403
    )
    edited = client.patch(
        f"{API}/notes/{note['id']}", headers=author_headers, json={"body": "second draft", "version": 1}
    )
    assert (edited.status_code, edited.json()["version"], edited.headers["etag"]) == (200, 2, '"2"')
    stale = client.patch(f"{API}/notes/{note['id']}", headers=author_headers, json={"body": "x", "version": 1})
    assert stale.status_code == 412 and stale.json()["current"]["body"] == "second draft"
    assert client.delete(f"{API}/notes/{note['id']}", headers=other_headers).status_code == 403
    versions = client.get(f"{API}/notes/{note['id']}/versions", headers=other_headers).json()
    assert [(v["version"], v["body"]) for v in versions] == [(1, "first draft")]
    assert client.delete(f"{API}/notes/{note['id']}", headers=author_headers, params={}).status_code == 204
    assert client.get(f"{API}/claims/{claim['id']}/notes", headers=other_headers).json() == []
    history = client.get(f"{API}/claims/{claim['id']}/history", headers=other_headers).json()["items"]
    changes = [(e["action"], (e["before"] or {}).get("body")) for e in history if e["action"].startswith("note.")]
    assert changes == [("note.created", None), ("note.edited", "first draft"), ("note.deleted", "second draft")]


def test_bad_notes_are_refused_and_change_nothing(
    client: TestClient,
    make_user: Callable[..., Any],
    new_claim: Callable[..., dict[str, Any]],
) -> None:
    claim = new_claim()
    _viewer, viewer_headers = make_user("viewer")
    _reviewer, headers = make_user("reviewer")
    assert (
        client.post(f"{API}/claims/{claim['id']}/notes", headers=viewer_headers, json={"body": "hi"}).status_code == 403
    )
    for body in ("", "   ", "x" * 10_001, "nul\x00"):
        answer = client.post(f"{API}/claims/{claim['id']}/notes", headers=headers, json={"body": body})
        assert answer.status_code == 422, body
        assert answer.json()["errors"][0]["field"].endswith("body")
    assert client.post(f"{API}/claims/{10**8}/notes", headers=headers, json={"body": "hi"}).status_code == 404
    assert client.get(f"{API}/claims/{claim['id']}/notes", headers=headers).json() == []
