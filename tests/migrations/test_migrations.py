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
