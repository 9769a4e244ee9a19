"""Typed dependencies shared by every router: the session, the caller, and role checks."""

from collections.abc import Callable, Coroutine, Iterator
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Depends, Request
from sqlalchemy import Connection
from sqlalchemy.engine import Dialect
from sqlmodel import Session
from starlette.concurrency import run_in_threadpool

from app.auth.actor import Actor
from app.auth.service import RawTokenLookup, caller_for_token, record_token_use, role_rank
from app.auth.sessions import SESSION_COOKIE_KEY, caller_for_session, record_session_use
from app.config import get_settings
from app.db import DataVersion, get_engine, get_read_session, get_session, read_engine, version_probe
from app.errors import Forbidden, Unauthenticated

READ_METHODS = frozenset({"GET", "HEAD"})


def request_session(request: Request) -> Iterator[Session]:
    """GET and HEAD get a read session (on SQLite a deferred transaction that never queues for the write
    lock); every other method a session whose transactions take the write lock up front."""
    sessions = get_read_session if request.method in READ_METHODS else get_session
    yield from sessions()


SessionDep = Annotated[Session, Depends(request_session)]


def request_caller(request: Request, db: Session | Connection) -> tuple[Actor | None, bool]:
    """Who the request's credentials name (an API token, else a signed-in session's user; None without either),
    and whether a token's use is due to be recorded. A bad or revoked token is refused, not treated as anonymous."""
    secret = bearer_token(request)
    if secret is not None:
        return known_caller(caller_for_token(db, secret))
    caller = caller_for_session(db, request.scope.get("session", {}).get(SESSION_COOKIE_KEY))
    return caller if caller is not None else (None, False)


def bearer_token(request: Request) -> str | None:
    """The API token the request sends; None without an Authorization header, 401 for a malformed one."""
    header = request.headers.get("authorization", "")
    if not header:
        return None
    scheme, _, secret = header.partition(" ")
    if scheme.lower() != "bearer" or not secret.strip():
        raise Unauthenticated("Send an API token as 'Authorization: Bearer <token>'.")
    return secret.strip()


def known_caller(caller: tuple[Actor, bool] | None) -> tuple[Actor, bool]:
    """The caller a token named; 401 when it named none (unknown, revoked, or its user deactivated)."""
    if caller is None:
        raise Unauthenticated("The API token is unknown or revoked.")
    return caller


_raw_lookups: dict[str, RawTokenLookup] = {}


def raw_token_lookup(dialect: Dialect) -> RawTokenLookup:
    """The bearer token's lookup compiled for `dialect`, once per process."""
    lookup = _raw_lookups.get(dialect.name)
    if lookup is None:
        lookup = _raw_lookups[dialect.name] = RawTokenLookup(dialect)
    return lookup


def token_caller_on_cursor(cursor: Any, dialect: Dialect, secret: str) -> tuple[Actor, bool]:
    """`request_caller` for a bearer token, on a bare DBAPI cursor of a connection of `dialect`."""
    return known_caller(raw_token_lookup(dialect).caller(cursor, secret))


def finish_token_read(caller: tuple[Actor, bool]) -> None:
    """After a read checked on a bare cursor: record the token's use when due, in a session of its own."""
    actor, use_due = caller
    if use_due:
        with Session(get_engine()) as session:
            record_use(session, actor)


def record_use(session: Session, actor: Actor) -> None:
    """Note that a token was used, or move a session's idle clock."""
    if actor.token_id is not None:
        record_token_use(session, actor.token_id)
    elif actor.session_id is not None:
        record_session_use(session, actor.session_id)


def optional_actor(request: Request, session: SessionDep) -> Actor | None:
    actor, use_due = request_caller(request, session)
    if use_due and actor is not None:
        record_use(session, actor)
    return actor


OptionalActor = Annotated[Actor | None, Depends(optional_actor)]


def _check_reader(actor: Actor | None) -> Actor | None:
    """Reads need a signed-in caller unless the deployment opens reads to everyone."""
    if actor is None and not get_settings().public_read:
        raise Unauthenticated("Sign in or send an API token to read this workspace.")
    return actor


# The role checks are async because they do no I/O: FastAPI runs a plain `def` dependency in a worker
# thread, and that hand-off costs more than the check itself on every request.
async def reader(actor: OptionalActor) -> Actor | None:
    """The caller of a read, checked by `_check_reader`."""
    return _check_reader(actor)


@dataclass(frozen=True)
class VersionedReader:
    """A caller `reader` lets in, and the database's data version read just before the credentials were checked
    (None on PostgreSQL): the key under which a read may be served from app.api.page_cache."""

    actor: Actor | None
    version: DataVersion | None


async def versioned_reader(request: Request) -> VersionedReader:
    """`reader` for reads that may be cached, in one thread hand-off instead of a chain of `def` dependencies.

    Credentials are checked on every request, against the database as it is now, before any cache is looked at."""
    return await run_in_threadpool(read_versioned, request)


def read_versioned(request: Request) -> VersionedReader:
    """`versioned_reader`'s work, for a caller already off the event loop."""
    probe = version_probe()
    if probe is None:
        with Session(read_engine()) as session:
            actor, use_due = request_caller(request, session)
            if use_due and actor is not None:
                record_use(session, actor)
        return VersionedReader(_check_reader(actor), None)
    secret = bearer_token(request)
    if secret is not None:
        with probe.raw_snapshot() as (cursor, version):
            actor, use_due = token_caller_on_cursor(cursor, read_engine().dialect, secret)
    else:
        with probe.snapshot() as (connection, version):
            actor, use_due = request_caller(request, connection)
    if use_due and actor is not None:
        # The probe never writes (its version would miss its own commits), nor holds its lock while others wait.
        with Session(get_engine()) as session:
            record_use(session, actor)
    return VersionedReader(_check_reader(actor), version)


def require_role(role: str) -> Callable[[Actor | None], Coroutine[Any, Any, Actor]]:
    async def _check(actor: OptionalActor) -> Actor:
        if actor is None:
            raise Unauthenticated("Sign in or send an API token to make changes.")
        if role_rank(actor.role) < role_rank(role):
            raise Forbidden(f"This needs the {role} role; you are {actor.role}.")
        return actor

    return _check


SignedInDep = Annotated[Actor, Depends(require_role("viewer"))]
ReaderDep = Annotated[Actor | None, Depends(reader)]
VersionedReaderDep = Annotated[VersionedReader, Depends(versioned_reader)]
ReviewerDep = Annotated[Actor, Depends(require_role("reviewer"))]
EditorDep = Annotated[Actor, Depends(require_role("editor"))]
AdminDep = Annotated[Actor, Depends(require_role("admin"))]
