"""Every `crosscheck` command's failure paths: one readable line on stderr, exit status 1, no traceback."""

import json
import secrets
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import Result
from typer.testing import CliRunner

from app.cli import app
from app.config import get_settings
from app.db import reset_engine

runner = CliRunner()
# Nothing listens on port 1 of loopback: the connection is refused at once.
UNREACHABLE_URL = "postgresql+psycopg://crosscheck:hunter2-secret@127.0.0.1:1/crosscheck"
PASSWORD = "a-long-enough-password-42"


def _fails_readably(result: Result, *expected: str) -> str:
    assert result.exit_code == 1, (result.exit_code, result.output)
    assert not isinstance(result.exception, Exception) or isinstance(result.exception, SystemExit), result.exception
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.output
    for text in expected:
        assert text in lines[0], lines[0]
    return lines[0]


def test_creating_a_user_whose_name_exists_is_a_conflict(database_url: str) -> None:
    name = f"cli-{secrets.token_hex(3)}"
    assert runner.invoke(app, ["user", "create", name, "--password", PASSWORD]).exit_code == 0
    _fails_readably(runner.invoke(app, ["user", "create", name, "--password", PASSWORD]), "exists", name)


@pytest.mark.parametrize(
    "arguments, expected",
    [
        (["user", "create", "cli-wizard", "--role", "wizard", "--password", PASSWORD], "wizard"),
        (["token", "create", "--user", "nobody-by-this-name"], "nobody-by-this-name"),
        (["export", "--format", "xml"], "xml"),
        (["export", "--format", "claimreview", "--claim", "987654321"], "987654321"),
        (["extract", "--source", "987654321"], "987654321"),
        (["import", "/nonexistent/export.json"], "/nonexistent/export.json"),
        (["db", "upgrade", "--revision", "no-such-revision"], "no-such-revision"),
    ],
)
def test_bad_values_and_unknown_records_fail_readably(database_url: str, arguments: list[str], expected: str) -> None:
    _fails_readably(runner.invoke(app, arguments), expected)


@pytest.mark.parametrize(
    "arguments, expected",
    [
        (["user", "create"], "Missing argument 'name'"),
        (["no-such-command"], "No such command"),
        (["ingest", "--bogus"], "--bogus"),
        (["export", "--format"], "--format"),
        (["serve", "--workers", "0"], "--workers"),
    ],
)
def test_usage_mistakes_are_one_line_and_status_1(arguments: list[str], expected: str) -> None:
    """Not click's boxed message and status 2: the same ending as every other failure."""
    line = _fails_readably(runner.invoke(app, arguments), expected)
    assert line.startswith("error: ")


def test_no_arguments_show_the_help() -> None:
    result = runner.invoke(app, [])
    assert result.exit_code == 0 and "Usage" in result.stdout


def test_a_token_with_more_rights_than_its_user_is_refused(database_url: str) -> None:
    name = f"cli-{secrets.token_hex(3)}"
    assert runner.invoke(app, ["user", "create", name, "--role", "viewer", "--password", PASSWORD]).exit_code == 0
    _fails_readably(runner.invoke(app, ["token", "create", "--user", name, "--role", "admin"]), "admin")


def test_writing_the_export_where_it_cannot_go_fails_readably(database_url: str, tmp_path: Path) -> None:
    _fails_readably(
        runner.invoke(app, ["export", "-o", str(tmp_path / "missing-folder" / "out.json")]), "missing-folder"
    )


@pytest.fixture
def unreachable_database(database_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("CROSSCHECK_DATABASE_URL", UNREACHABLE_URL)
    # A key of its own, so `setup` neither writes a key file into the working folder nor reports one.
    monkeypatch.setenv("CROSSCHECK_SECRET_KEY", "k" * 16 + secrets.token_hex(16))
    get_settings.cache_clear()
    reset_engine()
    yield
    monkeypatch.setenv("CROSSCHECK_DATABASE_URL", database_url)
    get_settings.cache_clear()
    reset_engine()


@pytest.mark.parametrize(
    "arguments",
    [
        ["db", "upgrade"],
        ["sources", "list"],
        ["export"],
        ["export", "--format", "csv"],
        ["user", "create", "somebody", "--password", PASSWORD],
        ["token", "create", "--user", "somebody"],
        ["extract"],
        ["setup"],
        ["ingest", "FILE"],
        ["import", "FILE"],
        ["user", "set-password", "somebody", "--password", PASSWORD],
        ["user", "update", "somebody", "--inactive"],
    ],
)
def test_an_unreachable_database_is_one_line(unreachable_database: None, tmp_path: Path, arguments: list[str]) -> None:
    article = tmp_path / "article.txt"
    article.write_text("A council voted on Monday to repair two bridges.", encoding="utf-8")
    export = tmp_path / "export.json"
    export.write_text(
        '{"format": "crosscheck-workspace", "version": 1, "users": [], "sources": [], "claims": []}', encoding="utf-8"
    )
    arguments = [
        str(article) if a == "FILE" and arguments[0] == "ingest" else str(export) if a == "FILE" else a
        for a in arguments
    ]
    line = _fails_readably(runner.invoke(app, arguments), "cannot use the database", "127.0.0.1:1")
    assert "hunter2" not in line


def test_the_installed_command_prints_no_traceback(database_url: str) -> None:
    environment = {"CROSSCHECK_DATABASE_URL": UNREACHABLE_URL, "PATH": "/usr/bin:/bin"}
    done = subprocess.run(
        [sys.executable, "-m", "app.cli", "user", "create", "someone", "--password", PASSWORD],
        capture_output=True,
        text=True,
        env=environment,
        timeout=60,
        cwd=Path(__file__).resolve().parents[2],
    )
    assert done.returncode == 1
    assert done.stderr.strip().count("\n") == 0 and "cannot use the database" in done.stderr, done.stderr
    assert "Traceback" not in done.stderr


@pytest.mark.parametrize(
    "variable, value, expected",
    [
        ("CROSSCHECK_PORT", "eighty", "CROSSCHECK_PORT is not valid: Input should be a valid integer"),
        (
            "CROSSCHECK_MAX_ACTIVE_REQUESTS",
            "-1",
            "CROSSCHECK_MAX_ACTIVE_REQUESTS is not valid: Input should be greater",
        ),
        ("CROSSCHECK_PUBLIC_READ", "perhaps", "CROSSCHECK_PUBLIC_READ is not valid: Input should be a valid boolean"),
        ("CROSSCHECK_RATING_SCALE", '{"true": "five"}', "CROSSCHECK_RATING_SCALE is not valid (at true)"),
    ],
)
def test_a_wrong_setting_is_named_as_the_variable_to_fix(
    database_url: str, monkeypatch: pytest.MonkeyPatch, variable: str, value: str, expected: str
) -> None:
    monkeypatch.setenv(variable, value)
    get_settings.cache_clear()
    reset_engine()
    try:
        line = _fails_readably(runner.invoke(app, ["sources", "list"]), expected)
    finally:
        monkeypatch.delenv(variable)
        get_settings.cache_clear()
        reset_engine()
    assert "ValidationError" not in line
    assert (repr(json.loads(value)["true"]) if value.startswith("{") else repr(value)) in line
