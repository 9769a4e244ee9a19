"""The web UI's routers, static files and browser protections, installed on the app in one call."""

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from app.web import (
    account_pages,
    auth_pages,
    board,
    claim_actions,
    claim_pages,
    evidence_actions,
    match_actions,
    merge_pages,
    newsroom_pages,
    source_pages,
)
from app.web.error_pages import install_error_pages
from app.web.security import SecurityHeadersMiddleware
from app.web.templating import STATIC_DIR


def install_web(app: FastAPI) -> None:
    for module in (
        auth_pages,
        account_pages,
        board,
        claim_pages,
        merge_pages,
        claim_actions,
        evidence_actions,
        match_actions,
        newsroom_pages,
        source_pages,
    ):
        app.include_router(module.router, include_in_schema=False)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    app.add_middleware(SecurityHeadersMiddleware)
    install_error_pages(app)
