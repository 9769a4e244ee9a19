"""The JSON export: the shape the evaluation script reads, stable bytes, the same over HTTP and CLI."""

import json

from fastapi.testclient import TestClient
from sqlmodel import Session

from app.db import get_engine
from app.exchange.export import export_json


def test_export_shape_matches_the_scorer(client: TestClient, fixture_sources: dict, reviewer_headers: dict) -> None:
    response = client.get("/api/v1/export", params={"format": "json"}, headers=reviewer_headers)
    assert response.status_code == 200
    document = response.json()
    assert isinstance(document["sources"], list) and isinstance(document["claims"], list)
    for source in document["sources"]:
        assert {"id", "filename", "title", "published_at", "text"} <= set(source)
    for claim in document["claims"]:
        assert {"id", "text", "mentions", "stances"} <= set(claim)
        for mention in claim["mentions"]:
            assert {"source_id", "start", "end", "quote"} <= set(mention)
        for stance in claim["stances"]:
            assert {"source_id", "stance", "origin"} <= set(stance)
    with Session(get_engine()) as session:
        assert json.loads(export_json(session)) == document
        assert export_json(session) == export_json(session)
