"""`serve` on a database whose schema is older than the code refuses in one line, instead of serving errors."""

from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from app.cli import app as cli
from app.config import get_settings
from app.migrate import schema_behind, upgrade

pytestmark = pytest.mark.sqlite  # files of its own; the check reads Alembic's table, the same on PostgreSQL


@pytest.fixture
def settings_from_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[None]:
    monkeypatch.setenv("CROSSCHECK_SECRET_KEY", "a-random-enough-secret-key-for-this-test-0123456789")
    monkeypatch.setenv("CROSSCHECK_SECRET_KEY_FILE", str(tmp_path / "key"))
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


def test_serve_refuses_an_older_schema_in_one_line(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, settings_from_environment: None
) -> None:
    url = f"sqlite:///{tmp_path / 'old.db'}"
    upgrade(url, "0011")
    monkeypatch.setenv("CROSSCHECK_DATABASE_URL", url)
    get_settings.cache_clear()
    result = CliRunner().invoke(cli, ["serve"])
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in result.output
    assert lines[0].startswith("refusing to start: the database is at schema revision 0011, this version needs ")
    assert "crosscheck db upgrade" in lines[0]


def test_an_empty_database_is_named_as_such(tmp_path: Path) -> None:
    behind = schema_behind(f"sqlite:///{tmp_path / 'empty.db'}")
    assert behind is not None and "none (an empty database)" in behind


def test_an_upgraded_database_is_not_behind(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'new.db'}"
    upgrade(url)
    assert schema_behind(url) is None
