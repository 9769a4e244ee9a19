"""Exports (JSON with reviews, CSV, ClaimReview) and the import that makes export → import → export identical."""

import csv
import io
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, select
from typer.testing import CliRunner

from app.auth.actor import SYSTEM
from app.auth.models import User
from app.cli import app as cli
from app.config import get_settings
from app.db import make_engine
from app.errors import Conflict, InvalidInput
from app.exchange.export import export_json
from app.exchange.importer import import_json
from app.migrate import upgrade
from tests.conftest import CLAIM_QUOTE

API = "/api/v1"


def _reviewed_claim(
    client: TestClient,
    new_claim: Callable[..., dict[str, Any]],
    source_ids: dict[str, int],
    make_user: Callable[..., Any],
    editor_headers: dict[str, str],
) -> dict[str, Any]:
    _user, reviewer = make_user("reviewer", password=None)
    claim = new_claim(CLAIM_QUOTE, text="Ukraine agreed to give the US $500 billion of rare earths.")
    one, two = source_ids["001"], source_ids["002"]
    client.put(
        f"{API}/claims/{claim['id']}/sources/{one}/assessment",
        headers=reviewer,
        json={"stance": "corroborates", "note": "as reported"},
    )
    client.put(f"{API}/claims/{claim['id']}/sources/{two}/assessment", headers=reviewer, json={"stance": "contradicts"})
    client.put(
        f"{API}/claims/{claim['id']}/sources/{two}/adjudication",
        headers=editor_headers,
        json={"stance": "contradicts", "note": "rejected"},
    )
    client.post(
        f"{API}/claims/{claim['id']}/evidence",
        headers=reviewer,
        json={"source_id": two, "quote": "a demand that Zelensky rejected"},
    )
    client.post(
        f"{API}/claims/{claim['id']}/evidence",
        headers=reviewer,
        json={"url": "https://example.org/a", "quote": "quoted", "accessed_at": "2025-03-03"},
    )
    return claim


def _newsroom_work(
    client: TestClient, claim: dict[str, Any], make_user: Callable[..., Any], editor_headers: dict[str, str]
) -> str:
    """Assignments, a thread with an edited and a deleted note, a proposal, a published rating, notifications."""
    ana, ana_headers = make_user("reviewer", password=None)
    ben, ben_headers = make_user("reviewer", password=None)
    claim_id = claim["id"]
    assert (
        client.post(
            f"{API}/claims:assign", headers=editor_headers, json={"claim_ids": [claim_id], "user_ids": [ana.id]}
        ).status_code
        == 201
    )
    note = client.post(
        f"{API}/claims/{claim_id}/notes", headers=ana_headers, json={"body": "First **look**: two sources."}
    ).json()
    assert (
        client.patch(
            f"{API}/notes/{note['id']}",
            headers=ana_headers,
            json={"body": f"@{ben.name} the second report disagrees.", "version": 1},
        ).status_code
        == 200
    )
    gone = client.post(f"{API}/claims/{claim_id}/notes", headers=ben_headers, json={"body": "Wrong claim."}).json()
    assert client.delete(f"{API}/notes/{gone['id']}", headers=ben_headers).status_code == 204
    assert (
        client.put(
            f"{API}/claims/{claim_id}/rating-proposals/mine",
            headers=ben_headers,
            json={"rating": "false", "rationale": "Rejected, says the second."},
        ).status_code
        == 200
    )
    assert (
        client.put(
            f"{API}/claims/{claim_id}/rating",
            headers=editor_headers,
            json={"rating": "false", "rationale": "The second report says it was *rejected*."},
        ).status_code
        == 200
    )
    assert client.post(f"{API}/claims/{claim_id}/rating:publish", headers=editor_headers, json={}).status_code == 200
    assert client.post(f"{API}/me/notifications:read", headers=ana_headers, json={}).status_code == 200
    return str(ben.name)


def test_export_import_export_is_byte_identical(
    client: TestClient,
    session: Session,
    tmp_path: Path,
    new_claim: Callable[..., dict[str, Any]],
    source_ids: dict[str, int],
    make_user: Callable[..., Any],
    editor_headers: dict[str, str],
) -> None:
    claim = _reviewed_claim(client, new_claim, source_ids, make_user, editor_headers)
    mentioned = _newsroom_work(client, claim, make_user, editor_headers)
    session.expire_all()
    first = export_json(session)
    document = json.loads(first)
    entry = next(c for c in document["claims"] if c["id"] == claim["id"])
    assert sorted(a["reason"] for a in entry["assignments"]) == ["assigned", "mentioned"]
    edited, deleted = entry["notes"]
    assert (edited["version"], edited["deleted"], deleted["deleted"]) == (2, False, True)
    assert [v["body"] for v in edited["versions"]] == ["First **look**: two sources."]
    assert entry["rating"]["state"] == "published" and entry["rating"]["published_at"]
    assert entry["rating"]["rationale"] == "The second report says it was *rejected*."
    assert [(p["user"], p["rating"]) for p in entry["rating_proposals"]] == [(mentioned, "false")]
    kinds = {(n["kind"], n["read_at"] is not None) for n in document["notifications"] if n["claim_id"] == claim["id"]}
    assert kinds == {("assigned", True), ("mentioned", False)}
    assert entry["verdict"] == "disputed"
    reviewed = [s for s in entry["stances"] if s["origin"] == "reviewed"]
    assert sorted(s["stance"] for s in reviewed) == ["contradicts", "corroborates"]
    assert [a["stance"] for a in entry["adjudications"]] == ["contradicts"]
    assert {e["link"] for e in entry["evidence"]} >= {"https://example.org/a"}

    url = f"sqlite:///{tmp_path / 'empty.db'}"
    upgrade(url)
    engine = make_engine(url)
    try:
        with Session(engine) as target:
            counts = import_json(target, document, SYSTEM)
            assert counts["claims"] == len(document["claims"])
            assert export_json(target) == first
            imported = target.exec(select(User)).all()
            assert imported and all(u.password_hash is None for u in imported)
            with pytest.raises(Conflict):
                import_json(target, document, SYSTEM)
            assert export_json(target) == first
    finally:
        engine.dispose()


def test_import_refuses_a_broken_document_without_storing_anything(tmp_path: Path, session: Session) -> None:
    document = json.loads(export_json(session))
    document["sources"][0]["raw_text"] += " tampered"
    url = f"sqlite:///{tmp_path / 'empty.db'}"
    upgrade(url)
    engine = make_engine(url)
    try:
        with Session(engine) as target:
            with pytest.raises(InvalidInput, match=r"sources\[0\]\.sha256"):
                import_json(target, document, SYSTEM)
            assert export_json(target).count('"id"') == 0
    finally:
        engine.dispose()


def test_csv_and_claimreview_over_http_and_cli(
    client: TestClient,
    new_claim: Callable[..., dict[str, Any]],
    source_ids: dict[str, int],
    make_user: Callable[..., Any],
    editor_headers: dict[str, str],
    tmp_path: Path,
) -> None:
    claim = _reviewed_claim(client, new_claim, source_ids, make_user, editor_headers)
    response = client.get(f"{API}/export", headers=editor_headers, params={"format": "csv"})
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/csv")
    rows = [r for r in csv.DictReader(io.StringIO(response.text)) if r["claim_id"] == str(claim["id"])]
    by_source = {int(r["source_id"]): r for r in rows if r["source_id"]}
    external = [r for r in rows if not r["source_id"]]  # the evidence from a web page has a row of its own
    assert [(r["evidence_links"], r["evidence_quotes"]) for r in external] == [("https://example.org/a", "quoted")]
    assert by_source[source_ids["002"]]["adjudication"] == "contradicts"
    assert by_source[source_ids["002"]]["decision"] == "contradicts"
    assert by_source[source_ids["001"]]["reviewed_stances"].endswith(":corroborates")
    public = get_settings().public_url.rstrip("/")
    assert by_source[source_ids["002"]]["evidence_links"].startswith(f"{public}/sources/{source_ids['002']}#char=")
    assert (
        client.get(
            f"{API}/export", headers=editor_headers, params={"format": "claimreview", "claim_id": claim["id"]}
        ).status_code
        == 404
    )  # unrated
    client.put(
        f"{API}/claims/{claim['id']}/rating",
        headers=editor_headers,
        json={"rating": "false", "rationale": "The second report says the demand was rejected."},
    )
    assert client.post(f"{API}/claims/{claim['id']}/rating:publish", headers=editor_headers, json={}).status_code == 200

    every = client.get(f"{API}/export", headers=editor_headers, params={"format": "claimreview"}).json()
    assert isinstance(every, list) and claim["id"] in [int(r["url"].rsplit("/", 1)[1]) for r in every]
    one = client.get(
        f"{API}/export", headers=editor_headers, params={"format": "claimreview", "claim_id": claim["id"]}
    ).json()
    assert one["reviewRating"] == {
        "@type": "Rating",
        "alternateName": "false",
        "worstRating": 1,
        "bestRating": 5,
        "ratingValue": 1,
    }
    assert client.get(f"{API}/export", headers=editor_headers, params={"format": "xml"}).status_code == 422
    assert (
        client.get(
            f"{API}/export", headers=editor_headers, params={"format": "claimreview", "claim_id": 10**9}
        ).status_code
        == 404
    )

    runner = CliRunner()
    out = tmp_path / "review.jsonld"
    result = runner.invoke(cli, ["export", "--format", "claimreview", "--claim", str(claim["id"]), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert json.loads(out.read_text())["claimReviewed"] == claim["text"]
    csv_out = runner.invoke(cli, ["export", "--format", "csv"])
    assert csv_out.exit_code == 0 and csv_out.stdout.startswith("claim_id,claim_text")
    # The workspace is not empty, so `crosscheck import` refuses and stores nothing.
    dump = tmp_path / "dump.json"
    assert runner.invoke(cli, ["export", "-o", str(dump)]).exit_code == 0
    refused = runner.invoke(cli, ["import", str(dump)])
    assert refused.exit_code == 1 and "empty" in refused.output


def test_cli_claimreview_includes_drafts_only_when_asked(
    client: TestClient,
    new_claim: Callable[..., dict[str, Any]],
    source_ids: dict[str, int],
    make_user: Callable[..., Any],
    editor_headers: dict[str, str],
) -> None:
    claim = _reviewed_claim(client, new_claim, source_ids, make_user, editor_headers)
    assert (
        client.put(
            f"{API}/claims/{claim['id']}/rating",
            headers=editor_headers,
            json={"rating": "false", "rationale": "Still a draft."},
        ).status_code
        == 200
    )
    runner = CliRunner()

    published_only = runner.invoke(cli, ["export", "--format", "claimreview"])
    assert published_only.exit_code == 0, published_only.output
    assert claim["id"] not in [int(r["url"].rsplit("/", 1)[1]) for r in json.loads(published_only.stdout)]
    with_drafts = runner.invoke(cli, ["export", "--format", "claimreview", "--include-drafts"])
    assert with_drafts.exit_code == 0, with_drafts.output
    assert claim["id"] in [int(r["url"].rsplit("/", 1)[1]) for r in json.loads(with_drafts.stdout)]

    one = runner.invoke(cli, ["export", "--format", "claimreview", "--claim", str(claim["id"]), "--include-drafts"])
    assert one.exit_code == 0 and json.loads(one.stdout)["claimReviewed"] == claim["text"]
    refused = runner.invoke(cli, ["export", "--format", "claimreview", "--claim", str(claim["id"])])
    assert refused.exit_code == 1 and "Traceback" not in refused.output
    assert "no published rating" in refused.output


def test_import_refuses_bad_newsroom_sections_listing_each_problem_and_storing_nothing(
    client: TestClient,
    session: Session,
    tmp_path: Path,
    new_claim: Callable[..., dict[str, Any]],
    source_ids: dict[str, int],
    make_user: Callable[..., Any],
    editor_headers: dict[str, str],
) -> None:
    claim = _reviewed_claim(client, new_claim, source_ids, make_user, editor_headers)
    _newsroom_work(client, claim, make_user, editor_headers)
    session.expire_all()
    document = json.loads(export_json(session))
    index = next(i for i, c in enumerate(document["claims"]) if c["id"] == claim["id"])
    entry = document["claims"][index]
    entry["assignments"][0]["user"] = "nobody-here"
    entry["notes"][0]["body"] = "a\x00b"
    entry["notes"][0]["versions"][0]["version"] = 2
    entry["rating"]["rating"] = "pants-on-fire"
    entry["rating"]["state"] = "final"
    entry["rating_proposals"][0]["rationale"] = "x" * 20_001
    document["notifications"][0]["claim_id"] = 10**9
    document["notifications"][0]["kind"] = "spam"
    at = f"claims[{index}]"
    expected = {
        f"{at}.assignments[0].user",
        f"{at}.notes[0].body",
        f"{at}.notes[0].versions[0].version",
        f"{at}.rating.rating",
        f"{at}.rating.state",
        f"{at}.rating_proposals[0].rationale",
        "notifications[0].claim_id",
        "notifications[0].kind",
    }

    url = f"sqlite:///{tmp_path / 'empty.db'}"
    upgrade(url)
    engine = make_engine(url)
    try:
        with Session(engine) as target:
            with pytest.raises(InvalidInput) as refused:
                import_json(target, document, SYSTEM)
            assert {e["field"] for e in refused.value.errors or []} == expected
            assert export_json(target).count('"id"') == 0
    finally:
        engine.dispose()

    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(document), encoding="utf-8")
    result = CliRunner().invoke(cli, ["import", str(bad)])
    assert result.exit_code == 1 and "Traceback" not in result.output
    lines = result.output.splitlines()
    assert len(lines) == len(expected) and all(line.startswith("import refused: ") for line in lines)
    assert {line.removeprefix("import refused: ").split(": ", 1)[0] for line in lines} == expected
