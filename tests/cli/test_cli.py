"""The `crosscheck` commands, run in-process against the test database."""

import json
from pathlib import Path

from typer.testing import CliRunner

from app.cli import app

runner = CliRunner()
FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"


def test_db_upgrade_is_repeatable(database_url: str) -> None:
    result = runner.invoke(app, ["db", "upgrade"])
    assert result.exit_code == 0, result.output


def test_ingest_reports_created_present_and_rejected(database_url: str, tmp_path: Path) -> None:
    (tmp_path / "one.txt").write_text("A first article about a council vote held on Monday.", encoding="utf-8")
    (tmp_path / "two.md").write_text("# Second\n\nAnother article entirely.", encoding="utf-8")
    (tmp_path / "skip.pdf").write_bytes(b"%PDF")
    (tmp_path / "latin.txt").write_bytes(b"caf\xe9")
    result = runner.invoke(app, ["ingest", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert "created 2, already present 0, rejected 1" in result.output
    assert "not UTF-8" in result.output
    again = runner.invoke(app, ["ingest", str(tmp_path / "one.txt"), str(tmp_path / "missing.txt")])
    assert "created 0, already present 1, rejected 1" in again.output


def test_sources_list_and_export(database_url: str, fixture_sources: dict, tmp_path: Path) -> None:
    listing = runner.invoke(app, ["sources", "list"])
    assert listing.exit_code == 0 and "000_04c20ae46c03aa3b" in listing.output
    target = tmp_path / "export.json"
    result = runner.invoke(app, ["export", "--format", "json", "-o", str(target)])
    assert result.exit_code == 0, result.output
    document = json.loads(target.read_text())
    assert {s["filename"] for s in document["sources"]} >= {p.name for p in (FIXTURES / "sources").iterdir()}
    assert runner.invoke(app, ["export", "--format", "xml"]).exit_code == 1


def test_user_and_token_commands(database_url: str) -> None:
    created = runner.invoke(
        app, ["user", "create", "cli-person", "--role", "reviewer", "--password", "a cli passphrase 9 ok"]
    )
    assert created.exit_code == 0, created.output
    token = runner.invoke(app, ["token", "create", "--user", "cli-person"])
    assert token.exit_code == 0 and token.stdout.strip().splitlines()[-1].startswith("cc_")
    prompted = runner.invoke(app, ["user", "create", "cli-prompted", "--role", "viewer"], input="typed passphrase 5\n")
    assert prompted.exit_code == 0, prompted.output
    assert runner.invoke(app, ["user", "create", "cli-person", "--password", "x"]).exit_code != 0


def _run_main(monkeypatch, capsys, *arguments: str) -> tuple[int, str]:
    """Run the installed entry point as a shell would: its exit status and what it wrote to stderr."""
    import pytest

    from app.cli import main

    monkeypatch.setattr("sys.argv", ["crosscheck", *arguments])
    with pytest.raises(SystemExit) as exited:
        main()
    return int(exited.value.code or 0), capsys.readouterr().err


def test_failures_are_one_readable_line_and_exit_1(database_url: str, monkeypatch, capsys, tmp_path: Path) -> None:
    status, error = _run_main(monkeypatch, capsys, "token", "create", "--user", "nobody-at-all")
    assert status == 1 and "nobody-at-all" in error and "Traceback" not in error
    assert len(error.strip().splitlines()) == 1, error

    listed = tmp_path / "list.json"
    listed.write_text("[1, 2]", encoding="utf-8")
    status, error = _run_main(monkeypatch, capsys, "import", str(listed))
    assert status == 1 and "import refused" in error and "Traceback" not in error, error

    from app.config import get_settings
    from app.db import reset_engine

    monkeypatch.setenv("CROSSCHECK_DATABASE_URL", f"sqlite:///{tmp_path}/no/such/dir/x.db")
    get_settings.cache_clear()
    reset_engine()
    try:
        status, error = _run_main(monkeypatch, capsys, "sources", "list")
    finally:
        monkeypatch.undo()
        get_settings.cache_clear()
        reset_engine()
    assert status == 1 and "database" in error.lower() and "Traceback" not in error, error
    assert len(error.strip().splitlines()) == 1, error
