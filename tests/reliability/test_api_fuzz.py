"""Fuzzing the API: schemathesis drives every operation of the app's own OpenAPI document as a reviewer."""

from collections import Counter, defaultdict
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.openapi.checks import UndefinedStatusCode
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)
from sqlmodel import Session

from app.auth.actor import SYSTEM
from app.auth.service import actor_for_user, create_token, create_user, get_user_by_name
from app.claims.service import create_claim
from app.db import is_sqlite, make_engine
from app.migrate import upgrade
from app.review.evidence import add_evidence
from app.review.service import set_assessment
from app.sources.service import ingest_text
from tests.databases import scratch_postgres_database
from tests.live_server import live_server

CHECKS = [not_a_server_error, status_code_conformance, response_schema_conformance, content_type_conformance]
# x 2 modes x 54 operations, fewer where the input space is small: the run's budget of ~1,500 requests held
# as operations were added (20 x 37 before the newsroom endpoints)
EXAMPLES_PER_MODE = 14
MINIMUM_REQUESTS = 1000


class Reviewer:
    """The fuzzer's credentials; a fresh token replaces one the fuzzer itself revoked (DELETE /tokens/{id})."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.secret = self._mint()

    def _mint(self) -> str:
        engine = make_engine(self.url)
        with Session(engine) as session:
            secret = create_token(session, get_user_by_name(session, "fuzzer"), SYSTEM)[1]
        engine.dispose()
        return secret

    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.secret}"}

    def check_still_valid(self, base_url: str) -> None:
        if httpx.get(f"{base_url}/api/v1/me", headers=self.headers()).status_code == 401:
            self.secret = self._mint()


def _seed(url: str) -> None:
    """A small reviewed workspace, so that generated small ids hit real sources, claims and evidence."""
    engine = make_engine(url)
    with Session(engine) as session:
        user = create_user(session, "fuzzer", "reviewer", None, SYSTEM)
        actor = actor_for_user(user)
        for n in range(3):
            source, _ = ingest_text(
                session,
                f"Headline {n}\n\nThe council approved {n + 3} new schools in 2024. "
                f"The mayor said the cost was {n + 1} million.",
                SYSTEM,
            )
            assert source.id is not None
            claim = create_claim(session, actor, source.id, quote=f"approved {n + 3} new schools")
            assert claim.id is not None
            set_assessment(session, actor, claim.id, source.id, "corroborates", note="seed")
            add_evidence(session, actor, claim.id, source_id=source.id, quote="the cost was")
    engine.dispose()


class Tally:
    """What the generated requests met: calls per operation, statuses, and failed checks per operation."""

    def __init__(self) -> None:
        self.calls: Counter[str] = Counter()
        self.statuses: Counter[int] = Counter()
        self.failures: dict[str, list[str]] = defaultdict(list)
        self.undocumented: dict[str, list[str]] = defaultdict(list)  # answered with a status the document omits


def _fuzz(
    operation: Any, mode: GenerationMode, base_url: str, http: requests.Session, reviewer: Reviewer, tally: Tally
) -> None:
    """Send EXAMPLES_PER_MODE generated requests to one operation and check each response."""

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(
        max_examples=EXAMPLES_PER_MODE,
        derandomize=True,
        deadline=None,
        database=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    def call(case: schemathesis.Case) -> None:
        response = case.call(base_url=base_url, session=http, headers=reviewer.headers(), timeout=30)
        tally.calls[operation.label] += 1
        tally.statuses[response.status_code] += 1
        try:
            case.validate_response(response, checks=CHECKS)
        except (AssertionError, BaseExceptionGroup) as error:  # collected: one run reports every failure
            found = error.exceptions if isinstance(error, BaseExceptionGroup) else (error,)
            for failure in found:
                kind = tally.undocumented if isinstance(failure, UndefinedStatusCode) else tally.failures
                kind[operation.label].append(f"{mode.value}: {response.status_code} {failure}"[:1500])
        if case.method == "DELETE" and "/tokens/" in case.path and response.status_code < 300:
            reviewer.check_still_valid(base_url)

    try:
        call()
    except Unsatisfiable:
        # No invalid request exists for an operation without parameters or body (GET /health).
        assert mode is GenerationMode.NEGATIVE, operation.label


@pytest.fixture(scope="module")
def fuzzed(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Tally, str, set[str]]]:
    """One seeded fuzzing run against a live server on a scratch database of the run's backend."""
    if is_sqlite(database_url):
        yield _run(f"sqlite:///{tmp_path_factory.mktemp('fuzz') / 'fuzz.db'}", tmp_path_factory.mktemp("fuzz-log"))
        return
    with scratch_postgres_database(database_url) as url:
        yield _run(url, tmp_path_factory.mktemp("fuzz-log"))


def _run(url: str, log_dir: Path) -> tuple[Tally, str, set[str]]:
    upgrade(url)
    _seed(url)
    reviewer = Reviewer(url)
    tally = Tally()
    with live_server(url, log_dir / "server.log") as base_url, requests.Session() as http:
        schema = schemathesis.openapi.from_url(f"{base_url}/api/v1/openapi.json")
        operations = [result.ok() for result in schema.get_all_operations()]
        for operation in operations:
            for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
                _fuzz(operation, mode, base_url, http, reviewer, tally)
    return tally, (log_dir / "server.log").read_text(errors="replace"), {op.label for op in operations}


@pytest.mark.slow
@pytest.mark.timeout(600)  # the seeded run happens in this test's setup, on a machine others share
def test_generated_requests_get_no_5xx_and_match_the_declared_schemas(fuzzed: tuple[Tally, str, set[str]]) -> None:
    tally, log, operations = fuzzed
    summary = {label: found[:2] for label, found in tally.failures.items()}
    assert not tally.failures, f"failing responses in {len(summary)} operations: {summary}"
    assert "Traceback" not in log, log[-3000:]
    assert operations == set(tally.calls), "an operation was never called"
    assert sum(tally.calls.values()) >= MINIMUM_REQUESTS, tally.calls
    # Authenticated all along (never 401), and the generated requests reached the services, not only validation.
    assert tally.statuses[401] == 0 and sum(n for s, n in tally.statuses.items() if s < 300) >= 100, tally.statuses


@pytest.mark.slow
def test_every_answered_status_is_declared(fuzzed: tuple[Tally, str, set[str]]) -> None:
    tally, _log, _operations = fuzzed
    summary = {label: found[:1] for label, found in tally.undocumented.items()}
    assert not tally.undocumented, f"undeclared statuses in {len(summary)} operations: {summary}"
