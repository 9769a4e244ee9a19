"""The database engine and sessions; SQLite gets WAL, foreign keys and a busy timeout."""

import itertools
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from typing import Any, TypeVar

from sqlalchemy import event
from sqlalchemy.engine import Connection, Engine
from sqlmodel import Session, SQLModel, create_engine

from app.config import get_settings
from app.errors import NotFound

ModelT = TypeVar("ModelT", bound=SQLModel)

# The option of every table whose rows the application deletes: SQLite then never gives a deleted row's id to a
# new row, so audit events that name the old id keep meaning it. (PostgreSQL sequences never go back.)
IDS_NEVER_REUSED = {"sqlite_autoincrement": True}

# Execution option read by SQLite's `begin` listener: "IMMEDIATE" (the default) or "DEFERRED".
SQLITE_BEGIN_OPTION = "crosscheck_sqlite_begin"


def is_sqlite(url: str) -> bool:
    return url.startswith("sqlite")


def make_engine(url: str) -> Engine:
    settings = get_settings()
    if is_sqlite(url):
        engine = create_engine(
            url,
            connect_args={"check_same_thread": False, "timeout": settings.sqlite_busy_timeout_ms / 1000},
        )
        _configure_sqlite(engine, settings.sqlite_busy_timeout_ms)
        return engine
    return create_engine(url, pool_pre_ping=True, pool_size=10, max_overflow=20)


def _configure_sqlite(engine: Engine, busy_timeout_ms: int) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # pysqlite's own transaction handling defers BEGIN; we issue BEGIN IMMEDIATE ourselves
        # so that writers queue on the busy timeout instead of failing on lock upgrade.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        # Read-only sessions (read_engine) begin DEFERRED: under WAL they read a snapshot and never wait
        # for the write lock, so one writer does not stall every reader.
        mode = connection.get_execution_options().get(SQLITE_BEGIN_OPTION, "IMMEDIATE")
        connection.exec_driver_sql(f"BEGIN {'DEFERRED' if mode == 'DEFERRED' else 'IMMEDIATE'}")


@lru_cache
def get_engine() -> Engine:
    return make_engine(get_settings().database_url)


@lru_cache
def read_engine() -> Engine:
    """The same engine and pool, for sessions that only read: on SQLite their transactions begin DEFERRED.

    A read-only session that writes after all may fail fast with "database is locked" when another writer
    committed since its snapshot; writes belong in ordinary sessions.
    """
    return get_engine().execution_options(**{SQLITE_BEGIN_OPTION: "DEFERRED"})


# Identifies a probe within the process, so versions read by a probe of an earlier engine never match.
_probe_serials = itertools.count(1)
DataVersion = tuple[int, int]


class VersionProbe:
    """A SQLite connection of its own that only reads, to tell whether anything was committed since it last looked.

    `PRAGMA data_version` changes whenever another connection, of this process or any other, commits; it does
    not change for the connection's own commits, which is why this one never writes. Inside a transaction it
    keeps the value of the transaction's snapshot, so a version names what the probe's reads saw.
    """

    def __init__(self, url: str) -> None:
        self._engine = make_engine(url)
        self._connection = self._engine.connect().execution_options(**{SQLITE_BEGIN_OPTION: "DEFERRED"})
        self._lock = threading.Lock()  # one connection, so one thread at a time; each use is a few statements
        self._serial = next(_probe_serials)

    @contextmanager
    def snapshot(self) -> Iterator[tuple[Connection, DataVersion]]:
        """The probe's connection in a read transaction, and the data version of that transaction's snapshot.

        Reads on the connection are only for the caller's use inside the block; it must not write."""
        with self._lock:
            try:
                version = self._connection.exec_driver_sql("PRAGMA data_version").scalar_one()
                yield self._connection, (self._serial, version)
            finally:
                self._connection.rollback()

    @contextmanager
    def raw_snapshot(self) -> Iterator[tuple[Any, DataVersion]]:
        """As `snapshot`, with a bare DBAPI cursor: the same statements without SQLAlchemy's layers, for the
        hottest reads. The cursor must not write."""
        with self._lock:
            cursor = self._connection.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
            cursor.execute("BEGIN DEFERRED")
            try:
                version = cursor.execute("PRAGMA data_version").fetchone()[0]
                yield cursor, (self._serial, version)
            finally:
                cursor.execute("ROLLBACK")
                cursor.close()

    def close(self) -> None:
        self._connection.close()
        self._engine.dispose()


@lru_cache
def version_probe() -> VersionProbe | None:
    """This process's probe of the database's data version; None on PostgreSQL, which has no such counter."""
    url = get_settings().database_url
    return VersionProbe(url) if is_sqlite(url) else None


def reset_engine() -> None:
    """Forget the cached engine (tests and the CLI switch databases through settings)."""
    if get_engine.cache_info().currsize:
        get_engine().dispose()
    if version_probe.cache_info().currsize and (probe := version_probe()) is not None:
        probe.close()
    get_engine.cache_clear()
    read_engine.cache_clear()
    version_probe.cache_clear()


def get_session() -> Iterator[Session]:
    with Session(get_engine()) as session:
        yield session


def get_read_session() -> Iterator[Session]:
    """A session for requests that only read (GET, HEAD)."""
    with Session(read_engine()) as session:
        yield session


def get_or_404(session: Session, model: type[ModelT], record_id: int, name: str) -> ModelT:
    """The row of `model` with this id, or NotFound naming it ("No claim with id 7.")."""
    row = session.get(model, record_id)
    if row is None:
        raise NotFound(f"No {name} with id {record_id}.")
    return row
