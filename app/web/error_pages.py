"""Errors outside the JSON API answer with an HTML page; `/api/` paths keep problem+json."""

import logging

from fastapi import FastAPI, Request
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import HTMLResponse, Response

from app.errors import HTTP_TITLES, http_problem, server_error_problem
from app.web.deps import wants_json
from app.web.templating import templates

logger = logging.getLogger(__name__)
API_PREFIXES = ("/api/", "/docs", "/redoc")


def _is_api(request: Request) -> bool:
    return request.url.path.startswith(API_PREFIXES) or wants_json(request)


def error_page(request: Request, status: int, detail: str) -> Response:
    """A plain page: no actor or session is read, since the failure may have come from either."""
    html = templates.get_template("error_page.html").render(
        status=status, title=HTTP_TITLES.get(status, "Error"), detail=detail
    )
    return HTMLResponse(html, status_code=status, headers={"Cache-Control": "no-store"})


async def http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, StarletteHTTPException)
    if _is_api(request):
        return http_problem(exc)
    detail = "There is no page at this address." if exc.status_code == 404 else str(exc.detail)
    return error_page(request, exc.status_code, detail)


async def server_error(request: Request, exc: Exception) -> Response:
    logger.error("Unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
    if _is_api(request):
        return server_error_problem()
    return error_page(
        request,
        500,
        "The server failed to show this page; the error has been logged. Try again, or go back to the claims board.",
    )


def install_error_pages(app: FastAPI) -> None:
    app.add_exception_handler(StarletteHTTPException, http_error)
    app.add_exception_handler(Exception, server_error)
