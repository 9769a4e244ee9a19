"""Read a source's title, author and date from the head of its normalised text, never guessing.

Only the header block is read: the lines before the first paragraph of running prose. A field
that the header does not show stays empty.
"""

import re
from dataclasses import dataclass
from datetime import date

MONTHS = {
    name: number
    for number, name in enumerate(
        [
            "january",
            "february",
            "march",
            "april",
            "may",
            "june",
            "july",
            "august",
            "september",
            "october",
            "november",
            "december",
        ],
        start=1,
    )
}
_MONTH = "(" + "|".join(MONTHS) + ")"
_DAY_MONTH_YEAR = re.compile(rf"^(\d{{1,2}})\s+{_MONTH}\s+(\d{{4}})$", re.IGNORECASE)
_MONTH_DAY_YEAR = re.compile(rf"^{_MONTH}\s+(\d{{1,2}}),?\s+(\d{{4}})$", re.IGNORECASE)
_DOTTED = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})$")
_ISO = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_BYLINE = re.compile(r"^(?:[Bb]y\s+)?([A-Z][\w'’.-]+(?:\s+[A-Z][\w'’.-]+){1,3})$")
_PROSE_MIN_LENGTH = 200
_TITLE_MAX_LENGTH = 200


@dataclass(frozen=True)
class ParsedMetadata:
    title: str | None = None
    author: str | None = None
    published_at: date | None = None


def parse_date(line: str) -> date | None:
    """A date written alone: `03.03.2025` (day first, the European order), `14 February 2025`, …"""
    text = line.strip()
    try:
        if match := _DAY_MONTH_YEAR.match(text):
            return date(int(match[3]), MONTHS[match[2].lower()], int(match[1]))
        if match := _MONTH_DAY_YEAR.match(text):
            return date(int(match[3]), MONTHS[match[1].lower()], int(match[2]))
        if match := _DOTTED.match(text):
            return date(int(match[3]), int(match[2]), int(match[1]))
        if match := _ISO.match(text):
            return date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        return None
    return None


def header_lines(text: str) -> list[str]:
    lines = []
    for line in text.split("\n"):
        stripped = line.strip()
        if not stripped:
            continue
        if len(stripped) >= _PROSE_MIN_LENGTH:
            break
        lines.append(stripped)
        if len(lines) >= 6:
            break
    return lines


def _looks_like_title(line: str) -> bool:
    return (
        len(line) <= _TITLE_MAX_LENGTH
        and not line.endswith((".", ",", ";", ":"))
        and len(line.split()) >= 3
        and parse_date(line) is None
    )


def parse_metadata(text: str) -> ParsedMetadata:
    lines = header_lines(text)
    title = author = None
    published_at = None
    for index, line in enumerate(lines):
        if line.startswith("#") and title is None:
            title = line.lstrip("#").strip() or None
            continue
        if index == 0 and title is None and _looks_like_title(line):
            title = line
            continue
        if published_at is None and (parsed := parse_date(line)):
            published_at = parsed
            continue
        if author is None and title is not None and (match := _BYLINE.match(line)):
            author = match[1]
    return ParsedMetadata(title=title, author=author, published_at=published_at)
