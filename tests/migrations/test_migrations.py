"""Alembic owns the schema: migrations run both ways on SQLite and PostgreSQL, and match the models."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, inspect

from app.claims.fulltext import include_object
from app.db import get_engine, is_sqlite, make_engine
from app.migrate import alembic_config, downgrade, upgrade
from app.models import metadata


def _schema_diff(url: str) -> list:
    """What autogenerate would write: nothing, when the migrated schema is the models' schema."""
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            context = MigrationContext.configure(
                connection,
                opts={"compare_type": True, "render_as_batch": is_sqlite(url), "include_object": include_object},
            )
            return list(compare_metadata(context, metadata))
    finally:
        engine.dispose()


def _tables(url: str) -> set[str]:
    engine = create_engine(url)
    try:
        return set(inspect(engine).get_table_names())
    finally:
        engine.dispose()


def test_models_and_migrated_schema_agree(database_url: str) -> None:
    assert _schema_diff(str(get_engine().url.render_as_string(hide_password=False))) == []


def test_upgrade_from_empty_creates_every_table(scratch_database_url: str) -> None:
    upgrade(scratch_database_url)
    assert set(metadata.tables) <= _tables(scratch_database_url)
    assert _schema_diff(scratch_database_url) == []


def test_downgrade_to_base_then_upgrade_again(scratch_database_url: str) -> None:
    upgrade(scratch_database_url)
    downgrade(scratch_database_url, "base")
    assert _tables(scratch_database_url) <= {"alembic_version"}
    upgrade(scratch_database_url)
    assert set(metadata.tables) <= _tables(scratch_database_url)
    assert _schema_diff(scratch_database_url) == []


def test_every_revision_steps_down_and_up(scratch_database_url: str) -> None:
    """Each migration's downgrade undoes exactly its upgrade, one step at a time."""
    from alembic.script import ScriptDirectory

    upgrade(scratch_database_url)
    revisions = [r.revision for r in ScriptDirectory.from_config(alembic_config(scratch_database_url)).walk_revisions()]
    for _ in revisions:
        downgrade(scratch_database_url, "-1")
    assert _tables(scratch_database_url) <= {"alembic_version"}
    for _ in revisions:
        upgrade(scratch_database_url, "+1")
    assert _schema_diff(scratch_database_url) == []


def test_rebuilding_tables_for_ids_never_reused_keeps_rows_and_search(scratch_database_url: str) -> None:
    """0012 rebuilds the deletable tables on SQLite: the rows, their ids and the claim search survive it, the
    search triggers still follow new mentions, and an assessment withdrawn before the upgrade does not lend its id."""
    from sqlmodel import Session

    from app.auth.actor import SYSTEM, Actor
    from app.auth.service import create_user
    from app.claims.models import Claim, Mention
    from app.claims.service import list_claims
    from app.review.service import delete_assessment, set_assessment
    from app.sources.service import ingest_text

    upgrade(scratch_database_url, "0011")
    engine = make_engine(scratch_database_url)
    text = "The harbour authority counted 412 containers on the quay. Dockers walked out at dawn."
    with Session(engine) as session:
        source = ingest_text(session, text, SYSTEM)[0]
        claim = Claim(text="The authority counted containers", origin="manual")
        session.add(claim)
        session.flush()
        session.add(Mention(claim_id=claim.id, source_id=source.id, start=0, end=57, quote=text[:57]))
        session.commit()
        claim_id, source_id = claim.id, source.id
        assert claim_id is not None and source_id is not None
        reviewers = [create_user(session, f"reviewer-{n}", "reviewer", None, SYSTEM) for n in range(2)]
        actors = [Actor(name=u.name, role="reviewer", user_id=u.id) for u in reviewers]
        withdrawn = set_assessment(session, actors[0], claim_id, source_id, "corroborates")[0]
        delete_assessment(session, actors[0], claim_id, source_id)
    engine.dispose()

    upgrade(scratch_database_url)
    engine = make_engine(scratch_database_url)
    with Session(engine) as session:
        assert [c.id for c in list_claims(session, q="quay")[0]] == [claim_id]
        assert list_claims(session, q="dawn")[0] == []
        session.add(Mention(claim_id=claim_id, source_id=source_id, start=58, end=86, quote=text[58:86]))
        session.commit()
        assert [c.id for c in list_claims(session, q="dawn")[0]] == [claim_id]
        following = set_assessment(session, actors[1], claim_id, source_id, "contradicts")[0]
        assert following.id is not None and withdrawn.id is not None and following.id > withdrawn.id
    engine.dispose()
    assert _schema_diff(scratch_database_url) == []
