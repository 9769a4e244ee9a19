"""The session-signing key: never a shared default, generated once per workspace, refused when weak."""

import json
import stat
from base64 import b64encode
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from itsdangerous import TimestampSigner
from typer.testing import CliRunner

from app.cli import app as cli
from app.config import InsecureSecretKey, Settings, get_settings, session_secret_key
from app.main import create_app

REPO = Path(__file__).resolve().parents[2]
OLD_DEFAULTS = ("change-me-in-production", "change-me", "CHANGE-ME", "changeme")


def forged_session_cookie(secret_key: str, session: dict[str, Any]) -> str:
    """A cookie as Starlette's SessionMiddleware signs it, made by someone who knows only the key."""
    payload = b64encode(json.dumps(session).encode())
    return TimestampSigner(secret_key).sign(payload).decode()


@pytest.fixture
def fresh_settings() -> Iterator[None]:
    """Tests here change CROSSCHECK_* variables; the cached settings must follow them and be restored after."""
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


def test_a_session_cookie_signed_with_the_old_default_key_is_refused(
    client: TestClient,
    make_user: Callable[..., Any],
) -> None:
    admin, _headers = make_user("admin")
    for key in OLD_DEFAULTS[:2]:
        forged = forged_session_cookie(key, {"user_id": admin.id})
        answer = client.get("/api/v1/me", headers={"cookie": f"crosscheck_session={forged}"})
        assert answer.status_code == 401, (key, answer.text)


@pytest.mark.parametrize("key", [*OLD_DEFAULTS, "a-short-but-not-default-key", "x" * 31])
def test_the_server_refuses_to_start_with_a_default_or_short_key(
    key: str,
    monkeypatch: pytest.MonkeyPatch,
    fresh_settings: None,
) -> None:
    monkeypatch.setenv("CROSSCHECK_SECRET_KEY", key)
    with pytest.raises(InsecureSecretKey):
        create_app()


def test_a_long_random_key_from_the_environment_is_used_as_given(
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    key = "k" * 16 + "-random-enough-for-a-test-1234"
    settings = Settings(database_url=f"sqlite:///{tmp_path / 'w.db'}", secret_key=key)
    assert session_secret_key(settings) == key
    assert not (tmp_path / "w.db-secret-key").exists()


def test_without_a_key_one_is_generated_once_beside_the_database_readable_by_its_owner_only(
    tmp_path: Path,
) -> None:
    settings = Settings(database_url=f"sqlite:///{tmp_path / 'w.db'}", secret_key=None, secret_key_file=None)
    key = session_secret_key(settings)
    key_file = tmp_path / "w.db-secret-key"
    assert key_file.read_text().strip() == key and len(key.encode()) >= 32
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert session_secret_key(settings) == key  # kept, not regenerated: sessions survive a restart
    other = Settings(database_url=f"sqlite:///{tmp_path / 'other.db'}", secret_key=None, secret_key_file=None)
    assert session_secret_key(other) != key
    assert sorted(p.name for p in tmp_path.iterdir()) == ["other.db-secret-key", "w.db-secret-key"]


def test_a_weak_key_left_in_the_key_file_is_refused(tmp_path: Path) -> None:
    key_file = tmp_path / "key"
    key_file.write_text("change-me\n")
    with pytest.raises(InsecureSecretKey, match="published default"):
        session_secret_key(Settings(secret_key=None, secret_key_file=key_file))


def test_serve_refuses_a_weak_key_in_one_line(monkeypatch: pytest.MonkeyPatch, fresh_settings: None) -> None:
    monkeypatch.setenv("CROSSCHECK_SECRET_KEY", "change-me-in-production")
    result = CliRunner().invoke(cli, ["serve"])
    assert result.exit_code == 1
    assert result.output.startswith("refusing to start: CROSSCHECK_SECRET_KEY is a published default")
    assert len(result.output.strip().splitlines()) == 1 and "Traceback" not in result.output


class StoppedAfterTheKey(Exception):
    pass


def stop_here() -> None:
    raise StoppedAfterTheKey()


def test_setup_makes_the_key_file_when_no_variable_is_set(
    monkeypatch: pytest.MonkeyPatch,
    fresh_settings: None,
    tmp_path: Path,
) -> None:
    monkeypatch.delenv("CROSSCHECK_SECRET_KEY", raising=False)
    monkeypatch.setenv("CROSSCHECK_SECRET_KEY_FILE", str(tmp_path / "made-by-setup"))
    monkeypatch.setattr("app.cli.upgrade", lambda *args: None)
    monkeypatch.setattr("app.cli._session", stop_here)
    result = CliRunner().invoke(cli, ["setup"])
    # Every command turns an error into one line and exit 1 (app/cli_errors.py): setup got past the key.
    assert result.exit_code == 1 and "StoppedAfterTheKey" in result.stderr, result.output
    key_file = tmp_path / "made-by-setup"
    assert len(key_file.read_text().strip()) >= 32 and stat.S_IMODE(key_file.stat().st_mode) == 0o600


def test_docker_compose_requires_the_key_instead_of_defaulting_it() -> None:
    compose = (REPO / "docker-compose.yml").read_text()
    assert "${CROSSCHECK_SECRET_KEY:?" in compose
    assert "change-me" not in compose


def test_docker_compose_requires_the_database_password_instead_of_shipping_one() -> None:
    compose = (REPO / "docker-compose.yml").read_text()
    assert 'POSTGRES_PASSWORD: "${CROSSCHECK_DB_PASSWORD:?' in compose
    urls = [line.strip() for line in compose.splitlines() if "CROSSCHECK_DATABASE_URL:" in line]
    assert len(urls) == 2 and all("crosscheck:${CROSSCHECK_DB_PASSWORD:?" in url for url in urls), urls
