"""PostgreSQL helpers for the test suite: where the test server is, clean schemas, scratch databases."""

import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

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
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
