"""A serving process moves its start-up objects out of the garbage collector's sight while it runs, and hands
them back when it stops (app.lifespan)."""

import gc

from fastapi.testclient import TestClient

from app.main import create_app


def test_startup_objects_are_frozen_while_serving_and_released_after(database_url: str) -> None:
    assert gc.get_freeze_count() == 0
    with TestClient(create_app()) as client:
        assert client.get("/api/v1/health").status_code == 200
        assert gc.get_freeze_count() > 50_000
    assert gc.get_freeze_count() == 0
