"""If-Match handling: a record's version as an ETag, and the version a write names (header or body).

The version check itself is the services' (`app.errors.check_version`); this is only how HTTP carries it."""

from typing import Annotated

from fastapi import Header

from app.errors import StaleVersion

# The If-Match header of a write to a versioned record, as routes declare it.
IfMatch = Annotated[str | None, Header(description='The ETag you read, e.g. "3"; or send `version` in the body')]
# The same, for a record whose writes carry no `version` field (a source's details).
IfMatchHeader = Annotated[str | None, Header(description='The ETag you read, e.g. "3"')]


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
        raise StaleVersion(
            f"If-Match {header!r} is not an ETag this API issued.",
            errors=[{"field": "If-Match", "message": 'must be an ETag such as "3"'}],
        )
    return int(value)


def expected_version(if_match: str | None, body_version: int | None) -> int | None:
    """The version a client based its write on, from the header or the body; they must agree if both are sent."""
    header_version = parse_if_match(if_match)
    if header_version is not None and body_version is not None and header_version != body_version:
        raise StaleVersion(
            "If-Match and the body's version disagree.",
            errors=[{"field": "version", "message": "differs from If-Match"}],
        )
    return header_version if header_version is not None else body_version
