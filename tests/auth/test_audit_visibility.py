"""The audit log by role: admin details (users, roles, tokens, webhooks, lock-outs) for admins only; no secrets."""

import json
from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from app.audit.service import ADMIN_ONLY_ENTITY_TYPES, record_event, without_secrets
from app.auth.actor import SYSTEM
from app.config import get_settings
from app.db import get_engine

API = "/api/v1"
HOOK_KEY = "hk-Zq81sEcReT"


def audit_of(client: TestClient, headers: dict[str, str], **params: Any) -> list[dict[str, Any]]:
    answer = client.get(f"{API}/audit", headers=headers, params={"limit": 500, **params})
    assert answer.status_code == 200, answer.text
    return list(answer.json()["items"])


def test_viewers_and_reviewers_do_not_read_admin_details(
    client: TestClient,
    make_user: Callable[..., Any],
    fixture_sources: dict[str, Any],
) -> None:
    _admin, admin = make_user("admin")
    created = client.post(
        f"{API}/users",
        headers=admin,
        json={"name": "audited-person", "role": "editor", "password": "audited passphrase 31"},
    )
    assert created.status_code == 201
    minted = client.post(f"{API}/tokens", headers=admin, json={"name": "for the audit test"})
    assert minted.status_code == 201
    admin_view = audit_of(client, admin)
    assert {"user.created", "token.created"} <= {event["action"] for event in admin_view}
    assert any(event["after"] and event["after"].get("prefix") == minted.json()["prefix"] for event in admin_view)
    for role in ("viewer", "reviewer", "editor"):
        _user, headers = make_user(role)
        seen = audit_of(client, headers)
        assert seen, "the work on sources and claims stays visible"
        assert {event["entity_type"] for event in seen}.isdisjoint(ADMIN_ONLY_ENTITY_TYPES), role
        text = json.dumps(seen)
        assert minted.json()["prefix"] not in text and "audited-person" not in text
        # Asking for them by name does not help either.
        assert audit_of(client, headers, entity_type="user") == []
        assert audit_of(client, headers, action="token.*") == []


def test_a_webhook_url_is_logged_without_its_key_or_credentials(
    client: TestClient,
    make_user: Callable[..., Any],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Webhooks reach public addresses only unless a network is allowed (docs/security.md); this one is loopback.
    monkeypatch.setattr(get_settings(), "webhook_allowed_networks", "127.0.0.0/8")
    _admin, admin = make_user("admin")
    url = f"http://hook-user:pw-{HOOK_KEY}@127.0.0.1:9/receive?key={HOOK_KEY}&team=desk"
    registered = client.post(
        f"{API}/webhooks",
        headers=admin,
        json={"url": url, "secret": f"shared-{HOOK_KEY}-secret", "events": ["verdict.changed"]},
    )
    assert registered.status_code == 201, registered.text
    events = audit_of(client, admin, entity_type="webhook")
    assert events and HOOK_KEY not in json.dumps(events)
    assert events[0]["after"]["url"] == "http://127.0.0.1:9/receive?[redacted]"


def test_credential_values_never_reach_a_stored_event(database_url: str) -> None:
    with Session(get_engine()) as session:
        event = record_event(
            session,
            SYSTEM,
            "test.recorded",
            "test",
            None,
            before={"password": "hunter2-but-longer", "name": "kept"},
            after={
                "secret": "s3cr3t",
                "nested": {"api_key": "k"},
                "links": ["https://u:p@example.org/a?sig=1"],
                "count": 3,
            },
        )
        session.flush()
        stored = json.dumps([event.before, event.after])
        session.rollback()
    assert "hunter2" not in stored and "s3cr3t" not in stored and "sig=1" not in stored and ":p@" not in stored
    assert '"name": "kept"' in stored and '"count": 3' in stored
    assert without_secrets({"url": "https://example.org/path"}) == {"url": "https://example.org/path"}
