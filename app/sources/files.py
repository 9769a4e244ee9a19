"""Ingest files and folders from disk (the CLI and the fixture loader), reporting each outcome."""

import tomllib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from sqlmodel import Session

from app.auth.actor import Actor
from app.errors import DomainError
from app.sources.models import SourceMetadata
from app.sources.service import READABLE_SUFFIXES, decode_upload, ingest_text


@dataclass
class IngestReport:
    created: list[str] = field(default_factory=list)
    present: list[str] = field(default_factory=list)
    rejected: list[tuple[str, str]] = field(default_factory=list)
    source_ids: list[int] = field(default_factory=list)


def expand_paths(paths: Iterable[Path]) -> list[Path]:
    """Folders become the readable files inside them (recursively, sorted); files stay as given."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files.extend(sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in READABLE_SUFFIXES))
        else:
            files.append(path)
    return files


def ingest_files(
    session: Session,
    files: list[Path],
    actor: Actor,
    *,
    metadata_by_name: dict[str, SourceMetadata] | None = None,
    on_progress: Callable[[Path], None] | None = None,
) -> IngestReport:
    report = IngestReport()
    for path in files:
        try:
            if not path.is_file():
                raise FileNotFoundError("no such file")
            raw = decode_upload(path.read_bytes(), path.name)
            metadata = (metadata_by_name or {}).get(path.name)
            source, created = ingest_text(session, raw, actor, filename=path.name, metadata=metadata)
            (report.created if created else report.present).append(str(path))
            assert source.id is not None
            report.source_ids.append(source.id)
        except DomainError as error:
            report.rejected.append((str(path), error.detail))
        except OSError as error:
            report.rejected.append((str(path), error.strerror or str(error)))
        if on_progress:
            on_progress(path)
    return report


def read_manifest(manifest: Path) -> dict[str, SourceMetadata]:
    entries = tomllib.loads(manifest.read_text(encoding="utf-8")).get("source", [])
    return {
        entry["filename"]: SourceMetadata.model_validate(
            {key: value for key, value in entry.items() if key != "filename"}
        )
        for entry in entries
    }


def load_fixtures(session: Session, fixtures_dir: Path, actor: Actor) -> IngestReport:
    """Load the shipped case set; a second call finds every source present and changes nothing."""
    metadata = read_manifest(fixtures_dir / "sources.toml")
    files = [fixtures_dir / "sources" / name for name in metadata]
    return ingest_files(session, files, actor, metadata_by_name=metadata)
