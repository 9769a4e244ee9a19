"""Every `crosscheck` command fails the same way: one readable line on stderr and exit status 1, no traceback."""

import functools
import logging
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any, TypeVar

import click
import typer
from alembic.util.exc import CommandError
from pydantic import ValidationError
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, InterfaceError, OperationalError
from typer.core import TyperGroup

from app.config import Settings, get_settings
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


def _setting_problem(error: ValidationError) -> str:
    """The first wrong setting, named as the environment variable a person sets."""
    problem = error.errors(include_url=False)[0]
    field, *inside = [str(part) for part in problem["loc"]] or ["a setting"]
    name = f"{Settings.model_config.get('env_prefix', '')}{field}".upper() if problem["loc"] else field
    where = f" (at {'.'.join(inside)})" if inside else ""
    more = f" (and {error.error_count() - 1} more)" if error.error_count() > 1 else ""
    return f"{name} is not valid{where}: {problem['msg']}, got {problem['input']!r}{more}"


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
    if isinstance(error, ValidationError) and error.title == Settings.__name__:
        return f"error: {_setting_problem(error)}"
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


class _OneLineUsageErrors(TyperGroup):
    """Usage mistakes (a missing argument, an unknown option) end like every other failure: one line, status 1,
    instead of a boxed message and status 2."""

    def main(
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        windows_expand_args: bool = True,
        **extra: Any,
    ) -> Any:
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, False, windows_expand_args, **extra)
        try:
            outcome = super().main(args, prog_name, complete_var, False, windows_expand_args, **extra)
        except Exception as error:
            # Typer carries its own copy of click, so its errors are recognised by what they offer.
            format_message = getattr(error, "format_message", None)
            if not callable(format_message):
                raise
            if type(error).__name__ == "NoArgsIsHelpError":  # a bare group: its help, as asked
                print(format_message())
                sys.exit(0)
            context = getattr(error, "ctx", None)
            hint = f" (see {context.command_path} --help)" if context is not None else ""
            fail(f"error: {format_message()}{hint}")
            sys.exit(1)
        sys.exit(outcome if isinstance(outcome, int) else 0)


class CommandGroup(typer.Typer):
    """A Typer app whose every command fails readably (see `readable_errors`)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(cls=_OneLineUsageErrors, **kwargs)

    def command(self, *args: Any, **kwargs: Any) -> Callable[[Command], Command]:
        register = super().command(*args, **kwargs)

        def decorator(function: Command) -> Command:
            register(readable_errors(function))
            return function

        return decorator
