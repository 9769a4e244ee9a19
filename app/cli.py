"""The `crosscheck` command line; each command is a thin call into a service."""

import getpass
import json
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import Progress
from rich.table import Table
from sqlalchemy.exc import OperationalError
from sqlmodel import Session, select

from app.auth import service as auth_service
from app.auth.actor import SYSTEM
from app.auth.models import User
from app.cli_errors import CommandGroup, fail, refused_as
from app.config import InsecureSecretKey, get_settings, secret_key_path, session_secret_key
from app.db import get_engine, is_sqlite
from app.errors import DomainError, InvalidInput
from app.exchange.claimreview import export_claimreview
from app.exchange.export import export_json
from app.exchange.importer import ImportRefused, import_json
from app.exchange.tabular import export_csv
from app.migrate import schema_behind, upgrade
from app.sources import files
from app.sources.service import get_source, list_sources
from app.vocabulary import Role

app = CommandGroup(
    help="Crosscheck: a claim-verification workbench.", no_args_is_help=True, pretty_exceptions_enable=False
)
db_app = CommandGroup(help="Database schema.", no_args_is_help=True)
sources_app = CommandGroup(help="Sources.", no_args_is_help=True)
user_app = CommandGroup(help="Users.", no_args_is_help=True)
token_app = CommandGroup(help="API tokens.", no_args_is_help=True)
app.add_typer(db_app, name="db")
app.add_typer(sources_app, name="sources")
app.add_typer(user_app, name="user")
app.add_typer(token_app, name="token")
console = Console(stderr=True)
MAX_PRINTED_PROBLEMS = 20


def _session() -> Session:
    return Session(get_engine())


@db_app.command("upgrade")
def db_upgrade(revision: str = "head") -> None:
    """Upgrade the database to the newest migration (or REVISION)."""
    upgrade(get_settings().database_url, revision)
    console.print(f"database at {revision}")


@app.command()
def ingest(paths: Annotated[list[Path], typer.Argument(help="Files or folders of .txt/.md articles")]) -> None:
    """Ingest articles; already stored content is reported, not duplicated."""
    targets = files.expand_paths(paths)
    with _session() as session, Progress(console=console, transient=True) as progress:
        task = progress.add_task("ingesting", total=len(targets))
        report = files.ingest_files(session, targets, SYSTEM, on_progress=lambda _p: progress.advance(task))
    console.print(
        f"created {len(report.created)}, already present {len(report.present)}, rejected {len(report.rejected)}"
    )
    for path, reason in report.rejected:
        console.print(f"  rejected {path}: {reason}")
    if report.rejected and not (report.created or report.present):
        raise typer.Exit(1)


@sources_app.command("list")
def sources_list(limit: int = 100) -> None:
    """List stored sources."""
    with _session() as session:
        sources, total = list_sources(session, limit=limit)
    table = Table("id", "filename", "title", "author", "published", show_lines=False)
    for source in sources:
        table.add_row(
            str(source.id),
            source.filename or "",
            (source.title or "")[:60],
            source.author or "",
            source.published_at.isoformat() if source.published_at else "",
        )
    Console(width=200).print(table)
    console.print(f"{len(sources)} of {total} sources")


@app.command()
def export(
    format: Annotated[str, typer.Option("--format", "-f", help="json, csv or claimreview")] = "json",
    output: Annotated[Path | None, typer.Option("--output", "-o", help="File to write (default: stdout)")] = None,
    claim: Annotated[int | None, typer.Option("--claim", help="claimreview: only this claim")] = None,
    include_drafts: Annotated[bool, typer.Option("--include-drafts", help="claimreview: draft ratings too")] = False,
) -> None:
    """Write the whole workspace as one document (json, csv, or ClaimReview JSON-LD)."""
    writers = {
        "json": lambda s: export_json(s),
        "csv": lambda s: export_csv(s),
        "claimreview": lambda s: export_claimreview(s, claim, include_drafts=include_drafts),
    }
    if format not in writers:
        raise InvalidInput(f"unknown format {format!r}; use json, csv or claimreview")
    with _session() as session, refused_as("export refused"):
        document = writers[format](session)
    if output:
        output.write_text(document, encoding="utf-8")
        console.print(f"wrote {output}")
    else:
        sys.stdout.write(document)


@app.command("import")
def import_workspace(
    file: Annotated[Path, typer.Argument(help="A JSON export (crosscheck export --format json)")],
) -> None:
    """Load a JSON export into an empty database; users it names are recreated without passwords.

    The whole file is checked first; every problem is printed (`import refused: PATH: PROBLEM`) and nothing
    is stored unless there are none.
    """
    try:
        document = json.loads(file.read_text(encoding="utf-8"), parse_constant=_refuse_constant)
    except RecursionError as error:
        raise fail(f"import refused: {file} nests JSON too deeply to be an export") from error
    except (OSError, ValueError) as error:
        raise fail(f"import refused: cannot read {file}: {error}") from error
    with _session() as session:
        try:
            counts = import_json(session, document, SYSTEM)
        except ImportRefused as error:
            for path, message in error.problems[:MAX_PRINTED_PROBLEMS]:
                print(f"import refused: {path}: {message}" if path else f"import refused: {message}", file=sys.stderr)
            if len(error.problems) > MAX_PRINTED_PROBLEMS:
                print(
                    f"import refused: and {len(error.problems) - MAX_PRINTED_PROBLEMS} more problems", file=sys.stderr
                )
            raise typer.Exit(1) from error
        except DomainError as error:
            raise fail(f"import refused: {error.detail}") from error
    console.print(", ".join(f"{n} {what}" for what, n in counts.items()) + " imported")


def _refuse_constant(name: str) -> None:
    raise ValueError(f"{name} is not a JSON number")


@user_app.command("create")
def user_create(
    name: str,
    role: Annotated[str, typer.Option(help=f"One of {Role.choices()}")] = "reviewer",
    password: Annotated[str | None, typer.Option(help="Prompted for when omitted")] = None,
) -> None:
    """Create a user who signs in with a password."""
    if password is None:
        password = getpass.getpass(f"password for {name}: ")
    with _session() as session, refused_as("user not created"):
        user = auth_service.create_user(session, name, role, password, SYSTEM)
    console.print(f"created user {user.name} ({user.role})")


@user_app.command("set-password")
def user_set_password(
    name: str,
    password: Annotated[str | None, typer.Option(help="Prompted for when omitted")] = None,
) -> None:
    """Reset a user's password (e.g. an admin who lost theirs); every session of the user ends."""
    if password is None:
        password = getpass.getpass(f"new password for {name}: ")
    with _session() as session, refused_as("password not changed"):
        user = auth_service.get_user_by_name(session, name)
        assert user.id is not None
        auth_service.change_password(session, user.id, password, SYSTEM)
    console.print(f"password of {name} changed; their sessions have ended")


@user_app.command("update")
def user_update(
    name: str,
    role: Annotated[str | None, typer.Option(help=f"One of {Role.choices()}")] = None,
    active: Annotated[bool | None, typer.Option("--active/--inactive", help="Switch the account on or off")] = None,
) -> None:
    """Change a user's role or switch the account off; every session of the user ends."""
    with _session() as session, refused_as("user not changed"):
        user = auth_service.get_user_by_name(session, name)
        assert user.id is not None
        user = auth_service.update_user(session, user.id, SYSTEM, role=role, active=active)
    console.print(f"{user.name}: {user.role}, {'active' if user.active else 'inactive'}")


@token_app.command("create")
def token_create(
    user: Annotated[str, typer.Option("--user", help="The token acts as this user")],
    name: str = "",
    role: str | None = None,
) -> None:
    """Create an API token; it is printed once and cannot be shown again."""
    with _session() as session:
        owner = auth_service.get_user_by_name(session, user)
        _token, secret = auth_service.create_token(session, owner, SYSTEM, name=name, role=role)
    console.print("store this token now; it will not be shown again:")
    print(secret)


def ensure_first_admin(session: Session) -> str | None:
    """A new workspace gets an `admin` account so someone can sign in; returns its password once."""
    if session.exec(select(User)).first() is not None:
        return None
    password = get_settings().admin_password or auth_service.new_password()
    auth_service.create_user(session, "admin", "admin", password, SYSTEM)
    return password


@app.command()
def extract(
    source: Annotated[list[int] | None, typer.Option("--source", help="Only this source id (repeatable)")] = None,
) -> None:
    """Extract claims, group them across sources and suggest stances; safe to re-run."""
    from app.extraction.store import run_extraction

    with _session() as session, Progress(console=console, transient=True) as progress:
        for source_id in source or []:
            get_source(session, source_id)  # an unknown id is an error, not a run over nothing
        task = progress.add_task("extracting", total=None)
        summary = run_extraction(
            session,
            source_ids=source or None,
            progress=lambda done, total: progress.update(task, completed=done, total=total),
        )
    console.print(", ".join(f"{key.replace('_', ' ')} {value}" for key, value in summary.as_dict().items()))


def _check_secret_key() -> None:
    """One readable line instead of a server that fails to start with a traceback."""
    try:
        session_secret_key(get_settings())
    except (InsecureSecretKey, OSError) as error:
        console.print(f"refusing to start: {error}", markup=False, highlight=False, soft_wrap=True)
        raise typer.Exit(1) from error


@app.command()
def setup() -> None:
    """Prepare a workspace: migrate, load the fixtures once, extract claims, create the first admin."""
    settings = get_settings()
    _check_secret_key()
    if settings.secret_key is None:
        console.print(f"secret key: {secret_key_path(settings)} (owner-only; keep it, or set CROSSCHECK_SECRET_KEY)")
    upgrade(settings.database_url)
    with _session() as session:
        report = files.load_fixtures(session, settings.fixtures_dir, SYSTEM)
        console.print(
            f"fixtures: created {len(report.created)}, already present {len(report.present)}, "
            f"rejected {len(report.rejected)}"
        )
        with refused_as("first admin not created"):
            password = ensure_first_admin(session)
    extract(source=None)
    if password:
        console.print(f"created user [bold]admin[/bold] with password [bold]{password}[/bold] (shown once)")


def _refuse(message: str) -> None:
    console.print(message, markup=False, highlight=False, soft_wrap=True)
    raise typer.Exit(1)


def _refuse_outdated_schema(database_url: str) -> None:
    behind = schema_behind(database_url)
    if behind:
        _refuse(f"refusing to start: {behind}; run `crosscheck db upgrade` (or `crosscheck setup`) first")


@app.command()
def serve(
    host: str | None = None,
    port: int | None = None,
    reload: bool = False,
    workers: Annotated[int, typer.Option(min=1, help="Server processes (PostgreSQL only beyond 1)")] = 1,
) -> None:
    """Serve the web UI and the API (CROSSCHECK_HOST / CROSSCHECK_PORT by default)."""
    import uvicorn

    settings = get_settings()
    _check_secret_key()
    if workers > 1 and is_sqlite(settings.database_url):
        _refuse("refusing to start: more than one server process needs PostgreSQL (CROSSCHECK_DATABASE_URL)")
    _refuse_outdated_schema(settings.database_url)
    uvicorn.run(
        "app.main:create_app",
        factory=True,
        host=host or settings.host,
        port=port or settings.port,
        reload=reload,
        workers=None if reload else workers,
        log_level=settings.log_level.lower(),
    )


@app.command()
def worker(
    name: Annotated[str | None, typer.Option(help="Shown as the jobs' worker; host:pid by default")] = None,
) -> None:
    """Run background jobs (extraction after ingestion) in this process until stopped; PostgreSQL only.

    Start any number, on any machines: they share the queue (SELECT ... FOR UPDATE SKIP LOCKED), and the job of
    a worker that is killed goes back to the queue. CROSSCHECK_RUN_WORKER=false keeps jobs off the app processes."""
    import logging

    from app.extraction import store  # noqa: F401  (registers the `extract` job)
    from app.jobs.worker import JobWorker

    settings = get_settings()
    if is_sqlite(settings.database_url):
        _refuse(
            "refusing to start: separate worker processes need PostgreSQL (CROSSCHECK_DATABASE_URL); "
            "with SQLite the app process runs the jobs"
        )
    _refuse_outdated_schema(settings.database_url)
    logging.basicConfig(level=settings.log_level.upper(), format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    JobWorker(name=name).run_until_stopped()


def main() -> None:
    """The installed entry point: a failure no command foresaw is still one readable line and exit status 1."""
    try:
        app()
    except DomainError as error:
        console.print(f"error: {error.detail}", markup=False, highlight=False, soft_wrap=True)
        sys.exit(1)
    except OperationalError as error:
        reason = str(error.orig).strip().splitlines()[0] if error.orig else "unreachable"
        console.print(f"database error: {reason}", markup=False, highlight=False, soft_wrap=True)
        sys.exit(1)


if __name__ == "__main__":
    main()
