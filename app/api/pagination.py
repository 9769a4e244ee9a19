"""Opaque cursors for keyset pagination: stable under inserts, cheap at any depth."""

import base64
import json
from typing import Any

from app.errors import InvalidInput


def encode_cursor(values: dict[str, Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(values, separators=(",", ":")).encode()).decode().rstrip("=")


def decode_cursor(cursor: str | None) -> dict[str, Any] | None:
    if not cursor:
        return None
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        values = json.loads(base64.urlsafe_b64decode(padded.encode()))
        if not isinstance(values, dict):
            raise ValueError
        return values
    except ValueError as error:
        raise InvalidInput("The cursor is not one this API issued; start again without it.",
                           errors=[{"field": "cursor", "message": "invalid cursor"}]) from error
