"""Review tests start from the fixture articles and a hand-made "$500 billion" claim."""

from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient

from app.sources.models import Source

CLAIM_QUOTE = "agreed to transfer rare earth minerals worth $500 billion"


@pytest.fixture
def source_ids(fixture_sources: dict[str, Source]) -> dict[str, int]:
    """Fixture source ids keyed by their three-digit prefix ("001")."""
    return {name[:3]: source.id for name, source in fixture_sources.items() if source.id is not None}


@pytest.fixture
def new_claim(client: TestClient, editor_headers: dict[str, str], source_ids: dict[str, int]
              ) -> Callable[..., dict[str, Any]]:
    """Create a claim from a passage of fixture 001 over HTTP and return its detail."""

    def _make(quote: str = CLAIM_QUOTE, source: str = "001", **extra: Any) -> dict[str, Any]:
        response = client.post("/api/v1/claims", headers=editor_headers,
                               json={"source_id": source_ids[source], "quote": quote, **extra})
        assert response.status_code == 201, response.text
        return response.json()

    return _make
