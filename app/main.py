"""Build the FastAPI application: the JSON API under /api/v1, the web UI at /, one error format."""

import logging

from fastapi import APIRouter, Depends, FastAPI
from starlette.middleware.sessions import SessionMiddleware

from app.admission import ActiveRequestLimit
from app.api.csrf import check_api_csrf
from app.api.direct_get import DirectGet
from app.api.json_shape import JsonShapeMiddleware
from app.api.openapi import install_openapi_extras
from app.audit.api import router as audit_router
from app.auth.api import router as auth_router
from app.claims.api import router as claims_router
from app.config import get_settings, session_secret_key
from app.errors import install_error_handlers
from app.exchange.api import router as export_router
from app.extraction.api import router as extraction_router
from app.jobs.api import router as jobs_router
from app.lifespan import lifespan
from app.limits import BodySizeLimitMiddleware
from app.newsroom.api import router as newsroom_router
from app.review.api import router as review_router
from app.review.claims_api import list_claims
from app.review.claims_api import router as claim_review_router
from app.review.evidence_api import router as evidence_router
from app.review.match_api import router as match_router
from app.review.schemas import ClaimListParams
from app.sources.api import router as sources_router
from app.web.routes import install_web
from app.web.security import SecureCookiesOverHttps
from app.webhooks.api import router as webhooks_router

API_PREFIX = "/api/v1"
SESSION_COOKIE = "crosscheck_session"
# Every API route's dependencies. The claims list's DirectGet route skips them (it is answered ahead of the
# routers): a test keeps this list to what that route may skip, so adding one here means handling it there.
API_ROUTER_DEPENDENCIES = (Depends(check_api_csrf),)


def create_app() -> FastAPI:
    """The application; raises InsecureSecretKey rather than serve sessions anyone could forge."""
    settings = get_settings()
    secret_key = session_secret_key(settings)
    logging.basicConfig(level=settings.log_level.upper())
    app = FastAPI(
        title="Crosscheck",
        version="0.1.0",
        description="Claim-verification workbench: sources, extracted claims, reviewers' stances with evidence.",
        openapi_url=f"{API_PREFIX}/openapi.json",
        docs_url="/docs",
        lifespan=lifespan,
    )
    install_error_handlers(app)
    install_openapi_extras(app)
    api = APIRouter(prefix=API_PREFIX, dependencies=list(API_ROUTER_DEPENDENCIES))
    api.include_router(sources_router)
    api.include_router(export_router)
    api.include_router(claim_review_router)
    api.include_router(claims_router)
    api.include_router(match_router)
    api.include_router(review_router)
    api.include_router(audit_router)
    api.include_router(evidence_router)
    api.include_router(auth_router)
    api.include_router(webhooks_router)
    api.include_router(jobs_router)
    api.include_router(extraction_router)
    api.include_router(newsroom_router)

    @api.get("/health", tags=["health"])
    def health() -> dict[str, str]:
        """Liveness: answers `{"status": "ok"}` without credentials or a database query."""
        return {"status": "ok"}

    # Ahead of the API's routers: the claims list, read most, skips their matching and dependency solving.
    app.router.routes.append(DirectGet(f"{API_PREFIX}/claims", list_claims, ClaimListParams))
    app.include_router(api)
    install_web(app)
    app.add_middleware(JsonShapeMiddleware)
    app.add_middleware(ActiveRequestLimit, at_once=settings.max_active_requests)
    app.add_middleware(BodySizeLimitMiddleware, max_bytes=settings.max_body_bytes)
    app.add_middleware(
        SessionMiddleware,
        secret_key=secret_key,
        same_site="lax",
        https_only=bool(settings.session_cookie_secure),
        session_cookie=SESSION_COOKIE,
        max_age=settings.session_max_age_hours * 3600,
    )
    if settings.session_cookie_secure is None:
        app.add_middleware(SecureCookiesOverHttps, cookie_name=SESSION_COOKIE)
    return app
