"""Backup: export a reviewed workspace, import it into an empty database, export again: same bytes."""

import json
from pathlib import Path

from sqlmodel import Session, col, select

from app.auth.actor import SYSTEM
from app.auth.service import actor_for_user, create_user
from app.claims.models import Claim, Mention
from app.db import make_engine
from app.exchange.export import export_json
from app.exchange.importer import import_json
from app.extraction.store import run_extraction
from app.migrate import upgrade
from app.review.evidence import add_evidence
from app.review.service import set_assessment
from app.sources.files import load_fixtures
from app.sources.models import Source
from tests.databases import scratch_postgres_database

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"


def _reviewed_workspace(session: Session) -> None:
    load_fixtures(session, FIXTURES, SYSTEM)
    run_extraction(session, use_embeddings=False)
    reviewers = [actor_for_user(create_user(session, f"backup-{n}", "reviewer", None, SYSTEM)) for n in ("ana", "bo")]
    mentions = session.exec(select(Mention).order_by(col(Mention.id)).limit(6)).all()
    for index, mention in enumerate(mentions):
        reviewer = reviewers[index % 2]
        set_assessment(
            session,
            reviewer,
            mention.claim_id,
            mention.source_id,
            ("corroborates", "contradicts", "unclear")[index % 3],
            note=f"note {index} <b>é</b>",
        )
        source = session.get(Source, mention.source_id)
        assert source is not None
        add_evidence(
            session,
            reviewer,
            mention.claim_id,
            source_id=mention.source_id,
            start=mention.start,
            end=mention.end,
            quote=source.text[mention.start : mention.end],
            note="exact passage",
        )
    assert session.exec(select(Claim)).first() is not None


def test_export_import_export_is_byte_identical(scratch_database_url: str, tmp_path: Path) -> None:
    original_url = scratch_database_url
    upgrade(original_url)
    original = make_engine(original_url)
    with Session(original) as session:
        _reviewed_workspace(session)
        first = export_json(session)
    original.dispose()

    # The copy starts empty: a new file (SQLite) or a new database on the same server (PostgreSQL).
    if original_url.startswith("sqlite"):
        second = _import_then_export(f"sqlite:///{tmp_path / 'copy.db'}", first)
    else:
        with scratch_postgres_database(original_url) as empty_url:
            second = _import_then_export(empty_url, first)
    assert "exact passage" in first and "backup-ana" in first  # the review work is in the document
    # Extraction's record of why a passage is check-worthy survives the backup too.
    assert any(m["features"] for c in json.loads(first)["claims"] for m in c["mentions"])
    assert second == first


def _import_then_export(url: str, document: str) -> str:
    upgrade(url)
    engine = make_engine(url)
    try:
        with Session(engine) as session:
            import_json(session, json.loads(document), SYSTEM)
        with Session(engine) as session:
            return export_json(session)
    finally:
        engine.dispose()
