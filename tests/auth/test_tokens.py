"""Users, tokens and `me` over HTTP, and the `crosscheck user/token create` commands."""

from collections.abc import Callable
from typing import Any

from fastapi.testclient import TestClient
from sqlmodel import Session, select
from typer.testing import CliRunner

from app.auth.models import ApiToken, User
from app.auth.service import authenticate
from app.cli import app as cli
from app.db import get_engine

API = "/api/v1"


def test_admin_creates_a_user_who_then_mints_revokes_and_lists_tokens(
    client: TestClient,
    make_user: Callable[..., Any],
) -> None:
    _admin, admin = make_user("admin", password=None)
    created = client.post(
        f"{API}/users", headers=admin, json={"name": "tok-ana", "role": "reviewer", "password": "correct horse battery"}
    )
    assert created.status_code == 201, created.text
    assert set(created.json()) == {"id", "name", "role", "active", "created_at"}  # never the hash
    assert client.post(f"{API}/users", headers=admin, json={"name": "tok-ana", "role": "reviewer"}).status_code == 409
    bad_role = client.post(f"{API}/users", headers=admin, json={"name": "x", "role": "boss"})
    assert bad_role.status_code == 422 and bad_role.json()["errors"][0]["field"] == "role"
    with Session(get_engine()) as session:
        assert authenticate(session, "tok-ana", "correct horse battery") is not None
        assert authenticate(session, "tok-ana", "wrong") is None

    minted = client.post(f"{API}/tokens", headers=admin, json={"user": "tok-ana", "name": "bot"})
    assert minted.status_code == 201, minted.text
    secret = minted.json()["token"]
    bearer = {"Authorization": f"Bearer {secret}"}
    me = client.get(f"{API}/me", headers=bearer).json()
    assert (me["name"], me["role"], me["token_id"]) == ("tok-ana", "reviewer", minted.json()["id"])
    with Session(get_engine()) as session:
        stored = session.get(ApiToken, minted.json()["id"])
        assert stored is not None and secret not in (stored.token_hash, stored.prefix) and stored.last_used_at
    listed = client.get(f"{API}/tokens", headers=bearer).json()
    assert [t["id"] for t in listed] == [minted.json()["id"]] and "token" not in listed[0]

    # A reviewer's token can mint a viewer token for itself, but not an editor one, nor one for others.
    assert client.post(f"{API}/tokens", headers=bearer, json={"role": "viewer"}).status_code == 201
    assert client.post(f"{API}/tokens", headers=bearer, json={"role": "editor"}).status_code == 403
    assert client.post(f"{API}/tokens", headers=bearer, json={"user": _admin.name}).status_code == 403
    assert client.delete(f"{API}/tokens/{listed[0]['id'] + 10_000}", headers=bearer).status_code == 404

    revoked = client.delete(f"{API}/tokens/{minted.json()['id']}", headers=bearer)
    assert revoked.status_code == 200 and revoked.json()["revoked_at"]
    assert client.get(f"{API}/me", headers=bearer).status_code == 401


def test_me_needs_credentials(client: TestClient) -> None:
    assert client.get(f"{API}/me").status_code == 401
    assert client.get(f"{API}/me", headers={"Authorization": "Bearer cc_nope"}).status_code == 401
    assert client.get(f"{API}/me", headers={"Authorization": "Basic abc"}).status_code == 401


def test_cli_user_create_prompts_and_token_create_prints_a_working_token(
    client: TestClient,
    monkeypatch: Any,
) -> None:
    runner = CliRunner()
    monkeypatch.setattr("getpass.getpass", lambda _prompt: "prompted secret 123")
    made = runner.invoke(cli, ["user", "create", "cli-editor", "--role", "editor"])
    assert made.exit_code == 0, made.output
    with Session(get_engine()) as session:
        user = session.exec(select(User).where(User.name == "cli-editor")).one()
        assert user.role == "editor"
        assert authenticate(session, "cli-editor", "prompted secret 123") is not None
    token = runner.invoke(cli, ["token", "create", "--user", "cli-editor"])
    assert token.exit_code == 0, token.output
    secret = token.stdout.strip().splitlines()[-1]
    assert secret.startswith("cc_")
    me = client.get(f"{API}/me", headers={"Authorization": f"Bearer {secret}"})
    assert me.status_code == 200 and me.json()["role"] == "editor"
    unknown = runner.invoke(cli, ["token", "create", "--user", "nobody-here"])
    assert unknown.exit_code != 0
