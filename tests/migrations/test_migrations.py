"""Alembic owns the schema: migrations run both ways on SQLite and PostgreSQL, and match the models."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, inspect

from app.claims.migrated_objects import include_object
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
    search triggers still follow new mentions, and an assessment withdrawn before the upgrade does not lend its id.
    The rows are written as revision 0011's schema has them (today's models have columns it lacks)."""
    from datetime import UTC, datetime

    from sqlalchemy import MetaData, delete, insert
    from sqlmodel import Session

    from app.auth.actor import Actor
    from app.claims.models import Mention
    from app.claims.service import list_claims
    from app.review.service import set_assessment

    upgrade(scratch_database_url, "0011")
    engine = make_engine(scratch_database_url)
    tables = MetaData()
    tables.reflect(engine)
    now = datetime.now(UTC)
    text = "The harbour authority counted 412 containers on the quay. Dockers walked out at dawn."
    with engine.begin() as connection:

        def add(table: str, **values: object) -> int:
            return connection.execute(insert(tables.tables[table]).values(**values)).inserted_primary_key[0]

        source_id = add("source", raw_text=text, text=text, sha256="0" * 64, created_at=now)
        claim_id = add(
            "claim",
            text="The authority counted containers",
            kind="statement",
            origin="manual",
            text_edited=False,
            status="open",
            verdict="unverified",
            corroborating=0,
            contradicting=0,
            not_addressing=0,
            has_conflict=False,
            version=1,
            created_at=now,
            updated_at=now,
        )
        add(
            "mention",
            claim_id=claim_id,
            source_id=source_id,
            start=0,
            end=57,
            quote=text[:57],
            features={},
            origin="manual",
            created_at=now,
        )
        user_id = add("user", name="reviewer", role="reviewer", active=True, created_at=now)
        withdrawn = add(
            "assessment",
            claim_id=claim_id,
            source_id=source_id,
            user_id=user_id,
            stance="corroborates",
            note="",
            version=1,
            created_at=now,
            updated_at=now,
        )
        add(
            "audit_event",
            at=now,
            actor="reviewer",
            action="assessment.created",
            entity_type="assessment",
            entity_id=withdrawn,
        )
        connection.execute(delete(tables.tables["assessment"]))
    engine.dispose()

    upgrade(scratch_database_url)
    engine = make_engine(scratch_database_url)
    with Session(engine) as session:
        assert [c.id for c in list_claims(session, q="quay")[0]] == [claim_id]
        assert list_claims(session, q="dawn")[0] == []
        session.add(Mention(claim_id=claim_id, source_id=source_id, start=58, end=86, quote=text[58:86]))
        session.commit()
        assert [c.id for c in list_claims(session, q="dawn")[0]] == [claim_id]
        actor = Actor(name="reviewer", role="reviewer", user_id=user_id)
        following = set_assessment(session, actor, claim_id, source_id, "contradicts")[0]
        assert following.id is not None and following.id > withdrawn
    engine.dispose()
    assert _schema_diff(scratch_database_url) == []
