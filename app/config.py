"""The one settings object: every knob of Crosscheck, read from CROSSCHECK_* environment variables."""

from functools import lru_cache
from pathlib import Path

from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="CROSSCHECK_", env_file=".env", extra="ignore")

    database_url: str = "sqlite:///./crosscheck.db"
    log_level: str = "INFO"
    host: str = "127.0.0.1"
    port: int = 8000
    max_body_bytes: int = 5 * 1024 * 1024
    sqlite_busy_timeout_ms: int = 30_000
    fixtures_dir: Path = Path(__file__).resolve().parent.parent / "fixtures"
    # Reads need credentials unless a deployment opts in to an open, read-only workspace.
    public_read: bool = False
    secret_key: str = "change-me-in-production"
    session_cookie_secure: bool = False
    # An evidence item may point at a source that neither mentions nor was assessed for the claim,
    # unless a desk wants evidence kept strictly to related sources.
    evidence_requires_related_source: bool = False
    # Webhook deliveries retry with exponential backoff: backoff, 2x, 4x ... up to max_attempts tries.
    webhook_max_attempts: int = 6
    webhook_backoff_seconds: float = 2.0
    webhook_timeout_seconds: float = 5.0
    embeddings: str = "auto"
    run_worker: bool = True
    # Queue extraction for each newly ingested source (API and UI ingestion).
    extract_on_ingest: bool = True
    # The first admin's password on a new workspace; a random one is printed when unset.
    admin_password: str | None = None


@lru_cache
def get_settings() -> Settings:
    return Settings()
