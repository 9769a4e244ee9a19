"""The claims list is answered ahead of FastAPI's router (app.api.direct_get): it must answer exactly what the
declared route answers, errors and all."""

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from app.api.direct_get import DirectGet

REQUESTS = [
    ("GET", "/api/v1/claims?limit=2"),
    ("GET", "/api/v1/claims?limit=0"),
    ("GET", "/api/v1/claims?limit=abc&sort=sideways"),
    ("GET", "/api/v1/claims?limit=&verdict=maybe"),
    ("GET", "/api/v1/claims?limit=1&limit=2"),  # the last of a repeated parameter
    ("GET", "/api/v1/claims?conflict=perhaps&source_id=x"),
    ("GET", "/api/v1/claims?q=" + "a" * 201),
    ("GET", "/api/v1/claims?cursor=not-a-cursor"),
    ("GET", "/api/v1/claims?unknown=1&limit=1"),
    ("GET", "/api/v1/claims?sort=-id&limit=1&q=%00"),
    ("HEAD", "/api/v1/claims"),
    ("POST", "/api/v1/claims"),
]


@pytest.fixture(scope="module")
def apps() -> Iterator[tuple[TestClient, TestClient]]:
    """The app as served, and the same app without the direct route (FastAPI's declared route answers)."""
    from app.main import create_app

    plain = create_app()
    plain.router.routes[:] = [route for route in plain.router.routes if not isinstance(route, DirectGet)]
    app = create_app()
    assert any(isinstance(route, DirectGet) for route in app.router.routes)
    with TestClient(app) as served, TestClient(plain) as declared:
        yield served, declared


@pytest.mark.parametrize(("method", "url"), REQUESTS)
def test_the_direct_route_answers_as_the_declared_route(
    apps: tuple[TestClient, TestClient], reviewer_headers: dict[str, str], method: str, url: str
) -> None:
    served, declared = apps
    for headers in (reviewer_headers, {}):
        expected = declared.request(method, url, headers=headers)
        answered = served.request(method, url, headers=headers)
        assert (answered.status_code, answered.headers.get("content-type"), answered.content) == (
            expected.status_code,
            expected.headers.get("content-type"),
            expected.content,
        ), (method, url, headers)


def test_a_bad_parameter_is_named(apps: tuple[TestClient, TestClient], reviewer_headers: dict[str, str]) -> None:
    served, _declared = apps
    response = served.get("/api/v1/claims?limit=abc&sort=sideways", headers=reviewer_headers)
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    assert {error["field"] for error in response.json()["errors"]} == {"limit", "sort"}


def test_the_api_routers_dependencies_are_only_those_a_get_may_skip() -> None:
    """DirectGet answers ahead of the routers, so it skips their dependencies: today only the CSRF check, which
    passes every GET. A dependency added to the API router (a rate limit, say) must be handled there too."""
    from app.api.csrf import check_api_csrf
    from app.main import API_ROUTER_DEPENDENCIES

    assert [dependency.dependency for dependency in API_ROUTER_DEPENDENCIES] == [check_api_csrf]
