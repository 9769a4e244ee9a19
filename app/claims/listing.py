"""The claims list's hot path: its count and page as prebuilt statements on the raw driver connection, and the
rows serialised straight to JSON bytes.

`app.claims.service.list_claims` is the general form (ORM objects, `before` cursors, an exact count for the
board); this one answers `GET /api/v1/claims`, read by every reviewer's client many times a minute and, under a
review load, rarely served from the page cache (any write invalidates it). Building the statements, compiling
them and turning rows into models cost ~2 ms of Python a request; here each filter combination's statements
are built and compiled once per process and executed on the DBAPI cursor, the database writes each row's JSON
object (`json_object` on SQLite, `row_to_json` on PostgreSQL), and Python only joins them into the page. The
bytes are the same as `ClaimPage(...).model_dump_json()` would give (tests/claims/test_list_fast.py).
"""

import atexit
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import orjson
from sqlalchemy import bindparam, func, literal_column, or_, select
from sqlalchemy.engine import Dialect, Engine
from sqlalchemy.exc import DataError
from sqlalchemy.pool import QueuePool
from sqlmodel import col

from app.api.pagination import encode_cursor
from app.claims.fulltext import search_count, search_page_ids, sqlite_match_expression, text_search_ids
from app.claims.models import Claim
from app.claims.schemas import ClaimPublic
from app.errors import InvalidInput
from app.vocabulary import ClaimSort

PUBLIC_FIELDS = tuple(ClaimPublic.model_fields)
SORT_COLUMNS = {sort.column: getattr(Claim, sort.column) for sort in ClaimSort}
CURSOR_TYPES: dict[str, type] = {"verdict": str, "status": str, "updated_at": datetime, "id": int}
# The ids of claims related to a source, given the source id's bound parameter: review decides what "related"
# means (mentioned in it or assessed for it), so the list is handed the rule instead of importing it.
RelatedToSource = Callable[[Any], Any]


@dataclass(frozen=True)
class ListQuery:
    """One list request's inputs (also the page cache's key: the body depends on nothing else but the data)."""

    verdict: str | None = None
    status: str | None = None
    kind: str | None = None
    source_id: int | None = None
    conflict: bool | None = None
    q: str | None = None
    sort: str = "id"
    limit: int = 50
    after: tuple[tuple[str, Any], ...] | None = None
    count_limit: int = 1_000

    def shape(self) -> tuple[Any, ...]:
        """What the SQL text depends on: which filters are present, the sort, and whether a cursor is."""
        return (
            self.verdict is not None,
            self.status is not None,
            self.kind is not None,
            self.source_id is not None,
            self.conflict is not None,
            self.q is not None,
            self.sort,
            self.after is not None,
        )


@dataclass(frozen=True)
class CallerQuery:
    """A statement naming the request's caller (named parameters in the driver's style, one row or none), read in
    the page's own statement on PostgreSQL."""

    sql: str
    params: dict[str, Any]
    width: int  # its columns


@dataclass(frozen=True)
class _Compiled:
    count_sql: str
    page_sql: str
    # Values SQLAlchemy bound itself (SQLite's OFFSET after a LIMIT, constants), per statement: their names
    # ("param_1") repeat from one statement to the other.
    count_constants: dict[str, Any]
    page_constants: dict[str, Any]


def _build(query: ListQuery, dialect: Dialect, related_to_source: RelatedToSource) -> _Compiled:
    """The count and page statements of one shape, with bound parameters in place of every value."""
    field = query.sort.lstrip("-")
    descending = query.sort.startswith("-")
    key = col(SORT_COLUMNS[field])
    # SQLite prefers the index on merged_into_id and then sorts every live claim; the unary plus hides it for a
    # sort other than id, so the sort's (key, id) partial index is walked instead (see service._live_filter).
    live = (
        literal_column("+claim.merged_into_id").is_(None)
        if field != "id" and dialect.name == "sqlite"
        else col(Claim.merged_into_id).is_(None)
    )
    conditions: list[Any] = [live]
    if query.verdict is not None:
        conditions.append(col(Claim.verdict) == bindparam("verdict"))
    if query.status is not None:
        conditions.append(col(Claim.status) == bindparam("status"))
    if query.kind is not None:
        conditions.append(col(Claim.kind) == bindparam("kind"))
    if query.conflict is not None:
        conditions.append(col(Claim.has_conflict) == bindparam("conflict"))
    if query.source_id is not None:
        conditions.append(col(Claim.id).in_(related_to_source(bindparam("source_id"))))
    if query.q is not None:
        conditions.append(col(Claim.id).in_(text_search_ids(dialect.name, bindparam("q"))))
    counted = select(col(Claim.id)).where(*conditions).limit(bindparam("count_limit")).subquery()
    count: Any = select(func.count()).select_from(counted)
    if query.q is not None and field == "id" and query.shape()[:5] == (False,) * 5:
        # Words alone, by id: the search index counts and finds the page itself, in claim order, stopping early.
        count = search_count(dialect.name, bindparam("q"), bindparam("count_limit"))
        page_ids = search_page_ids(
            dialect.name,
            bindparam("q"),
            bindparam("limit"),
            bindparam("after_id") if query.after is not None else None,
            descending,
        )
        conditions = [live, col(Claim.id).in_(page_ids)]
    elif query.after is not None:
        after_id: Any = bindparam("after_id")
        after_value: Any = bindparam("after_value")
        if field == "id":
            conditions.append(col(Claim.id) < after_id if descending else col(Claim.id) > after_id)
        elif descending:
            conditions.append(or_(key < after_value, (key == after_value) & (col(Claim.id) < after_id)))
        else:
            conditions.append(or_(key > after_value, (key == after_value) & (col(Claim.id) > after_id)))
    order: list[Any] = [col(Claim.id).desc() if descending else col(Claim.id)]
    if field != "id":
        order.insert(0, key.desc() if descending else key)
    # The database writes each row's JSON itself (C speed); the page's cursor needs the last row's id and sort key.
    item = _sqlite_json_object() if dialect.name == "sqlite" else _postgres_json_object()
    selected = (item, col(Claim.id), key)
    page = select(*selected).where(*conditions).order_by(*order).limit(bindparam("limit"))
    # Named parameters (":name" for sqlite3, "%(name)s" for psycopg) so one dict serves both statements.
    compiled_count, compiled_page = count.compile(dialect=dialect), page.compile(dialect=dialect)
    return _Compiled(str(compiled_count), str(compiled_page), _constants(compiled_count), _constants(compiled_page))


def _constants(compiled: Any) -> dict[str, Any]:
    return {name: value for name, value in compiled.params.items() if value is not None}


def _sqlite_json_object() -> Any:
    """A claim row as the JSON object `ClaimPublic` would serialise, key order and all: datetimes as UTC with a
    "Z" and microseconds only when there are any (the column stores "YYYY-MM-DD HH:MM:SS.ffffff"), booleans."""
    pairs = []
    for name in PUBLIC_FIELDS:
        column = f'"claim"."{name}"'
        if name in ("created_at", "updated_at"):
            value = f"replace(replace({column}, '.000000', ''), ' ', 'T') || 'Z'"
        elif name in ("text_edited", "has_conflict"):
            value = f"CASE WHEN {column} THEN json('true') ELSE json('false') END"  # constants: computed once
        else:
            value = column
        pairs.append(f"'{name}', {value}")
    return literal_column(f"json_object({', '.join(pairs)})")


def _postgres_json_object() -> Any:
    """A row's JSON object as PostgreSQL writes it, the same bytes as `ClaimPublic` gives: `row_to_json` is compact,
    in column order, and escapes strings as orjson does; datetimes in UTC with "Z", microseconds only when there
    are any."""
    columns = []
    for name in PUBLIC_FIELDS:
        value = f'claim."{name}"'
        if name in ("created_at", "updated_at"):
            value = (
                f"""replace(to_char({value} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'), '.000000Z', 'Z')"""
            )
        columns.append(f'{value} AS "{name}"')
    return literal_column(f"(SELECT row_to_json(item) FROM (SELECT {', '.join(columns)}) AS item)::text").label("item")


class KeptConnections:
    """Pooled connections the PostgreSQL list keeps checked out between its reads, at most `keep` of them.

    Each checkout from the pool costs a pre-ping, a round trip of its own: as much as the list's one statement.
    A kept connection is used again without it; a read that finds it dropped reads again on one the pool checked
    (`ClaimListReader.read_json_for_caller`). Kept connections count toward the engine's pool size."""

    def __init__(self, engine: Engine, keep: int) -> None:
        self._engine = engine
        self._keep = keep
        self._idle: list[Any] = []
        self._lock = threading.Lock()

    def take(self) -> tuple[Any, bool]:
        """A connection, and whether it was kept (not checked by the pool just now)."""
        with self._lock:
            if self._idle:
                return self._idle.pop(), True
        return self._engine.raw_connection(), False

    def give_back(self, connection: Any) -> None:
        with self._lock:
            if len(self._idle) < self._keep:
                self._idle.append(connection)
                return
        connection.close()

    def close(self) -> None:
        """Return every kept connection to the pool."""
        with self._lock:
            idle, self._idle = self._idle, []
        for connection in idle:
            connection.close()


class ClaimListReader:
    """Compiles each shape once per engine and reads pages as JSON bytes."""

    def __init__(self, engine: Engine, related_to_source: RelatedToSource) -> None:
        self._engine = engine
        self._related_to_source = related_to_source
        self._dialect = _named_dialect(engine.dialect)
        self._sqlite = engine.dialect.name == "sqlite"
        self._compiled: dict[tuple[Any, ...], _Compiled] = {}
        self._combined: dict[tuple[Any, ...], tuple[str, dict[str, Any]]] = {}
        # Up to as many as the pool keeps open anyway: one for each list read under way at once.
        self._kept = KeptConnections(engine, engine.pool.size() if isinstance(engine.pool, QueuePool) else 0)
        self._lock = threading.Lock()

    def _statements(self, query: ListQuery) -> _Compiled:
        shape = query.shape()
        compiled = self._compiled.get(shape)
        if compiled is None:
            compiled = _build(query, self._dialect, self._related_to_source)
            with self._lock:
                self._compiled[shape] = compiled
        return compiled

    def read_json(self, query: ListQuery) -> bytes:
        """The page of `query` as the bytes of a `ClaimPage`: the count and the page in one snapshot."""
        statements = self._statements(query)
        params = self._params(query)
        connection = self._engine.raw_connection()
        try:
            cursor = connection.cursor()
            if self._sqlite:
                cursor.execute("BEGIN DEFERRED")  # one snapshot for the count and the page
            cursor.execute(statements.count_sql, {**statements.count_constants, **params})
            total = cursor.fetchone()[0]  # type: ignore[index]  # a count always answers one row
            cursor.execute(statements.page_sql, {**statements.page_constants, **params})
            rows = list(cursor.fetchall())
            cursor.close()
            connection.rollback()
        except self._engine.dialect.loaded_dbapi.DataError as error:
            raise _data_error(statements.page_sql, params, error) from error
        finally:
            connection.close()
        return _json_page(query, total, rows)

    def read_json_for_caller(self, query: ListQuery, caller: CallerQuery) -> tuple[tuple[Any, ...] | None, bytes]:
        """PostgreSQL: the caller's row (None when `caller` finds none, and then no page) and the page, in one
        statement outside any transaction (a statement is one snapshot), on a kept connection: one round trip to the
        server instead of a pre-ping, a BEGIN, three statements and a ROLLBACK, each of which cost the server and
        the app about as much as a page."""
        sql, constants = self._with_caller(query, caller.sql)
        params = {**constants, **caller.params, **self._params(query)}
        while True:
            connection, kept = self._kept.take()
            try:
                rows = self._run_alone(connection, sql, params, caller)
            except self._engine.dialect.loaded_dbapi.OperationalError as error:
                if kept and self._engine.dialect.is_disconnect(error, connection.dbapi_connection, None):
                    # The server dropped a kept connection (a restart, an idle timeout): the read is one statement,
                    # so it is read again, on a connection the pool checks first.
                    connection.invalidate()
                    continue
                connection.close()
                raise
            except BaseException:
                connection.close()
                raise
            self._kept.give_back(connection)
            break
        if not rows:
            return None, b""
        width = caller.width
        total = rows[0][width]
        page = [row[width + 1 :] for row in rows if row[width + 1] is not None]  # no page row: one row of NULLs
        return tuple(rows[0][:width]), _json_page(query, total, page)

    def _run_alone(self, connection: Any, sql: str, params: dict[str, Any], caller: CallerQuery) -> list[Any]:
        """The rows of `sql` run in autocommit (its own snapshot, no BEGIN or ROLLBACK to send)."""
        driver = connection.dbapi_connection
        driver.autocommit = True
        try:
            cursor = connection.cursor()
            try:
                cursor.execute(sql, params)
            except self._engine.dialect.loaded_dbapi.DataError as error:
                # A value the columns cannot hold (a cursor's id beyond PostgreSQL's integer): an unknown caller
                # still hears that first.
                cursor.execute(caller.sql, caller.params)
                if cursor.fetchone() is None:
                    return []
                raise _data_error(sql, params, error) from error
            rows = list(cursor.fetchall())
            cursor.close()
            return rows
        finally:
            driver.autocommit = False  # as the pool hands it to everyone else

    def _with_caller(self, query: ListQuery, caller_sql: str) -> tuple[str, dict[str, Any]]:
        key = (query.shape(), caller_sql)
        combined = self._combined.get(key)
        if combined is None:
            statements = self._statements(query)
            field = query.sort.lstrip("-")
            direction = " DESC" if query.sort.startswith("-") else ""
            order = [f"page.id{direction}"] if field == "id" else [f"page.{field}{direction}", f"page.id{direction}"]
            # The caller's row and the count are one row each; the page's rows come after them in its own order.
            sql = (
                f"WITH caller AS ({caller_sql}), total AS ({statements.count_sql}) "
                f"SELECT caller.*, total.*, page.* FROM caller CROSS JOIN total "
                f"LEFT JOIN ({statements.page_sql}) AS page ON true ORDER BY {', '.join(order)}"
            )
            constants = {**statements.count_constants, **statements.page_constants}
            clashing = {
                name
                for name in statements.count_constants.keys() & statements.page_constants.keys()
                if statements.count_constants[name] != statements.page_constants[name]
            }
            assert not clashing, f"one statement cannot bind {clashing} to two values"
            combined = (sql, constants)
            with self._lock:
                self._combined[key] = combined
        return combined

    def close(self) -> None:
        self._kept.close()

    def _params(self, query: ListQuery) -> dict[str, Any]:
        params: dict[str, Any] = {"limit": query.limit, "count_limit": query.count_limit + 1}
        for name in ("verdict", "status", "kind", "source_id", "conflict"):
            value = getattr(query, name)
            if value is not None:
                params[name] = value
        if query.q is not None:
            params["q"] = sqlite_match_expression(query.q) if self._sqlite else query.q
        if query.after is not None:
            after = dict(query.after)
            params["after_id"] = after["id"]
            if query.sort.lstrip("-") != "id":
                value = after["value"]
                if isinstance(value, datetime):
                    value = value.astimezone(UTC) if value.utcoffset() is not None else value.replace(tzinfo=UTC)
                    if self._sqlite:
                        value = value.strftime("%Y-%m-%d %H:%M:%S.%f")  # as the column stores it
                params["after_value"] = value
        return params


def _data_error(sql: str, params: dict[str, Any], error: Exception) -> DataError:
    """The driver's own error, with no SQLAlchemy in between, as SQLAlchemy's: the app answers it as every route
    does (an id larger than PostgreSQL's integer column holds is a 404, not a 500)."""
    return DataError(sql, params, error)


def _json_page(query: ListQuery, total: int, rows: list[Any]) -> bytes:
    """The page's bytes around rows the database wrote as JSON (row: JSON object, id, sort key), in `ClaimPage`'s
    field order (Page[T]'s items and next_cursor, then the count), byte for byte."""
    next_cursor = None
    if len(rows) == query.limit:
        _item, last_id, value = rows[-1]
        if isinstance(value, str) and query.sort.lstrip("-") == "updated_at":  # SQLite stores naive UTC text
            value = datetime.fromisoformat(value).replace(tzinfo=UTC)
        if isinstance(value, datetime):
            value = value.astimezone(UTC).isoformat()
        next_cursor = encode_cursor({"sort": query.sort, "value": value, "id": last_id})
    items = ",".join(row[0] for row in rows)
    exact = b"true" if total <= query.count_limit else b"false"
    return b'{"items":[%s],"next_cursor":%s,"total":%d,"total_exact":%s}' % (
        items.encode(),
        orjson.dumps(next_cursor),
        min(total, query.count_limit),
        exact,
    )


def _named_dialect(dialect: Dialect) -> Dialect:
    named: Dialect = type(dialect)(paramstyle="named" if dialect.name == "sqlite" else "pyformat")  # type: ignore[call-arg]
    return named


def cursor_position(after: dict[str, Any] | None, sort: str) -> tuple[tuple[str, Any], ...] | None:
    """A decoded cursor checked against the sort, with its value in the sort column's type; 4xx otherwise."""
    if after is None:
        return None
    field = sort.lstrip("-")
    value: Any = after.get("id") if field == "id" else after.get("value")
    if field == "updated_at" and isinstance(value, str):
        try:
            value = datetime.fromisoformat(value)
        except ValueError:
            value = None
    if after.get("sort") != sort or type(after.get("id")) is not int or type(value) is not CURSOR_TYPES[field]:
        raise InvalidInput(
            "The cursor belongs to another sort order; start again without it.",
            errors=[{"field": "cursor", "message": "does not match sort"}],
        )
    return (("id", after["id"]), ("value", value))


_readers: dict[int, ClaimListReader] = {}


@atexit.register
def _give_back_kept_connections() -> None:
    """Kept connections are checked out of their pool: left to the garbage collector at exit, they were rolled back
    after the driver's modules were torn down, and every process on PostgreSQL ended with a traceback."""
    for reader in list(_readers.values()):
        reader.close()


def reader_for(engine: Engine, related_to_source: RelatedToSource) -> ClaimListReader:
    """One reader for the engine in use (tests switch engines between sessions: the reader of an earlier one gives
    its kept connections back)."""
    reader = _readers.get(id(engine))
    if reader is None or reader._engine is not engine:
        for earlier in _readers.values():
            earlier.close()
        _readers.clear()
        reader = _readers[id(engine)] = ClaimListReader(engine, related_to_source)
    return reader
