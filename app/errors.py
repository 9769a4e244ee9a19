"""Domain errors raised by services, and the one mapping of every error to RFC 9457 problem details."""

from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy.exc import DataError
from starlette.exceptions import HTTPException as StarletteHTTPException

PROBLEM_JSON = "application/problem+json"
PROBLEM_BASE = "https://crosscheck.invalid/problems/"
MAX_REPORTED_ERRORS = 20


class FieldProblem(BaseModel):
    """One bad field of a refused request; some answers add more keys (a batch item's `index`, say)."""

    model_config = ConfigDict(
        extra="allow",
        json_schema_extra={
            "examples": [
                {"field": "stance", "message": "must be one of corroborates, contradicts, not_addressed, unclear"}
            ]
        },
    )

    field: str = Field(description="Dotted path of the field, e.g. `items.2.stance`; empty for the whole request")
    message: str


class Problem(BaseModel):
    """The body of every error answer: RFC 9457 problem details, served as `application/problem+json`.

    Some problems carry more members: a stale or missing version `current` (the stored state), a change to a
    merged-away claim `merged_into_id`."""

    model_config = ConfigDict(
        extra="allow",
        json_schema_extra={
            "examples": [
                {
                    "type": PROBLEM_BASE + "invalid-input",
                    "title": "Invalid input",
                    "status": 422,
                    "detail": "stance: Input should be 'corroborates', 'contradicts', 'not_addressed' or 'unclear'",
                    "errors": [
                        {
                            "field": "stance",
                            "message": "must be one of corroborates, contradicts, not_addressed, unclear",
                        }
                    ],
                },
                {
                    "type": PROBLEM_BASE + "stale-version",
                    "title": "The record changed since you read it",
                    "status": 412,
                    "detail": "The claim is at version 4, not 3; re-read it and retry.",
                    "errors": [{"field": "version", "message": "stale: current version is 4"}],
                    "current": {
                        "id": 21,
                        "text": "The council approved a budget of $2 million for road repairs.",
                        "version": 4,
                    },
                },
                {
                    "type": PROBLEM_BASE + "unauthenticated",
                    "title": "Authentication required",
                    "status": 401,
                    "detail": "Sign in or send an API token to make changes.",
                },
            ]
        },
    )

    type: str = Field(description="A URI naming the kind of problem")
    title: str
    status: int
    detail: str = Field(description="What went wrong with this request, for a person to read")
    errors: list[FieldProblem] = Field(default_factory=list, description="Each bad field; absent when none")


class DomainError(Exception):
    """A failure a caller can understand and act on; `status` is its HTTP meaning."""

    status = 400
    slug = "bad-request"
    title = "Bad request"

    def __init__(self, detail: str, *, errors: list[dict[str, Any]] | None = None, **extra: Any) -> None:
        super().__init__(detail)
        self.detail = detail
        self.errors = errors or []
        self.extra = extra


class NotFound(DomainError):
    status, slug, title = 404, "not-found", "Not found"


class InvalidInput(DomainError):
    status, slug, title = 422, "invalid-input", "Invalid input"


class InvalidAnchor(InvalidInput):
    slug, title = "invalid-anchor", "Evidence anchor does not match the source"


class UnsupportedMediaType(DomainError):
    status, slug, title = 415, "unsupported-media-type", "Unsupported media type"


class PayloadTooLarge(DomainError):
    status, slug, title = 413, "payload-too-large", "Payload too large"


class Conflict(DomainError):
    status, slug, title = 409, "conflict", "Conflict"


class StaleVersion(DomainError):
    """A write based on an old version; `current` carries the state the caller should re-read."""

    status, slug, title = 412, "stale-version", "The record changed since you read it"


class PreconditionRequired(DomainError):
    """A write to a shared record without the version it was based on could silently overwrite work."""

    status, slug, title = 428, "precondition-required", "Send the version you read"


def check_version(
    kind: str, current_version: int, expected: int | None, current: dict[str, Any], *, required: bool = True
) -> None:
    """Refuse a write based on another version than the stored one, carrying the stored state back."""
    if expected is None:
        if required:
            raise PreconditionRequired(
                f"Send the {kind}'s version (If-Match header or `version` field) so a concurrent change "
                "is not overwritten.",
                errors=[{"field": "version", "message": "required"}],
                current=current,
            )
        return
    if expected != current_version:
        raise StaleVersion(
            f"The {kind} is at version {current_version}, not {expected}; re-read it and retry.",
            errors=[{"field": "version", "message": f"stale: current version is {current_version}"}],
            current=current,
        )


class Unauthenticated(DomainError):
    status, slug, title = 401, "unauthenticated", "Authentication required"


class Forbidden(DomainError):
    status, slug, title = 403, "forbidden", "Not allowed for your role"


class TooManyRequests(DomainError):
    """Answered with Retry-After: how many seconds until the caller may try again."""

    status, slug, title = 429, "too-many-requests", "Too many attempts"

    def __init__(self, detail: str, *, retry_after: int) -> None:
        super().__init__(detail)
        self.retry_after = retry_after


def problem(
    status: int,
    title: str,
    detail: str,
    slug: str,
    errors: list[dict[str, Any]] | None = None,
    headers: dict[str, str] | None = None,
    **extra: Any,
) -> JSONResponse:
    body: dict[str, Any] = {"type": PROBLEM_BASE + slug, "title": title, "status": status, "detail": detail}
    if errors:
        body["errors"] = errors
    body.update(extra)
    return JSONResponse(body, status_code=status, media_type=PROBLEM_JSON, headers=headers)


def _field_errors(exc: RequestValidationError) -> list[dict[str, Any]]:
    errors = []
    for error in exc.errors():
        location = [str(part) for part in error.get("loc", ())]
        errors.append(
            {
                "field": ".".join(location[1:]) or location[0] if location else "",
                "location": location,
                "message": error.get("msg", ""),
                "type": error.get("type", ""),
            }
        )
    return errors


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(DomainError)
    async def _domain(_request: Request, exc: DomainError) -> JSONResponse:
        headers = {"WWW-Authenticate": "Bearer"} if exc.status == 401 else None
        if isinstance(exc, TooManyRequests):
            headers = {"Retry-After": str(exc.retry_after)}
        return problem(exc.status, exc.title, exc.detail, exc.slug, exc.errors, headers, **exc.extra)

    @app.exception_handler(RequestValidationError)
    async def _validation(_request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = _field_errors(exc)
        if any(e["type"] == "json_invalid" for e in errors):
            detail = "The request body is not valid JSON."
        else:
            detail = "; ".join(f"{e['field']}: {e['message']}" for e in errors[:5])
        # The first errors say what to fix; thousands more would only make the answer as big as the attack.
        omitted = max(0, len(errors) - MAX_REPORTED_ERRORS)
        if omitted:
            detail += f" (and {omitted} more problems)"
            return problem(
                422, "Invalid input", detail, "invalid-input", errors[:MAX_REPORTED_ERRORS], errors_omitted=omitted
            )
        return problem(422, "Invalid input", detail, "invalid-input", errors)

    @app.exception_handler(OverflowError)
    async def _overflow(_request: Request, _exc: OverflowError) -> JSONResponse:
        # An id past the database's integer range (SQLite cannot even bind it): no record has it.
        return problem(404, "Not found", "No record has an id that large.", "not-found")

    @app.exception_handler(DataError)
    async def _data_error(_request: Request, exc: DataError) -> JSONResponse:
        if "out of range" in str(exc.orig):  # PostgreSQL's answer to the same oversized id
            return problem(404, "Not found", "No record has an id that large.", "not-found")
        return problem(422, "Invalid input", "The database refused a value in the request.", "invalid-input")

    @app.exception_handler(StarletteHTTPException)
    async def _http(_request: Request, exc: StarletteHTTPException) -> JSONResponse:
        return http_problem(exc)


HTTP_TITLES = {404: "Not found", 405: "Method not allowed", 401: "Authentication required", 500: "Something went wrong"}


def http_problem(exc: StarletteHTTPException) -> JSONResponse:
    return problem(
        exc.status_code,
        HTTP_TITLES.get(exc.status_code, "Error"),
        str(exc.detail),
        f"http-{exc.status_code}",
        headers=getattr(exc, "headers", None),
    )


def server_error_problem() -> JSONResponse:
    """An unexpected failure: no traceback or internals in the answer (they go to the log)."""
    return problem(
        500, HTTP_TITLES[500], "The server failed to answer this request; it has been logged.", "server-error"
    )
