"""The `crosscheck` commands, run in-process against the test database."""

import json
from pathlib import Path

from typer.testing import CliRunner

from app.cli import app

runner = CliRunner()
FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


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
    created = runner.invoke(app, ["user", "create", "cli-person", "--role", "reviewer",
                                  "--password", "a cli passphrase 9 ok"])
    assert created.exit_code == 0, created.output
    token = runner.invoke(app, ["token", "create", "--user", "cli-person"])
    assert token.exit_code == 0 and token.stdout.strip().splitlines()[-1].startswith("cc_")
    prompted = runner.invoke(app, ["user", "create", "cli-prompted", "--role", "viewer"], input="typed passphrase 5\n")
    assert prompted.exit_code == 0, prompted.output
    assert runner.invoke(app, ["user", "create", "cli-person", "--password", "x"]).exit_code != 0
