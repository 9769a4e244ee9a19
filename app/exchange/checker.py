"""Reading the fields of an imported document: each read checks type, vocabulary and text rules, and a
field that fails adds a (path, message) problem instead of raising, so one pass reports every problem."""

from datetime import date, datetime
from typing import Any

from app.text_rules import URL_MAX_CHARS, text_problem, web_url_problem

Problem = tuple[str, str]


class Checker:
    """Collects (path, message) problems while reading fields of the document."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def add(self, path: str, message: str) -> None:
        self.problems.append((path, message))

    def field(
        self,
        entry: dict[str, Any],
        key: str,
        path: str,
        kind: type | tuple[type, ...],
        *,
        required: bool = True,
        default: Any = None,
    ) -> Any:
        """The value of `entry[key]` when it has the kind asked for; otherwise a problem and None."""
        where = f"{path}.{key}" if path else key
        if key not in entry or entry[key] is None:
            if required:
                self.add(where, "is missing")
            return default
        value = entry[key]
        kinds = kind if isinstance(kind, tuple) else (kind,)
        # JSON has no separate boolean and integer, but Python's bool is an int: keep them apart.
        if isinstance(value, bool) and bool not in kinds or not isinstance(value, kinds):
            names = " or ".join(json_name(k) for k in kinds)
            self.add(where, f"must be {names}, not {json_name(type(value))}")
            return default
        return value

    def text(
        self,
        entry: dict[str, Any],
        key: str,
        path: str,
        max_chars: int | None,
        *,
        required: bool = True,
        allow_empty: bool = True,
    ) -> str | None:
        value = self.field(entry, key, path, str, required=required)
        if value is None:
            return None
        if not allow_empty and not value.strip():
            self.add(f"{path}.{key}", "must not be empty")
            return None
        if (message := text_problem(value, max_chars)) is not None:
            self.add(f"{path}.{key}", message)
            return None
        return value

    def choice(
        self,
        entry: dict[str, Any],
        key: str,
        path: str,
        allowed: tuple[str, ...],
        *,
        required: bool = True,
        default: str | None = None,
    ) -> str | None:
        value = self.field(entry, key, path, str, required=required)
        if value is None:
            return default
        if value not in allowed:
            self.add(f"{path}.{key}", f"{value[:40]!r} is not one of {', '.join(allowed)}")
            return None
        return value

    def count(self, entry: dict[str, Any], key: str, path: str, *, required: bool = True) -> int | None:
        value = self.field(entry, key, path, int, required=required)
        if value is not None and value < 0:
            self.add(f"{path}.{key}", "must not be negative")
            return None
        return value

    def iso_date(self, entry: dict[str, Any], key: str, path: str) -> None:
        value = self.field(entry, key, path, str, required=False)
        if value is not None:
            try:
                date.fromisoformat(value)
            except ValueError:
                self.add(f"{path}.{key}", "must be a date written YYYY-MM-DD")

    def link(self, entry: dict[str, Any], key: str, path: str, *, required: bool = False) -> str | None:
        value = self.text(entry, key, path, URL_MAX_CHARS, required=required)
        if value is not None and (message := web_url_problem(value)) is not None:
            self.add(f"{path}.{key}", message)
            return None
        return value

    def moment(self, entry: dict[str, Any], key: str, path: str, *, required: bool = True) -> None:
        """An ISO 8601 date and time that carries its UTC offset (timestamps are never local)."""
        value = self.field(entry, key, path, str, required=required)
        if value is None:
            return
        try:
            parsed = datetime.fromisoformat(value)
        except ValueError:
            parsed = None
        if parsed is None or parsed.tzinfo is None:
            self.add(f"{path}.{key}", "must be an ISO 8601 date and time with its UTC offset")

    def positive(self, entry: dict[str, Any], key: str, path: str, *, required: bool = True) -> int | None:
        value = self.field(entry, key, path, int, required=required)
        if value is not None and value < 1:
            self.add(f"{path}.{key}", "must be a positive integer")
            return None
        return value

    def items(self, entry: dict[str, Any], key: str, path: str) -> list[tuple[str, dict[str, Any]]]:
        """The objects of a list field, each with its path; a non-object item is a problem."""
        values = self.field(entry, key, path, list, required=False, default=[])
        found = []
        for index, item in enumerate(values):
            where = f"{path}.{key}[{index}]" if path else f"{key}[{index}]"
            if isinstance(item, dict):
                found.append((where, item))
            else:
                self.add(where, f"must be an object, not {json_name(type(item))}")
        return found


def json_name(kind: type) -> str:
    return {
        str: "a string",
        int: "an integer",
        float: "a number",
        bool: "true or false",
        list: "a list",
        dict: "an object",
        type(None): "null",
    }.get(kind, kind.__name__)
