"""Optimistic concurrency: every editable record has a version, and a write names the one it read."""

from typing import Any

from app.errors import DomainError, StaleVersion


class PreconditionRequired(DomainError):
    """A write to a shared record without the version it was based on could silently overwrite work."""

    status, slug, title = 428, "precondition-required", "Send the version you read"


def etag(version: int) -> str:
    return f'"{version}"'


def parse_if_match(header: str | None) -> int | None:
    """`If-Match: "3"` (or W/"3", or a bare 3) names version 3; `*` or nothing names none."""
    if header is None or header.strip() in ("", "*"):
        return None
    value = header.strip()
    if value.startswith("W/"):
        value = value[2:]
    value = value.strip('"')
    if not value.isdigit():
        raise StaleVersion(f"If-Match {header!r} is not an ETag this API issued.",
                           errors=[{"field": "If-Match", "message": "must be an ETag such as \"3\""}])
    return int(value)


def expected_version(if_match: str | None, body_version: int | None) -> int | None:
    """The version a client based its write on, from the header or the body; they must agree if both are sent."""
    header_version = parse_if_match(if_match)
    if header_version is not None and body_version is not None and header_version != body_version:
        raise StaleVersion("If-Match and the body's version disagree.",
                           errors=[{"field": "version", "message": "differs from If-Match"}])
    return header_version if header_version is not None else body_version


def check_version(kind: str, current_version: int, expected: int | None, current: dict[str, Any], *,
                  required: bool = True) -> None:
    """Refuse a write based on another version than the stored one, carrying the stored state back."""
    if expected is None:
        if required:
            raise PreconditionRequired(
                f"Send the {kind}'s version (If-Match header or `version` field) so a concurrent change "
                "is not overwritten.", errors=[{"field": "version", "message": "required"}], current=current)
        return
    if expected != current_version:
        raise StaleVersion(
            f"The {kind} is at version {current_version}, not {expected}; re-read it and retry.",
            errors=[{"field": "version", "message": f"stale: current version is {current_version}"}],
            current=current)
