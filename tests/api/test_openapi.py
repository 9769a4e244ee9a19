"""The OpenAPI document is complete and truthful: examples that validate, and the errors each endpoint answers."""

import importlib
import json
import re
from collections.abc import Callable
from typing import Any, get_args

import pytest
from fastapi.testclient import TestClient
from pydantic import BaseModel

from app.errors import PROBLEM_JSON, Problem
from app.vocabulary import Vocabulary

# Schemas FastAPI writes itself: the form of a multipart upload and its own validation error.
FRAMEWORK = re.compile(r"^(Body_.*|HTTPValidationError|ValidationError)$")
# Words and figures of the shipped corpus (fixtures/): the document's examples must not reuse them.
CORPUS_WORDS = ("Ukrain", "Zelensk", "Trump", "Putin", "Kyiv", "Washington", "minerals", "rare earth", "500 billion")
MISSING_ID = "999999999"
# Where the API's request and response models live; a schema whose model is elsewhere fails the test below.
SCHEMA_MODULES = (
    "app.errors",
    "app.audit.schemas",
    "app.sources.schemas",
    "app.claims.schemas",
    "app.review.schemas",
    "app.auth.schemas",
    "app.jobs.schemas",
    "app.webhooks.schemas",
    "app.extraction.schemas",
    "app.newsroom.schemas",
)
VOCABULARIES = {cls.__name__: cls for cls in Vocabulary.__subclasses__()}
Headers = Callable[..., tuple[Any, dict[str, str]]]


@pytest.fixture(scope="module")
def document(client: TestClient) -> dict[str, Any]:
    return client.get("/api/v1/openapi.json").json()


def _operations(document: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [(path, method, operation) for path, item in document["paths"].items() for method, operation in item.items()]


def _models() -> dict[str, type[BaseModel]]:
    """Every pydantic model in the modules that define the API's bodies, by class name (= schema name)."""
    found: dict[str, type[BaseModel]] = {}
    for module in SCHEMA_MODULES:
        for value in vars(importlib.import_module(module)).values():
            if isinstance(value, type) and issubclass(value, BaseModel):
                found.setdefault(value.__name__, value)
    return found


def _unknown_keys(model: type[BaseModel], data: Any, where: str) -> list[str]:
    """Keys of an example that the model does not have (pydantic ignores them unless extra is forbidden)."""
    if not isinstance(data, dict) or model.model_config.get("extra") == "allow":
        return []
    unknown = [f"{where}.{key}" for key in data if key not in model.model_fields]
    for name, field in model.model_fields.items():
        value = data.get(name)
        for candidate in (field.annotation, *get_args(field.annotation)):
            if isinstance(candidate, type) and issubclass(candidate, BaseModel):
                items = value if isinstance(value, list) else [value]
                for index, item in enumerate(items):
                    unknown += _unknown_keys(candidate, item, f"{where}.{name}[{index}]")
    return unknown


def _schema_name(ref_holder: dict[str, Any]) -> str | None:
    ref = ref_holder.get("$ref", "")
    return ref.rsplit("/", 1)[-1] if ref else None


def _example_body(document: dict[str, Any], operation: dict[str, Any]) -> Any:
    content = operation.get("requestBody", {}).get("content", {})
    if "application/json" not in content:
        return None
    name = _schema_name(content["application/json"]["schema"])
    assert name, operation["operationId"]
    return document["components"]["schemas"][name]["examples"][0]


def test_every_schema_has_examples(document: dict[str, Any]) -> None:
    missing = [
        name
        for name, schema in document["components"]["schemas"].items()
        if not FRAMEWORK.match(name) and not schema.get("examples")
    ]
    assert missing == []


def test_every_example_validates_against_its_model(document: dict[str, Any]) -> None:
    models = _models()
    checked = 0
    for name, schema in document["components"]["schemas"].items():
        if FRAMEWORK.match(name):
            continue
        if name in VOCABULARIES:  # a StrEnum: each example is one of its words
            assert all(VOCABULARIES[name](example) for example in schema["examples"])
            checked += 1
            continue
        model = models.get(re.sub(r"-(Input|Output)$", "", name))
        assert model is not None, f"no model found for schema {name}"
        for example in schema["examples"]:
            model.model_validate_json(json.dumps(example))
            assert _unknown_keys(model, example, name) == []
            checked += 1
    assert checked >= len(document["components"]["schemas"]) - 3


def test_examples_use_no_corpus_names(document: dict[str, Any]) -> None:
    text = json.dumps(document)
    assert [word for word in CORPUS_WORDS if word.lower() in text.lower()] == []


def test_every_operation_is_described_and_tagged(document: dict[str, Any]) -> None:
    for path, method, operation in _operations(document):
        assert operation.get("description", "").strip(), f"{method.upper()} {path} has no description"
        assert operation.get("tags"), f"{method.upper()} {path} has no tag"


def test_errors_are_problem_json(document: dict[str, Any]) -> None:
    assert set(document["components"]["schemas"]["Problem"]["required"]) == {"type", "title", "status", "detail"}
    for path, method, operation in _operations(document):
        for status, response in operation["responses"].items():
            if status.startswith("4"):
                assert list(response.get("content", {})) == [PROBLEM_JSON], f"{method.upper()} {path} {status}"
                assert _schema_name(response["content"][PROBLEM_JSON]["schema"]) == "Problem"


def test_declared_errors_follow_from_the_parameters(document: dict[str, Any]) -> None:
    """Whatever can fail by the shape of an endpoint is declared: ids (404, 422), bodies (413, 422),
    If-Match (412), credentials (401)."""
    for path, method, operation in _operations(document):
        declared = set(operation["responses"])
        where = f"{method.upper()} {path}"
        parameters = operation.get("parameters", [])
        if path != "/api/v1/health":
            assert "401" in declared, where
        if any(p["in"] == "path" for p in parameters):
            assert {"404", "422"} <= declared, where
        if parameters or "requestBody" in operation:
            assert "422" in declared, where
        if "requestBody" in operation:
            assert {"400", "413"} <= declared, where
        if any(p["name"].lower() == "if-match" for p in parameters):
            assert "412" in declared, where


def _request(
    client: TestClient,
    document: dict[str, Any],
    path: str,
    method: str,
    operation: dict[str, Any],
    headers: dict[str, str],
) -> Any:
    url = re.sub(r"\{[^}]+\}", MISSING_ID, path)
    body = _example_body(document, operation)
    return (
        client.request(method.upper(), url, headers=headers, json=body)
        if body is not None
        else client.request(method.upper(), url, headers=headers)
    )


def _assert_declared(response: Any, operation: dict[str, Any], expected: int, where: str) -> None:
    assert response.status_code == expected, f"{where}: {response.status_code} {response.text[:200]}"
    assert str(expected) in operation["responses"], f"{where} answers {expected} but does not declare it"
    assert response.headers["content-type"].startswith(PROBLEM_JSON)
    assert Problem.model_validate(response.json()).status == expected


def test_without_credentials_every_operation_answers_a_declared_401(
    client: TestClient, document: dict[str, Any]
) -> None:
    for path, method, operation in _operations(document):
        if path == "/api/v1/health":
            continue
        response = _request(client, document, path, method, operation, {})
        _assert_declared(response, operation, 401, f"{method.upper()} {path}")


def test_too_little_role_answers_a_declared_403(
    client: TestClient, document: dict[str, Any], make_user: Headers
) -> None:
    """Every operation that needs more than reading refuses a viewer, and says so in the document."""
    _user, viewer = make_user("viewer")
    refused = 0
    for path, method, operation in _operations(document):
        if "403" not in operation["responses"] or path in ("/api/v1/tokens", "/api/v1/tokens/{token_id}"):
            continue  # a viewer may mint and revoke its own tokens: those 403s are about other users
        response = _request(client, document, path, method, operation, viewer)
        _assert_declared(response, operation, 403, f"{method.upper()} {path}")
        refused += 1
    assert refused >= 15


def test_unknown_ids_answer_a_declared_404(client: TestClient, document: dict[str, Any], make_user: Headers) -> None:
    _user, admin = make_user("admin")
    for path, method, operation in _operations(document):
        if "{" in path:
            response = _request(client, document, path, method, operation, admin)
            _assert_declared(response, operation, 404, f"{method.upper()} {path}")


def test_unreadable_bodies_answer_a_declared_400(
    client: TestClient, document: dict[str, Any], make_user: Headers
) -> None:
    """Bytes that are not UTF-8 are refused before anything runs, by FastAPI itself, with a 400."""
    _user, admin = make_user("admin")
    sent = 0
    for path, method, operation in _operations(document):
        if "application/json" in operation.get("requestBody", {}).get("content", {}):
            url = re.sub(r"\{[^}]+\}", MISSING_ID, path)
            response = client.request(
                method.upper(),
                url,
                content=b'{"note": "\x80\x81"}',
                headers={**admin, "Content-Type": "application/json"},
            )
            _assert_declared(response, operation, 400, f"{method.upper()} {path}")
            sent += 1
    assert sent >= 12
