"""Malformed and hostile input across the API and upload: each gets its documented 4xx, nothing is stored."""

import hashlib
import json
from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text
from sqlmodel import Session

from app.db import get_engine
from app.models import metadata

# Columns a refused request may still touch: reading with a token records when it was last used.
VOLATILE = {("api_token", "last_used_at")}


def database_checksum() -> dict[str, tuple[int, str]]:
    """Row count and a digest of every row of every table, in primary-key order."""
    result = {}
    with Session(get_engine()) as session:
        for table in metadata.sorted_tables:
            columns = [c.name for c in table.columns if (table.name, c.name) not in VOLATILE]
            order = ", ".join(f'"{c.name}"' for c in table.primary_key.columns)
            rows = session.execute(
                text(f'SELECT {", ".join(chr(34) + c + chr(34) for c in columns)} FROM "{table.name}" ORDER BY {order}')
            )
            digest = hashlib.sha256()
            count = 0
            for row in rows:
                digest.update(repr(tuple(row)).encode())
                count += 1
            result[table.name] = (count, digest.hexdigest())
        session.rollback()
    return result


def nested(depth: int) -> bytes:
    return b'{"text": ' + b"[" * depth + b"]" * depth + b"}"


SCRIPT = "<script>alert(1)</script>"
INJECTION = "1'; DROP TABLE claim; --"

# (name, method, path template, request kwargs, expected status). {claim}, {source} are filled in.
CASES: list[tuple[str, str, str, dict[str, Any], int]] = [
    (
        "invalid utf-8 json body",
        "POST",
        "/api/v1/sources",
        {"content": b'{"text": "\xff\xfe"}', "headers": {"Content-Type": "application/json"}},
        400,
    ),
    (
        "not json at all",
        "POST",
        "/api/v1/sources",
        {"content": b"text=hello", "headers": {"Content-Type": "application/json"}},
        422,
    ),
    ("10 MB body", "POST", "/api/v1/sources", {"json": {"text": "a" * (10 * 1024 * 1024)}}, 413),
    (
        "deeply nested json",
        "POST",
        "/api/v1/sources",
        {"content": nested(100_000), "headers": {"Content-Type": "application/json"}},
        422,
    ),
    ("text of wrong type", "POST", "/api/v1/sources", {"json": {"text": 12345}}, 422),
    ("text null", "POST", "/api/v1/sources", {"json": {"text": None}}, 422),
    ("json array body", "POST", "/api/v1/sources", {"json": ["text", "x"]}, 422),
    ("unknown field", "POST", "/api/v1/sources", {"json": {"text": "Some article text.", "admin": True}}, 422),
    ("NUL byte in text", "POST", "/api/v1/sources", {"json": {"text": "before\u0000after"}}, 422),
    (
        "path filename",
        "POST",
        "/api/v1/sources",
        {"json": {"text": "Fine text here.", "filename": "../../etc/passwd"}},
        422,
    ),
    ("script in url field", "POST", "/api/v1/sources", {"json": {"text": "Fine text.", "published_at": SCRIPT}}, 422),
    (
        "upload path filename",
        "POST",
        "/api/v1/sources/upload",
        {"files": {"file": ("../../etc/passwd.txt", b"An article body.", "text/plain")}},
        422,
    ),
    (
        "upload passwd no suffix",
        "POST",
        "/api/v1/sources/upload",
        {"files": {"file": ("../../etc/passwd", b"root:x:0:0", "text/plain")}},
        415,
    ),
    (
        "upload invalid utf-8",
        "POST",
        "/api/v1/sources/upload",
        {"files": {"file": ("latin.txt", b"caf\xe9 au lait", "text/plain")}},
        415,
    ),
    ("upload empty", "POST", "/api/v1/sources/upload", {"files": {"file": ("empty.txt", b"", "text/plain")}}, 422),
    ("upload without file", "POST", "/api/v1/sources/upload", {"data": {"x": "1"}}, 422),
    ("negative limit", "GET", "/api/v1/claims?limit=-1", {}, 422),
    ("huge limit", "GET", "/api/v1/claims?limit=99999999999999999999", {}, 422),
    ("forged cursor", "GET", "/api/v1/claims?cursor=" + "A" * 40, {}, 422),
    ("injection in verdict", "GET", f"/api/v1/claims?verdict={INJECTION}", {}, 422),
    ("script in sort", "GET", f"/api/v1/claims?sort={SCRIPT}", {}, 422),
    ("huge claim id", "GET", "/api/v1/claims/99999999999999999999999", {}, 404),
    ("negative claim id", "GET", "/api/v1/claims/-1", {}, 404),
    ("injection as claim id", "GET", f"/api/v1/claims/{INJECTION}", {}, 422),
    ("bigint-overflow source id", "GET", "/api/v1/sources/9223372036854775808", {}, 404),
    (
        "script as stance",
        "PUT",
        "/api/v1/claims/{claim}/sources/{source}/assessment",
        {"json": {"stance": SCRIPT, "note": SCRIPT}},
        422,
    ),
    (
        "version of wrong type",
        "PUT",
        "/api/v1/claims/{claim}/sources/{source}/assessment",
        {"json": {"stance": "corroborates", "version": "latest"}},
        422,
    ),
    (
        "stale version",
        "PUT",
        "/api/v1/claims/{claim}/sources/{source}/assessment",
        {"json": {"stance": "corroborates", "version": 99}},
        412,
    ),
    (
        "unknown assessment field",
        "PUT",
        "/api/v1/claims/{claim}/sources/{source}/assessment",
        {"json": {"stance": "corroborates", "user_id": 1}},
        422,
    ),
    (
        "negative evidence offset",
        "POST",
        "/api/v1/claims/{claim}/evidence",
        {"json": {"source_id": "{source}", "start": -5, "end": 10}},
        422,
    ),
    (
        "huge evidence offset",
        "POST",
        "/api/v1/claims/{claim}/evidence",
        {"json": {"source_id": "{source}", "start": 10**15, "end": 10**15 + 5}},
        422,
    ),
    (
        "end before start",
        "POST",
        "/api/v1/claims/{claim}/evidence",
        {"json": {"source_id": "{source}", "start": 50, "end": 10}},
        422,
    ),
    (
        "quote not in source",
        "POST",
        "/api/v1/claims/{claim}/evidence",
        {"json": {"source_id": "{source}", "quote": SCRIPT}},
        422,
    ),
    (
        "evidence javascript url",
        "POST",
        "/api/v1/claims/{claim}/evidence",
        {"json": {"url": "javascript:alert(1)", "quote": SCRIPT}},
        422,
    ),
    (
        "claim from another source's offsets",
        "POST",
        "/api/v1/claims",
        {"json": {"source_id": 10**9, "start": 0, "end": 5, "text": SCRIPT}},
        404,
    ),
    ("empty claim text", "PATCH", "/api/v1/claims/{claim}", {"json": {"text": "", "version": 1}}, 422),
    (
        "no token",
        "PUT",
        "/api/v1/claims/{claim}/sources/{source}/assessment",
        {"json": {"stance": "corroborates"}, "auth": None},
        401,
    ),
    (
        "garbage token",
        "PUT",
        "/api/v1/claims/{claim}/sources/{source}/assessment",
        {"json": {"stance": "corroborates"}, "headers": {"Authorization": f"Bearer {INJECTION}"}},
        401,
    ),
    (
        "viewer writes",
        "PUT",
        "/api/v1/claims/{claim}/sources/{source}/assessment",
        {"json": {"stance": "corroborates"}, "auth": "viewer"},
        403,
    ),
]


def _fill(value: Any, ids: dict[str, int]) -> Any:
    if isinstance(value, str):
        if value in ("{claim}", "{source}"):
            return ids[value.strip("{}")]
        return value.replace("{claim}", str(ids["claim"])).replace("{source}", str(ids["source"]))
    if isinstance(value, dict):
        return {k: _fill(v, ids) for k, v in value.items()}
    return value


@pytest.fixture(scope="module")
def target(client: TestClient, fixture_sources: dict, make_user: Callable[..., Any]) -> dict[str, Any]:
    source = next(iter(fixture_sources.values()))
    _user, editor = make_user("editor")
    quote = source.text[:40]
    response = client.post("/api/v1/claims", json={"source_id": source.id, "quote": quote}, headers=editor)
    assert response.status_code == 201, response.text
    return {
        "ids": {"claim": response.json()["id"], "source": source.id},
        "editor": editor,
        "viewer": make_user("viewer")[1],
    }


@pytest.fixture(scope="module")
def make_user(database_url: str) -> Callable[..., Any]:  # module-scoped twin of the conftest factory
    import secrets

    from app.auth.actor import SYSTEM
    from app.auth.service import create_token, create_user

    def _make(role: str) -> tuple[Any, dict[str, str]]:
        with Session(get_engine()) as session:
            user = create_user(session, f"{role}-{secrets.token_hex(4)}", role, None, SYSTEM)
            _token, secret = create_token(session, user, SYSTEM)
            return user, {"Authorization": f"Bearer {secret}"}

    return _make


def test_table_has_enough_cases() -> None:
    assert len(CASES) >= 30
    assert len({case[0] for case in CASES}) == len(CASES)


@pytest.mark.parametrize(("name", "method", "path", "kwargs", "expected"), CASES, ids=[c[0] for c in CASES])
def test_bad_input_is_refused_and_changes_nothing(
    client: TestClient, target: dict[str, Any], name: str, method: str, path: str, kwargs: dict[str, Any], expected: int
) -> None:
    kwargs = _fill(dict(kwargs), target["ids"])
    auth = kwargs.pop("auth", "editor")
    headers = dict(target[auth]) if auth else {}
    headers.update(kwargs.pop("headers", {}))
    before = database_checksum()
    response = client.request(method, _fill(path, target["ids"]), headers=headers, **kwargs)
    assert response.status_code == expected, f"{name}: {response.status_code} {response.text[:300]}"
    if response.status_code >= 400:
        problem = response.json()
        assert problem["status"] == expected and problem["title"], problem
        assert response.headers["content-type"].startswith("application/problem+json")
    assert database_checksum() == before, f"{name} changed the database"
    assert SCRIPT not in response.text or json.loads(response.text)  # echoed only inside JSON strings
