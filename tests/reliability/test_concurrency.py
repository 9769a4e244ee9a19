"""Concurrent reviewers and editors: 8 clients x 200 writes and two editors merging the same claims against a
real server; each write applied once or refused cleanly, nothing left behind on a merged-away claim."""

import random
import threading
import time
from collections import Counter
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlmodel import Session, col, func, select

from app.audit.models import AuditEvent
from app.auth.actor import SYSTEM
from app.auth.service import create_token, create_user
from app.claims.models import Claim, Mention
from app.db import make_engine
from app.migrate import upgrade
from app.review.models import Assessment, Evidence
from app.review.verdicts import recompute_claim
from app.sources.service import ingest_text
from tests.live_server import live_server

THREADS, WRITES = 8, 200
STANCES = ("corroborates", "contradicts", "not_addressed", "unclear")
ARTICLE = (
    "Officials said {n} bridges were repaired in {year}. The ministry reported a budget of {m} million. "
    "Critics disputed the figure of {n} bridges. A spokesman declined to comment on the {year} audit."
)


def _seed(url: str) -> tuple[list[int], list[tuple[int, str, int, int]], list[str], list[str]]:
    """Two sources, four claims mentioned in both, four reviewers with two tokens each (8 clients), two editors."""
    engine = make_engine(url)
    with Session(engine) as session:
        sources = [ingest_text(session, ARTICLE.format(n=n, year=2000 + n, m=n * 7), SYSTEM)[0] for n in (12, 31)]
        passages: list[tuple[int, str, int, int]] = []  # (source id, quote, start, end)
        claim_ids: list[int] = []
        for index, sentence_start in enumerate(("Officials said", "The ministry", "Critics", "A spokesman")):
            claim = Claim(text=f"claim {index}", origin="manual")
            session.add(claim)
            session.flush()
            assert claim.id is not None
            claim_ids.append(claim.id)
            for source in sources:
                assert source.id is not None
                start = source.text.index(sentence_start)
                end = source.text.index(".", start) + 1
                session.add(
                    Mention(claim_id=claim.id, source_id=source.id, start=start, end=end, quote=source.text[start:end])
                )
                passages.append((source.id, source.text[start:end], start, end))
        session.commit()
        secrets = []
        for reviewer in range(4):
            user = create_user(session, f"concurrent-{reviewer}", "reviewer", None, SYSTEM)
            secrets += [create_token(session, user, SYSTEM, name=f"client {n}")[1] for n in range(2)]
        editors = [
            create_token(session, create_user(session, f"merging-{n}", "editor", None, SYSTEM), SYSTEM)[1]
            for n in range(2)
        ]
    engine.dispose()
    return claim_ids, passages, secrets, editors


def _audit_counts(url: str) -> Counter[str]:
    engine = make_engine(url)
    with Session(engine) as session:
        rows = session.exec(select(AuditEvent.action, func.count()).group_by(col(AuditEvent.action))).all()
    engine.dispose()
    return Counter({action: count for action, count in rows})


class Client(threading.Thread):
    """One reviewer's client: assessments with no, fresh or stale versions, and evidence, on shared claims."""

    def __init__(
        self,
        number: int,
        base_url: str,
        secret: str,
        claim_ids: list[int],
        passages: list[tuple[int, str, int, int]],
        start_together: threading.Barrier,
    ) -> None:
        super().__init__(name=f"client-{number}")
        self.start_together = start_together
        self.number, self.base_url, self.secret = number, base_url, secret
        self.claim_ids, self.passages = claim_ids, passages
        self.random = random.Random(number)
        self.applied_notes: Counter[str] = Counter()  # assessment notes the server accepted
        self.evidence_notes: Counter[str] = Counter()
        self.statuses: Counter[tuple[str, int]] = Counter()
        self.unexpected: list[str] = []
        self.seen_versions: dict[tuple[int, int], int] = {}

    def run(self) -> None:
        with httpx.Client(
            base_url=self.base_url, timeout=60, headers={"Authorization": f"Bearer {self.secret}"}
        ) as http:
            # Authenticate once before the start (the first use of a token records it), so the first writes collide.
            self._record("read", http.get("/api/v1/me"), {200}, "", Counter())
            self.start_together.wait()
            for index in range(WRITES):
                try:
                    self._write(http, index)
                except httpx.HTTPError as error:
                    self.unexpected.append(f"#{index}: {error!r}")

    def _write(self, http: httpx.Client, index: int) -> None:
        claim_id = self.random.choice(self.claim_ids)
        source_id, quote, start, end = self.random.choice(self.passages)
        note = f"c{self.number}-w{index}"
        kind = self.random.choices(("blind", "fresh", "stale", "evidence"), weights=(3, 3, 2, 3))[0]
        if index % 10 == 5:  # reads interleaved with the writes must not wait for, or fail on, the write lock
            self._record("read", http.get(f"/api/v1/claims/{claim_id}"), {200}, "", Counter())
        if index < len(self.passages):
            # First, both clients of each reviewer create the same assessments at the same moment.
            claim_id, kind = self.claim_ids[index % len(self.claim_ids)], "blind"
            source_id = self.passages[index][0]
        if kind == "evidence":
            response = http.post(
                f"/api/v1/claims/{claim_id}/evidence",
                json={"source_id": source_id, "start": start, "end": end, "quote": quote, "note": note},
            )
            self._record(kind, response, {201, 409}, note, self.evidence_notes)
            return
        body: dict[str, Any] = {"stance": self.random.choice(STANCES), "note": note}
        headers: dict[str, str] = {}
        seen = self.seen_versions.get((claim_id, source_id))
        if kind == "fresh" and seen is not None:
            # The version this client last saw; the sibling client of the same reviewer may have moved it on.
            if self.random.random() < 0.5:
                headers["If-Match"] = f'"{seen}"'
            else:
                body["version"] = seen
        elif kind == "stale":
            stale = self.random.choice([v for v in (seen - 1 if seen else None, 99) if v])
            if self.random.random() < 0.5:
                headers["If-Match"] = f'W/"{stale}"'
            else:
                body["version"] = stale
        response = http.put(f"/api/v1/claims/{claim_id}/sources/{source_id}/assessment", json=body, headers=headers)
        # A write without a version always applies; a stale one never does; a fresh one may meet a newer write.
        # Any of them may find its claim merged away meanwhile (409).
        allowed = {"blind": {200, 201, 409}, "fresh": {200, 201, 409, 412}, "stale": {409, 412}}[kind]
        self._record(kind, response, allowed, note, self.applied_notes)
        if response.status_code in (200, 201):
            self.seen_versions[(claim_id, source_id)] = response.json()["version"]
        elif response.status_code == 412:
            self.seen_versions[(claim_id, source_id)] = (
                response.json()["current"]["version"] if "version" in response.json().get("current", {}) else 0
            )

    def _record(self, kind: str, response: httpx.Response, allowed: set[int], note: str, applied: Counter[str]) -> None:
        self.statuses[(kind, response.status_code)] += 1
        if response.status_code not in allowed or "locked" in response.text:
            self.unexpected.append(
                f"{kind} {response.request.method} {response.request.url.path} "
                f"-> {response.status_code}: {response.text[:300]}"
            )
        if 200 <= response.status_code < 300:
            applied[note] += 1


class Merger(threading.Thread):
    """An editor merging claim 1 into 0 and 3 into 2 while the reviewers write; the other editor does the same."""

    def __init__(
        self, number: int, base_url: str, secret: str, claim_ids: list[int], start_together: threading.Barrier
    ) -> None:
        super().__init__(name=f"editor-{number}")
        self.base_url, self.secret, self.claim_ids, self.start_together = base_url, secret, claim_ids, start_together
        self.merges: Counter[int] = Counter()
        self.unexpected: list[str] = []

    def run(self) -> None:
        with httpx.Client(
            base_url=self.base_url, timeout=60, headers={"Authorization": f"Bearer {self.secret}"}
        ) as http:
            http.get("/api/v1/me")
            self.start_together.wait()
            for target, other in ((self.claim_ids[0], self.claim_ids[1]), (self.claim_ids[2], self.claim_ids[3])):
                time.sleep(0.3)  # let the reviewers' writes pile up on both claims first
                for _attempt in range(20):
                    read = http.get(f"/api/v1/claims/{target}")
                    response = http.post(
                        f"/api/v1/claims/{target}/merge",
                        headers={"If-Match": read.headers["ETag"]},
                        json={"other_id": other},
                    )
                    self.merges[response.status_code] += 1
                    if response.status_code not in (200, 409, 412):
                        self.unexpected.append(f"merge -> {response.status_code}: {response.text[:300]}")
                    if response.status_code != 412:
                        break


def _expected_version(assessment: Assessment, events: list[AuditEvent], merge_events: list[AuditEvent]) -> int:
    """The version an assessment must have: one per write applied to it; where a merge dropped the same
    reviewer's row of the same source, the survivor went past both rows' versions at that moment."""
    writes = [e.id for e in events if e.entity_type == "assessment" and e.entity_id == assessment.id]
    for merge in merge_events:
        clash = [
            row
            for row in (merge.before or {})["duplicates"]
            if row["table"] == "assessment"
            and (row["source_id"], row["user_id"]) == (assessment.source_id, assessment.user_id)
            and merge.entity_id == assessment.claim_id
        ]
        if clash:
            assert merge.id is not None
            before = sum(1 for event_id in writes if event_id is not None and event_id < merge.id)
            return max(before, clash[0]["version"]) + 1 + len(writes) - before
    return len(writes)


@pytest.mark.slow
def test_concurrent_reviewers_lose_nothing_and_record_each_write_once(
    scratch_database_url: str, tmp_path: Path
) -> None:
    url = scratch_database_url
    upgrade(url)
    claim_ids, passages, secrets, editor_secrets = _seed(url)
    before = _audit_counts(url)
    log_path = tmp_path / "server.log"
    with live_server(url, log_path) as base_url:
        barrier = threading.Barrier(len(secrets) + len(editor_secrets))
        clients = [Client(n, base_url, secret, claim_ids, passages, barrier) for n, secret in enumerate(secrets)]
        editors = [Merger(n, base_url, secret, claim_ids, barrier) for n, secret in enumerate(editor_secrets)]
        for thread in [*clients, *editors]:
            thread.start()
        for thread in [*clients, *editors]:
            thread.join(timeout=120)
        assert not any(thread.is_alive() for thread in [*clients, *editors]), "a client hung"
    log = log_path.read_text(errors="replace")
    statuses = sum((c.statuses for c in clients), Counter())
    unexpected = [line for c in [*clients, *editors] for line in c.unexpected]
    assert not unexpected, f"{len(unexpected)} unexpected answers, e.g. {unexpected[:5]}; statuses {statuses}"
    assert "database is locked" not in log and "Traceback" not in log, log[-3000:]
    assert sum(n for (kind, _status), n in statuses.items() if kind != "read") == THREADS * WRITES
    assert statuses[("stale", 412)] > 0 and statuses[("blind", 201)] > 0  # both paths really ran
    # Both editors merged both pairs: for each pair one won, the other was told it was merged (409) or stale (412).
    merges = sum((e.merges for e in editors), Counter())
    assert merges[200] == 2 and merges[409] + merges[412] >= 2, merges

    # Exactly one audit event per applied write, and none for a refused one: each accepted note appears once.
    applied = sum((c.applied_notes for c in clients), Counter())
    evidence_applied = sum((c.evidence_notes for c in clients), Counter())
    after = _audit_counts(url)
    assessment_events = sum(after[a] - before[a] for a in ("assessment.created", "assessment.updated"))
    assert assessment_events == sum(applied.values())
    assert after["evidence.created"] - before["evidence.created"] == sum(evidence_applied.values())
    engine = make_engine(url)
    with Session(engine) as session:
        events = session.exec(
            select(AuditEvent).where(
                col(AuditEvent.action).in_(("assessment.created", "assessment.updated", "evidence.created"))
            )
        ).all()
        recorded = Counter((e.action.split(".")[0], (e.after or {}).get("note")) for e in events)
        expected = Counter({("assessment", n): k for n, k in applied.items()})
        expected.update({("evidence", n): k for n, k in evidence_applied.items()})
        assert recorded == expected
        # Every stored row is the last applied write of its reviewer, and is one of the accepted notes.
        assessments = session.exec(select(Assessment)).all()
        assert assessments and all(a.note in applied for a in assessments)
        # A version counts the writes applied to its record: two writers that both passed the check
        # against the same version would leave one version bump for two events. (A merge drops the older of
        # two assessments by one reviewer of one source; its content is in the merge's audit event.)
        writes_per_assessment = Counter(e.entity_id for e in events if e.entity_type == "assessment")
        merge_events = session.exec(select(AuditEvent).where(AuditEvent.action == "claim.merged")).all()
        dropped = [row for e in merge_events for row in (e.before or {})["duplicates"] if row["table"] == "assessment"]
        assert {a.id: a.version for a in assessments} == {
            a.id: _expected_version(a, events, merge_events) for a in assessments
        }
        assert len(assessments) + len(dropped) == len(writes_per_assessment)
        assert session.exec(select(func.count()).select_from(Evidence)).one() == sum(evidence_applied.values())
        # Each pair was merged once, and nothing (evidence, assessments, mentions) stayed on a merged-away claim.
        assert sorted(e.entity_id for e in merge_events) == [claim_ids[0], claim_ids[2]]
        merged_away = {claim_ids[1], claim_ids[3]}
        for model in (Evidence, Assessment, Mention):
            left = session.exec(select(model).where(col(model.claim_id).in_(merged_away))).all()  # type: ignore[attr-defined]
            assert left == [], f"{model.__name__} left on a merged-away claim"
        # The claims' derived verdicts and counts survived interleaved recomputations: none was lost.
        for claim_id in claim_ids:
            claim = session.get(Claim, claim_id)
            assert claim is not None
            stored = (claim.verdict, claim.status, claim.corroborating, claim.contradicting, claim.has_conflict)
            recompute_claim(session, claim_id)
            assert stored == (
                claim.verdict,
                claim.status,
                claim.corroborating,
                claim.contradicting,
                claim.has_conflict,
            ), f"claim {claim_id} kept a stale verdict"
        session.rollback()
    engine.dispose()
