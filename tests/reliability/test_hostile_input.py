"""Inputs that cost too much or used to answer 500: each is a 4xx problem+json naming the field, nothing stored."""

import base64
import json
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, func, select

from app.auth.actor import SYSTEM
from app.db import get_engine
from app.errors import MAX_REPORTED_ERRORS, InvalidInput
from app.review.models import Assessment
from app.sources.models import Source
from app.sources.service import ingest_text
from app.text_rules import SOURCE_MAX_CHARS

API = "/api/v1"


def _problem(response: Any, status: int, field: str) -> dict[str, Any]:
    assert response.status_code == status, response.text[:500]
    assert response.headers["content-type"] == "application/problem+json"
    body = response.json()
    assert any(error["field"] == field for error in body["errors"]), body
    return body


def _count(model: Any) -> int:
    with Session(get_engine()) as session:
        return session.exec(select(func.count()).select_from(model)).one()


@pytest.fixture
def assessment_url(new_claim: Callable[..., dict[str, Any]], source_ids: dict[str, int]) -> str:
    return f"{API}/claims/{new_claim()['id']}/sources/{source_ids['001']}/assessment"


def test_a_body_of_400000_unknown_keys_is_refused_early_and_small(
    client: TestClient, assessment_url: str, reviewer_headers: dict[str, str]
) -> None:
    hostile = {f"k{i}": 1 for i in range(400_000)} | {"stance": "corroborates"}
    body = json.dumps(hostile, separators=(",", ":")).encode()
    assert 4_000_000 < len(body) < 5_000_000
    before = _count(Assessment)
    response = client.put(assessment_url, headers=reviewer_headers | {"content-type": "application/json"}, content=body)
    problem = _problem(response, 422, "")
    assert "too many keys" in problem["detail"]
    assert len(response.content) < 2_000  # not the 47 MB list of every key
    assert _count(Assessment) == before


def test_validation_errors_are_capped_with_a_count(
    client: TestClient, assessment_url: str, reviewer_headers: dict[str, str]
) -> None:
    response = client.put(
        assessment_url,
        headers=reviewer_headers,
        json={f"unknown{i}": 1 for i in range(200)} | {"stance": "corroborates"},
    )
    problem = _problem(response, 422, "unknown0")
    assert len(problem["errors"]) == MAX_REPORTED_ERRORS
    assert problem["errors_omitted"] == 200 - MAX_REPORTED_ERRORS
    assert "180 more problems" in problem["detail"]


def test_deeply_nested_json_is_refused_before_validation(
    client: TestClient, assessment_url: str, reviewer_headers: dict[str, str]
) -> None:
    headers = reviewer_headers | {"content-type": "application/json"}
    too_deep_to_parse = b'{"stance": "corroborates", "note": ' + b"[" * 5000 + b"]" * 5000 + b"}"
    _problem(client.put(assessment_url, headers=headers, content=too_deep_to_parse), 422, "")
    without_type = client.put(assessment_url, headers=reviewer_headers, content=too_deep_to_parse)
    assert "content-type" not in without_type.request.headers
    _problem(without_type, 422, "")  # FastAPI would read it as JSON all the same
    deep = b'{"stance": "corroborates", "note": ' + b"[" * 40 + b"]" * 40 + b"}"
    problem = _problem(client.put(assessment_url, headers=headers, content=deep), 422, "note" + ".0" * 32)
    assert "nested deeper than 32 levels" in problem["detail"]


@pytest.mark.parametrize("escaped", ["\\ud800", "\\udfff", "tail \\ud83d", "\\u0000"])
def test_a_lone_surrogate_or_nul_in_source_text_is_refused(
    client: TestClient, editor_headers: dict[str, str], escaped: str
) -> None:
    before = _count(Source)
    body = ('{"text": "An article with a broken character: ' + escaped + ' here.", "filename": "x.txt"}').encode()
    response = client.post(
        f"{API}/sources", headers=editor_headers | {"content-type": "application/json"}, content=body
    )
    _problem(response, 422, "text")
    assert _count(Source) == before


def test_a_lone_surrogate_reaching_the_service_is_refused(database_url: str) -> None:
    # Form fields and files bypass the JSON check: the service refuses the text itself, on either database.
    before = _count(Source)
    with Session(get_engine()) as session, pytest.raises(InvalidInput) as refused:
        ingest_text(session, "An article with half a pair \ud800 of surrogates.", SYSTEM)
    assert refused.value.errors[0]["field"] == "text" and "surrogate" in refused.value.detail
    assert _count(Source) == before


def _cursor(document: str) -> str:
    return base64.urlsafe_b64encode(document.encode()).decode().rstrip("=")


@pytest.mark.parametrize("path", ["/claims", "/jobs", "/audit"])
@pytest.mark.parametrize(
    "document",
    [
        "[" * 5000 + "]" * 5000,
        '{"id": true}',
        '{"id": [1]}',
        '{"id": 1, "x": {}}',
        '{"sort": "id", "value": true, "id": true}',
        '"id"',
    ],
)
def test_hostile_cursors_are_422_naming_the_cursor(
    client: TestClient, editor_headers: dict[str, str], path: str, document: str
) -> None:
    response = client.get(f"{API}{path}", params={"cursor": _cursor(document)}, headers=editor_headers)
    _problem(response, 422, "cursor")


def test_an_oversized_cursor_is_refused(client: TestClient, editor_headers: dict[str, str]) -> None:
    _problem(client.get(f"{API}/claims", params={"cursor": "A" * 5000}, headers=editor_headers), 422, "cursor")


def _chunks(total: int) -> Iterator[bytes]:
    piece = b"a" * 65536
    for _ in range(total // len(piece)):
        yield piece


@pytest.mark.parametrize(
    "path, content_type", [("/sources", "application/json"), ("/sources/upload", "multipart/form-data; boundary=xyz")]
)
def test_a_chunked_body_over_the_limit_is_413(
    client: TestClient, editor_headers: dict[str, str], path: str, content_type: str
) -> None:
    before = _count(Source)
    prefix = (
        b'{"text": "'
        if "json" in content_type
        else b'--xyz\r\nContent-Disposition: form-data; name="file"; filename="big.txt"\r\n\r\n'
    )
    response = client.post(
        f"{API}{path}",
        headers=editor_headers | {"content-type": content_type},
        content=iter([prefix, *_chunks(6 * 1024 * 1024)]),
    )
    assert response.status_code == 413, response.text[:300]
    assert response.headers["content-type"] == "application/problem+json"
    assert _count(Source) == before


def test_a_source_too_long_to_extract_is_refused_at_ingestion(
    client: TestClient, editor_headers: dict[str, str]
) -> None:
    before = _count(Source)
    sentence = "The council met on Monday and approved a budget of four million dollars for roads. "
    text = sentence * (SOURCE_MAX_CHARS // len(sentence) + 2000)
    assert 1_000_000 < len(text) < 1_300_000
    problem = _problem(client.post(f"{API}/sources", headers=editor_headers, json={"text": text}), 422, "text")
    assert "1,000,000" in problem["detail"]
    assert _count(Source) == before
