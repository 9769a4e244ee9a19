"""Opaque cursors for keyset pagination: stable under inserts, cheap at any depth."""

import base64
import json
from typing import Any

from app.errors import InvalidInput


def encode_cursor(values: dict[str, Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(values, separators=(",", ":")).encode()).decode().rstrip("=")


MAX_CURSOR_CHARS = 1_000


def _is_position(values: Any) -> bool:
    """A cursor this API issued: a flat object of strings, numbers and nulls, with an integer `id`."""
    return (isinstance(values, dict) and isinstance(values.get("id"), int) and not isinstance(values["id"], bool)
            and all(value is None or (isinstance(value, str | int | float) and not isinstance(value, bool))
                    for value in values.values()))


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
        raise InvalidInput("The cursor is not one this API issued; start again without it.",
                           errors=[{"field": field, "message": "invalid cursor"}]) from error
