"""Every `crosscheck` command fails the same way: one readable line on stderr and exit status 1, no traceback."""

import functools
import logging
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

import click
import typer
from alembic.util.exc import CommandError
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, InterfaceError, OperationalError

from app.config import get_settings
from app.errors import DomainError

log = logging.getLogger(__name__)
Command = TypeVar("Command", bound=Callable[..., Any])


def _database_name() -> str:
    """The configured database without its password, for messages."""
    try:
        return make_url(get_settings().database_url).render_as_string(hide_password=True)
    except ArgumentError:
        return "the configured database"


def _first_line(error: BaseException) -> str:
    text = str(getattr(error, "orig", None) or error).strip()
    return text.splitlines()[0] if text else type(error).__name__


def describe(error: Exception) -> str:
    """The one line a person reads for an error a command did not handle itself."""
    if isinstance(error, DomainError):
        return f"error: {error.detail}"
    if isinstance(error, OperationalError | InterfaceError):
        return f"error: cannot use the database {_database_name()}: {_first_line(error)}"
    if isinstance(error, ArgumentError):
        return f"error: CROSSCHECK_DATABASE_URL is not a database URL: {_first_line(error)}"
    if isinstance(error, DBAPIError):
        return f"error: the database refused the change: {_first_line(error)}"
    if isinstance(error, CommandError):
        return f"error: {_first_line(error)}"
    if isinstance(error, OSError):
        where = f" {error.filename}" if error.filename else ""
        return f"error: cannot use{where}: {error.strerror or _first_line(error)}"
    return f"error: unexpected {type(error).__name__}: {_first_line(error)}"


def fail(message: str) -> typer.Exit:
    """Print the one line (never wrapped, unlike rich's console) and return the exit to raise."""
    print(message, file=sys.stderr)
    return typer.Exit(1)


@contextmanager
def refused_as(prefix: str) -> Iterator[None]:
    """A refusal of the domain inside the block ends the command with the line `PREFIX: WHY` and status 1."""
    try:
        yield
    except DomainError as error:
        raise fail(f"{prefix}: {error.detail}") from error


def readable_errors(command: Command) -> Command:
    """Wrap a command so that an error becomes one line on stderr and exit status 1.

    Click's own outcomes (usage errors, `typer.Exit`, Ctrl-C) pass through unchanged. The traceback of an
    unexpected error still goes to the log at debug level, for whoever runs with CROSSCHECK_LOG_LEVEL=DEBUG.
    """

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except (typer.Exit, click.exceptions.Exit, click.exceptions.Abort, click.ClickException):
            raise
        except Exception as error:
            log.debug("command failed", exc_info=True)
            raise fail(describe(error)) from None

    return wrapper  # type: ignore[return-value]


class CommandGroup(typer.Typer):
    """A Typer app whose every command fails readably (see `readable_errors`)."""

    def command(self, *args: Any, **kwargs: Any) -> Callable[[Command], Command]:
        register = super().command(*args, **kwargs)

        def decorator(function: Command) -> Command:
            register(readable_errors(function))
            return function

        return decorator
