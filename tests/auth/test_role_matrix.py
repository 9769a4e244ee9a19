"""Every mutating API endpoint against every role: 401 without credentials, 403 below its role.

The table of expected roles is checked against app.routes, so a new endpoint fails here until listed.
"""

import re
from collections.abc import Callable
from typing import Any

import pytest
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient

from app.main import create_app
from app.vocabulary import Role

MUTATING = {"POST", "PUT", "PATCH", "DELETE"}
# (method, path) -> the least role allowed. "viewer" means any signed-in caller (own tokens).
REQUIRED = {
    ("POST", "/api/v1/sources"): "editor",
    ("POST", "/api/v1/sources/upload"): "editor",
    ("PATCH", "/api/v1/sources/{source_id}"): "editor",
    ("POST", "/api/v1/claims"): "reviewer",
    ("PATCH", "/api/v1/claims/{claim_id}"): "editor",
    ("POST", "/api/v1/claims/{claim_id}/merge"): "editor",
    ("POST", "/api/v1/claims/{claim_id}/split"): "editor",
    ("POST", "/api/v1/match-suggestions/{suggestion_id}/accept"): "editor",
    ("POST", "/api/v1/match-suggestions/{suggestion_id}/reject"): "editor",
    ("POST", "/api/v1/match-suggestions/{suggestion_id}/undo"): "editor",
    ("POST", "/api/v1/claims/{claim_id}/unmerge"): "editor",
    ("PUT", "/api/v1/claims/{claim_id}/sources/{source_id}/assessment"): "reviewer",
    ("DELETE", "/api/v1/claims/{claim_id}/sources/{source_id}/assessment"): "reviewer",
    ("PUT", "/api/v1/claims/{claim_id}/sources/{source_id}/adjudication"): "editor",
    ("POST", "/api/v1/assessments:batch"): "reviewer",
    ("POST", "/api/v1/claims/{claim_id}/evidence"): "reviewer",
    ("PATCH", "/api/v1/evidence/{evidence_id}"): "reviewer",
    ("DELETE", "/api/v1/evidence/{evidence_id}"): "reviewer",
    ("POST", "/api/v1/users"): "admin",
    ("PATCH", "/api/v1/users/{user_id}"): "admin",
    ("POST", "/api/v1/me/password"): "viewer",
    ("POST", "/api/v1/tokens"): "viewer",
    ("DELETE", "/api/v1/tokens/{token_id}"): "viewer",
    ("POST", "/api/v1/webhooks"): "admin",
    ("DELETE", "/api/v1/webhooks/{webhook_id}"): "admin",
    ("POST", "/api/v1/claims:assign"): "editor",
    ("DELETE", "/api/v1/claims/{claim_id}/assignments/{user_id}"): "editor",
    ("POST", "/api/v1/me/notifications:read"): "viewer",
    ("POST", "/api/v1/claims/{claim_id}/notes"): "reviewer",
    ("PATCH", "/api/v1/notes/{note_id}"): "reviewer",
    ("DELETE", "/api/v1/notes/{note_id}"): "reviewer",
    ("PUT", "/api/v1/claims/{claim_id}/rating"): "editor",
    ("POST", "/api/v1/claims/{claim_id}/rating:publish"): "editor",
    ("POST", "/api/v1/claims/{claim_id}/rating:unpublish"): "editor",
    ("PUT", "/api/v1/claims/{claim_id}/rating-proposals/mine"): "reviewer",
}
# Endpoints owned by other parts of the app, listed with their role when they exist.
OTHERS = {
    ("POST", "/api/v1/jobs"): "editor",
    ("POST", "/api/v1/extract"): "editor",
    ("POST", "/api/v1/jobs/extract"): "editor",
}


def _endpoints(routes: list[Any]) -> list[tuple[set[str], str]]:
    """(methods, full path) of every endpoint; newer FastAPI wraps included routers, so unwrap them."""
    found: list[tuple[set[str], str]] = []
    for route in routes:
        if hasattr(route, "effective_route_contexts"):
            found.extend((set(c.methods or ()), c.path) for c in route.effective_route_contexts())
        elif isinstance(route, APIRoute):
            found.append((set(route.methods), route.path))
    return found


def _mutating_routes() -> set[tuple[str, str]]:
    return {
        (method, path)
        for methods, path in _endpoints(create_app().routes)
        if path.startswith("/api/v1")
        for method in methods & MUTATING
    }


ROUTES = sorted(_mutating_routes())


def test_every_mutating_endpoint_has_an_expected_role() -> None:
    unknown = [r for r in ROUTES if r not in REQUIRED and r not in OTHERS]
    assert not unknown, f"add these endpoints to the role matrix: {unknown}"
    assert set(REQUIRED) <= set(ROUTES)


def _url(path: str) -> str:
    return re.sub(r"\{[^}]+\}", "1", path)


@pytest.mark.parametrize(("method", "path"), ROUTES)
def test_without_credentials_is_401(client: TestClient, method: str, path: str) -> None:
    response = client.request(method, _url(path), json={})
    assert response.status_code == 401, response.text
    assert response.headers["content-type"].startswith("application/problem+json")


def _required(route: tuple[str, str]) -> str:
    return REQUIRED.get(route) or OTHERS.get(route) or "admin"


# Endpoints open to every signed-in role have no "too little role"; tests/auth/test_tokens.py covers them.
ROLE_GATED = [r for r in ROUTES if Role(_required(r)).rank > 0]


@pytest.mark.parametrize(("method", "path"), ROLE_GATED)
def test_below_the_role_is_403(client: TestClient, make_user: Callable[..., Any], method: str, path: str) -> None:
    required = _required((method, path))
    for role in Role.values()[: Role(required).rank]:
        _user, headers = make_user(role, password=None)
        response = client.request(method, _url(path), json={}, headers=headers)
        assert response.status_code == 403, (role, response.text)
    _user, headers = make_user(required, password=None)
    allowed = client.request(method, _url(path), json={}, headers=headers)
    # The role is enough; a record that belongs to someone else may still be refused (e.g. another
    # reviewer's evidence 1, depending on which tests ran first), but not for the role.
    assert allowed.status_code != 401, allowed.text
    assert allowed.status_code != 403 or "needs the" not in allowed.json()["detail"], allowed.text
