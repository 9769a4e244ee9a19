"""One page of a list (`Page[T]`) and its opaque keyset cursors: stable under inserts, cheap at any depth."""

import base64
import json
from collections.abc import Sequence
from typing import Any, Generic, Protocol, TypeVar

from pydantic import BaseModel

from app.errors import InvalidInput

ItemT = TypeVar("ItemT")


class Page(BaseModel, Generic[ItemT]):
    """A page of items and the cursor of the next one (None on the last page).

    Each list subclasses it with its item type and an example (`class AuditPage(Page[AuditEventPublic])`), so its
    OpenAPI schema keeps a name of its own; a list that counts its matches adds `total`."""

    items: list[ItemT]
    next_cursor: str | None = None


class HasId(Protocol):
    @property
    def id(self) -> int | None: ...


def encode_cursor(values: dict[str, Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(values, separators=(",", ":")).encode()).decode().rstrip("=")


MAX_CURSOR_CHARS = 1_000


def _is_position(values: Any) -> bool:
    """A cursor this API issued: a flat object of strings, numbers and nulls, with an integer `id`."""
    return (
        isinstance(values, dict)
        and isinstance(values.get("id"), int)
        and not isinstance(values["id"], bool)
        and all(
            value is None or (isinstance(value, str | int | float) and not isinstance(value, bool))
            for value in values.values()
        )
    )


def decode_cursor(cursor: str | None, field: str = "cursor") -> dict[str, Any] | None:
    """The position a cursor names; anything else (tampered, nested, oversized) is a 422 naming the field."""
    if not cursor:
        return None
    try:
        if len(cursor) > MAX_CURSOR_CHARS:
            raise ValueError
        padded = cursor + "=" * (-len(cursor) % 4)
        values = json.loads(base64.urlsafe_b64decode(padded.encode()))
        if not _is_position(values):
            raise ValueError
        return values  # type: ignore[no-any-return]
    except (ValueError, RecursionError) as error:
        raise InvalidInput(
            "The cursor is not one this API issued; start again without it.",
            errors=[{"field": field, "message": "invalid cursor"}],
        ) from error


def cursor_id(cursor: str | None) -> int | None:
    """The id an id cursor names (lists paged by id alone), None without a cursor; 422 for a bad one."""
    position = decode_cursor(cursor)
    return position["id"] if position else None


def next_id_cursor(rows: Sequence[HasId], limit: int) -> str | None:
    """The cursor after the last row of a full page; None when the page was not full (it was the last)."""
    return encode_cursor({"id": rows[-1].id}) if rows and len(rows) == limit else None
