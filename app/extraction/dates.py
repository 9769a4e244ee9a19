"""Find date expressions and resolve them against the article's own date where it is known."""

from __future__ import annotations

import datetime
import re

from app.extraction.types import DateRef

_MONTHS = {
    name: number
    for number, names in enumerate(
        [("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"), ("may",),
         ("june", "jun"), ("july", "jul"), ("august", "aug"), ("september", "sep", "sept"),
         ("october", "oct"), ("november", "nov"), ("december", "dec")],
        start=1,
    )
    for name in names
}  # fmt: skip
_WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
_MONTH = (
    r"(?P<month>January|February|March|April|May|June|July|August|September|October|November|December"
    r"|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.?"
)
_PATTERNS = [
    # 12 February 2025, 12 Feb, 14-16 February
    re.compile(
        rf"\b(?P<day>\d{{1,2}})(?:st|nd|rd|th)?(?:\s?[-–]\s?\d{{1,2}})?\s+(?:of\s+)?{_MONTH}"
        rf"(?:,?\s+(?P<year>(?:19|20)\d\d))?\b"
    ),
    # February 12, 2025 / February 14-16
    re.compile(
        rf"\b{_MONTH}\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?(?:\s?[-–]\s?\d{{1,2}})?\b"
        rf"(?:,?\s+(?P<year>(?:19|20)\d\d))?"
    ),
    # 03.03.2025 or 2025-02-14
    re.compile(r"\b(?P<day>\d{1,2})\.(?P<nmonth>\d{1,2})\.(?P<year>(?:19|20)\d\d)\b"),
    re.compile(r"\b(?P<year>(?:19|20)\d\d)-(?P<nmonth>\d{2})-(?P<day>\d{2})\b"),
    # February 2025
    re.compile(rf"\b{_MONTH}\s+(?P<year>(?:19|20)\d\d)\b"),
]
_WEEKDAY = re.compile(
    r"\b(?:(?P<rel>last|next|this|on|since|until|by)\s+)?(?P<weekday>Monday|Tuesday|Wednesday|Thursday"
    r"|Friday|Saturday|Sunday)\b"
)
_RELATIVE = re.compile(
    r"\b(?P<word>yesterday|today|tomorrow|last week|this week|next week|last year"
    r"|this year|next year|last month)\b",
    re.IGNORECASE,
)
_YEAR = re.compile(
    r"\b(?:in|since|of|by|until|from|before|after|during)\s+(?:the\s+\w+\s+of\s+)?"
    r"(?P<year>(?:19|20)\d\d)\b|\b(?P<year2>(?:19|20)\d\d)\b"
)
_FUTURE = re.compile(
    r"\b(?:will|shall|scheduled|set to|expected|plans?|going to|is to|are to|upcoming)\b", re.IGNORECASE
)


def find_dates(text: str, reference: datetime.date | None = None, offset: int = 0) -> list[DateRef]:
    """Dates in `text`, resolved against `reference` (the article's date) when it is given."""
    found: list[DateRef] = []
    taken: list[tuple[int, int]] = []
    future = bool(_FUTURE.search(text))

    def add(match: re.Match[str], year: int | None, month: int | None, day: int | None, precision: str) -> None:
        start, end = match.start(), match.end()
        if any(start < t_end and t_start < end for t_start, t_end in taken):
            return
        taken.append((start, end))
        found.append(DateRef(text[start:end].strip(), start + offset, end + offset, year, month, day, precision))

    for pattern in _PATTERNS:
        for match in pattern.finditer(text):
            groups = match.groupdict()
            month = int(groups["nmonth"]) if groups.get("nmonth") else _MONTHS[groups["month"].lower().rstrip(".")]
            year = int(groups["year"]) if groups.get("year") else None
            if not 1 <= month <= 12:
                continue
            if groups.get("day"):
                day = int(groups["day"])
                if not 1 <= day <= 31:
                    continue
                add(match, year or _infer_year(month, reference), month, day, "day")
            else:
                add(match, year, month, None, "month")
    if reference is not None:
        for match in _WEEKDAY.finditer(text):
            when = _resolve_weekday(match.group("weekday"), match.group("rel"), reference, future)
            add(match, when.year, when.month, when.day, "day")
        for match in _RELATIVE.finditer(text):
            word = match.group("word").lower()
            if word in ("yesterday", "today", "tomorrow"):
                when = reference + datetime.timedelta(days={"yesterday": -1, "today": 0, "tomorrow": 1}[word])
                add(match, when.year, when.month, when.day, "day")
            elif word.endswith("week"):
                shift = {"last": -7, "this": 0, "next": 7}[word.split()[0]]
                monday = reference - datetime.timedelta(days=reference.weekday()) + datetime.timedelta(shift)
                add(match, monday.year, monday.month, monday.day, "week")
            elif word.endswith("month"):
                month_ago = reference.replace(day=1) - datetime.timedelta(days=1)
                add(match, month_ago.year, month_ago.month, None, "month")
            else:
                year = reference.year + {"last": -1, "this": 0, "next": 1}[word.split()[0]]
                add(match, year, None, None, "year")
    for match in _YEAR.finditer(text):
        year = int(match.group("year") or match.group("year2"))
        add(match, year, None, None, "year")
    return sorted(found, key=lambda d: (d.start, d.end))


def _infer_year(month: int, reference: datetime.date | None) -> int | None:
    """A day and month without a year belong to the article's year, or the year before if far ahead."""
    if reference is None:
        return None
    return reference.year - 1 if month - reference.month > 6 else reference.year


def _resolve_weekday(name: str, relation: str | None, reference: datetime.date, future: bool) -> datetime.date:
    """News writes 'on Wednesday' for the latest Wednesday, unless the sentence speaks of the future."""
    target = _WEEKDAYS.index(name.lower())
    if relation == "next" or (future and relation != "last"):
        ahead = (target - reference.weekday()) % 7 or 7
        return reference + datetime.timedelta(days=ahead)
    back = (reference.weekday() - target) % 7
    if relation == "last" and back == 0:
        back = 7
    return reference - datetime.timedelta(days=back)


def guess_published_date(text: str) -> datetime.date | None:
    """The article's date when its first lines hold a line that is only a date (as a byline does)."""
    for line in text.split("\n")[:8]:
        line = line.strip()
        if not line or len(line.split()) > 4:
            continue
        dates = [d for d in find_dates(line) if d.precision == "day" and d.year]
        if dates and dates[0].month and dates[0].day and dates[0].year:
            try:
                return datetime.date(dates[0].year, dates[0].month, dates[0].day)
            except ValueError:
                continue
    return None


def date_keys(dates: list[DateRef]) -> list[str]:
    """Blocking keys: the month and day of a day-precise date (its year may be unknown), or the year."""
    keys = []
    for date in dates:
        if date.precision == "day" and date.month and date.day:
            keys.append(f"date:{date.month:02d}-{date.day:02d}")
        elif date.precision == "year" and date.year:
            keys.append(f"year:{date.year}")
    return sorted(set(keys))
