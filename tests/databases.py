"""PostgreSQL helpers for the test suite: where the test server is, clean schemas, scratch databases."""

import os
import secrets
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import OperationalError, ProgrammingError

POSTGRES_URL_FILE = Path(__file__).resolve().parent.parent / ".services" / "postgres-url"


def configured_postgres_url() -> str | None:
    """CROSSCHECK_TEST_POSTGRES_URL, else the URL scripts/test-services.sh wrote, else None."""
    url = os.environ.get("CROSSCHECK_TEST_POSTGRES_URL")
    if url:
        return url
    if POSTGRES_URL_FILE.is_file():
        return POSTGRES_URL_FILE.read_text(encoding="utf-8").strip() or None
    return None


def reset_postgres_schema(url: str) -> None:
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    engine.dispose()


@contextmanager
def scratch_postgres_database(base_url: str) -> Iterator[str]:
    """A new, empty database on the same server, dropped afterwards (the test role has CREATEDB)."""
    name = f"crosscheck_scratch_{secrets.token_hex(6)}"
    admin = create_engine(base_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(base_url).set(database=name).render_as_string(hide_password=False)
    finally:
        _drop_database(admin, name)
        admin.dispose()


def _drop_database(admin: Engine, name: str) -> None:
    """Drop a scratch database, whoever is still connected to it.

    A plain DROP stops an autovacuum worker busy in it, which FORCE may not (the worker runs as a role the
    test role cannot signal); FORCE ends the sessions the test itself left open (the same role). So the plain
    one goes first, FORCE when sessions remain, and both again while an autovacuum worker is finishing.
    """
    for _attempt in range(50):
        try:
            with admin.connect() as connection:
                connection.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
            return
        except OperationalError:  # still in use by sessions of the tests
            pass
        try:
            with admin.connect() as connection:
                connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            return
        except ProgrammingError:  # a session FORCE may not end: an autovacuum worker, gone in a moment
            time.sleep(0.1)
    raise RuntimeError(f"scratch database {name} could not be dropped")
