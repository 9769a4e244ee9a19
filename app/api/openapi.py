"""OpenAPI declarations of the problem+json errors an endpoint answers, so each router lists them in one call."""

from typing import Any

from fastapi import FastAPI

from app.errors import PROBLEM_JSON, Problem

SCHEMAS = "#/components/schemas/"
# What each status means across the API; a router may say it more precisely for its endpoint.
MEANINGS: dict[int, str] = {
    400: "The body could not be read: JSON that is not UTF-8, or broken multipart data",
    401: "No credentials, or an unknown or revoked token (reads too, unless the workspace is public)",
    403: "The caller's role (or the token's) is too low for this",
    404: "An id in the path, query, body or cursor names no record",
    409: "The change conflicts with the stored state",
    412: "Stale version (If-Match or `version`): `current` holds the stored state; nothing was changed",
    413: "The request body is over the configured size limit",
    415: "Not a file type the endpoint takes",
    422: "Invalid input: `errors` names each bad field; nothing was changed",
    428: "A write to a shared record needs the version you read (If-Match or `version`); `current` holds it",
}
# Path and query ids past the database's integer range name no record (see app.errors), hence 404 on lists.
LIST_404 = "An id filter or cursor position is past the database's integer range, so names no record"


def problem_responses(*statuses: int, notes: dict[int, str] | None = None) -> dict[int | str, dict[str, Any]]:
    """`responses=` entries for the error statuses an endpoint can answer, each a `Problem` body."""
    notes = notes or {}
    responses: dict[int | str, dict[str, Any]] = {}
    for status in statuses:
        entry: dict[str, Any] = {
            "description": notes.get(status, MEANINGS[status]),
            "content": {PROBLEM_JSON: {"schema": {"$ref": SCHEMAS + "Problem"}}},
        }
        if status == 401:
            entry["headers"] = {"WWW-Authenticate": {"description": "`Bearer`", "schema": {"type": "string"}}}
        responses[status] = entry
    return responses


def install_openapi_extras(app: FastAPI) -> None:
    """Finish FastAPI's document: add the `Problem` schema, and put back the nulls it drops from examples.

    The error entries above refer to `Problem` by name, and FastAPI only registers models it finds as a
    route's `response_model` or a response's `model` (which would also claim an `application/json` body
    the API never sends). FastAPI also strips every null from the document (fastapi/fastapi#5559), so an
    example of a required nullable field would lose the field and no longer match its own schema."""
    generate = app.openapi

    def openapi() -> dict[str, Any]:
        document = generate()  # FastAPI's cached document, rebuilt only when the routes change
        schemas = document.setdefault("components", {}).setdefault("schemas", {})
        if "Problem" not in schemas:
            for schema in schemas.values():
                for example in schema.get("examples", []):
                    _restore_nulls(schema, example, schemas)
            problem = Problem.model_json_schema(ref_template=SCHEMAS + "{model}")
            schemas.update(problem.pop("$defs", {}))
            schemas["Problem"] = problem
        return document

    app.openapi = openapi  # type: ignore[method-assign]


def _nullable(schema: dict[str, Any]) -> bool:
    return schema.get("type") == "null" or any(option.get("type") == "null" for option in schema.get("anyOf", []))


def _restore_nulls(schema: dict[str, Any], value: Any, schemas: dict[str, Any]) -> None:
    """Give `value` back the required nullable keys it lacks, as null, following the schema into nested
    objects and lists."""
    if "$ref" in schema:
        schema = schemas[schema["$ref"].removeprefix(SCHEMAS)]
    for option in schema.get("anyOf", []):
        _restore_nulls(option, value, schemas)
    if isinstance(value, dict) and "properties" in schema:
        properties = schema["properties"]
        for name in schema.get("required", []):
            if name not in value and _nullable(properties[name]):
                value[name] = None
        for name, sub_schema in properties.items():
            if name in value:
                _restore_nulls(sub_schema, value[name], schemas)
    elif isinstance(value, list) and isinstance(schema.get("items"), dict):
        for item in value:
            _restore_nulls(schema["items"], item, schemas)
