"""The one settings object: every knob of Crosscheck, read from CROSSCHECK_* environment variables."""

import os
import secrets
from contextlib import suppress
from functools import lru_cache
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict
from sqlalchemy.engine import make_url

# Values that shipped as defaults somewhere (ours, docker-compose, frameworks' examples): anyone can sign with them.
KNOWN_DEFAULT_SECRET_KEYS = frozenset(
    {
        "change-me-in-production",
        "change-me",
        "changeme",
        "change_me",
        "secret",
        "secret-key",
        "secret_key",
        "development",
        "dev",
        "test",
        "insecure",
        "crosscheck",
        "your-secret-key",
        "supersecret",
    }
)
MIN_SECRET_KEY_BYTES = 32


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="CROSSCHECK_", env_file=".env", extra="ignore")

    database_url: str = "sqlite:///./crosscheck.db"
    log_level: str = "INFO"
    host: str = "127.0.0.1"
    port: int = 8000
    max_body_bytes: int = 5 * 1024 * 1024
    # Requests one server process works on at once; the others wait their turn (app/admission.py). 0: no limit.
    # Raise it when the database is on another machine and the process's CPU stays idle under load.
    max_active_requests: int = Field(default=4, ge=0)
    sqlite_busy_timeout_ms: int = 30_000
    fixtures_dir: Path = Path(__file__).resolve().parent.parent / "fixtures"
    # Reads need credentials unless a deployment opts in to an open, read-only workspace.
    public_read: bool = False
    # Signs session cookies. Unset: a random key generated once and kept in `secret_key_file`.
    secret_key: str | None = None
    # Unset: beside a SQLite database file (`crosscheck.db-secret-key`), else `crosscheck-secret-key` here.
    secret_key_file: Path | None = None
    # Unset: the cookie is marked Secure when the request came over HTTPS; true/false force it either way.
    session_cookie_secure: bool | None = None
    # A session ends after this long without a request, and this long after sign-in whatever happens.
    session_idle_minutes: int = 8 * 60
    session_max_age_hours: int = 7 * 24
    # Sign-in back-off: after this many failures in a row (per account name / per client address) sign-ins
    # from there wait login_lockout_seconds, doubling with each further failure up to the maximum. Failures
    # are forgotten after login_failure_window_minutes without one.
    login_max_failures_per_account: int = 5
    login_max_failures_per_address: int = 20
    login_lockout_seconds: int = 60
    login_lockout_max_seconds: int = 15 * 60
    login_failure_window_minutes: int = 15
    # An evidence item may point at a source that neither mentions nor was assessed for the claim,
    # unless a desk wants evidence kept strictly to related sources.
    evidence_requires_related_source: bool = False
    # Webhook deliveries retry with exponential backoff: backoff, 2x, 4x ... up to max_attempts tries.
    webhook_max_attempts: int = 6
    webhook_backoff_seconds: float = 2.0
    webhook_timeout_seconds: float = 5.0
    # Webhooks reach public addresses only; these comma-separated networks (e.g. "127.0.0.0/8" for local
    # development and the tests) are let through as well. Never list a network of machines you do not own.
    webhook_allowed_networks: str = ""
    embeddings: str = "auto"
    run_worker: bool = True
    # PostgreSQL: a running job whose worker no longer holds its lock this long after it started is put back in
    # the queue (its worker was killed or its machine lost); every worker sweeps for such jobs this often.
    job_orphan_grace_seconds: float = 30.0
    # Queue extraction for each newly ingested source (API and UI ingestion).
    extract_on_ingest: bool = True
    # The first admin's password on a new workspace; a random one is printed when unset.
    admin_password: str | None = None
    # Where readers reach this workspace: exported ClaimReview links are absolute URLs under it.
    public_url: str = "http://127.0.0.1:8000"
    # The fact-checking organisation named as the author of published ClaimReviews.
    organisation_name: str = "Crosscheck"
    organisation_url: str | None = None
    organisation_logo: str | None = None
    # The editor's rating scale, best first: name -> schema.org reviewRating value (1 worst, 5 best).
    # Set as JSON, e.g. CROSSCHECK_RATING_SCALE='{"correct": 5, "incorrect": 1}'.
    rating_scale: dict[str, int] = {
        "true": 5,
        "mostly-true": 4,
        "mixed": 3,
        "mostly-false": 2,
        "false": 1,
        "unproven": 3,
    }


@lru_cache
def get_settings() -> Settings:
    return Settings()


class InsecureSecretKey(ValueError):
    """The session-signing key is missing, too short or a published default: anyone could forge a session."""


def check_secret_key(key: str, origin: str) -> str:
    if key.strip().lower() in KNOWN_DEFAULT_SECRET_KEYS:
        raise InsecureSecretKey(
            f"{origin} is a published default; set a random one "
            "(python -c 'import secrets; print(secrets.token_urlsafe(32))')."
        )
    if len(key.encode()) < MIN_SECRET_KEY_BYTES:
        raise InsecureSecretKey(
            f"{origin} is shorter than {MIN_SECRET_KEY_BYTES} bytes; set a random one "
            "(python -c 'import secrets; print(secrets.token_urlsafe(32))')."
        )
    return key


def secret_key_path(settings: Settings) -> Path:
    if settings.secret_key_file is not None:
        return settings.secret_key_file
    url = make_url(settings.database_url)
    if url.get_backend_name() == "sqlite" and url.database and url.database != ":memory:":
        return Path(url.database + "-secret-key")
    return Path("crosscheck-secret-key")


def session_secret_key(settings: Settings) -> str:
    """CROSSCHECK_SECRET_KEY when set, else the key file's, generated on first use; refused when weak."""
    if settings.secret_key is not None:
        return check_secret_key(settings.secret_key, "CROSSCHECK_SECRET_KEY")
    path = secret_key_path(settings)
    if not path.exists():
        _write_new_key(path)
    return check_secret_key(path.read_text(encoding="utf-8").strip(), f"The secret key in {path}")


def _write_new_key(path: Path) -> None:
    """Write a random key readable by its owner only; of two processes racing, the first one's key is kept."""
    path.parent.mkdir(parents=True, exist_ok=True)
    draft = path.with_name(f".{path.name}.{secrets.token_hex(8)}")
    descriptor = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
            handle.write(secrets.token_urlsafe(48) + "\n")
            handle.flush()
            os.fsync(handle.fileno())
        with suppress(FileExistsError):  # a key another process wrote first is kept, never replaced
            os.link(draft, path)
    finally:
        draft.unlink()
