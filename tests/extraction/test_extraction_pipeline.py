"""Stored extraction: idempotent re-runs that keep reviewer work, and new articles joining old claims."""

from pathlib import Path

from sqlmodel import Session, col, select

from app.auth.actor import SYSTEM
from app.claims.models import Claim, ClaimMatchSuggestion, Mention, StanceSuggestion
from app.db import get_engine
from app.extraction.store import run_extraction
from app.review.match_suggestions import decide_suggestion
from app.review.models import Assessment
from app.sources.service import ingest_text
from tests.extraction.articles import COUNCIL_REPORT

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "sources"


def _snapshot(session: Session) -> tuple[list[tuple], list[tuple], list[tuple]]:
    claims = [(c.id, c.key, c.text, c.kind) for c in session.exec(select(Claim).order_by(col(Claim.id))).all()]
    mentions = sorted((m.claim_id, m.source_id, m.start, m.end) for m in session.exec(select(Mention)).all())
    stances = sorted((s.claim_id, s.source_id, s.stance) for s in session.exec(select(StanceSuggestion)).all())
    return claims, mentions, stances


def test_rerun_is_idempotent_and_keeps_reviewer_work(fixture_sources: dict, make_user) -> None:
    reviewer, _headers = make_user("reviewer")
    with Session(get_engine()) as session:
        first = run_extraction(session, use_embeddings=False)
        assert first.sources >= 5
        claims = session.exec(select(Claim).where(Claim.origin == "extracted").order_by(col(Claim.id))).all()
        assert len(claims) >= 10
        for claim in claims:
            for mention in session.exec(select(Mention).where(Mention.claim_id == claim.id)).all():
                source = session.get(type(next(iter(fixture_sources.values()))), mention.source_id)
                assert source is not None and source.text[mention.start : mention.end] == mention.quote

        edited, absorbed, assessed = claims[0], claims[1], claims[2]
        edited.text, edited.text_edited = "An editor's wording of the claim", True
        session.add(edited)
        absorbed_mentions = session.exec(select(Mention).where(Mention.claim_id == absorbed.id)).all()
        for mention in absorbed_mentions:  # what a merge does: mentions move, a tombstone stays
            mention.claim_id = edited.id or 0
            session.add(mention)
        absorbed.merged_into_id = edited.id
        session.add(absorbed)
        mention = session.exec(select(Mention).where(Mention.claim_id == assessed.id)).first()
        assert mention is not None
        session.add(
            Assessment(
                claim_id=assessed.id or 0,
                source_id=mention.source_id,
                user_id=reviewer.id or 0,
                stance="corroborates",
                note="checked",
            )
        )
        session.commit()
        claims_and_mentions = _snapshot(session)[:2]

        second = run_extraction(session, use_embeddings=False)
        assert (second.claims_created, second.mentions_added, second.mentions_removed) == (0, 0, 0)
        after_second = _snapshot(session)
        assert after_second[:2] == claims_and_mentions
        run_extraction(session, use_embeddings=False)
        assert _snapshot(session) == after_second
        session.refresh(edited)
        assert edited.text == "An editor's wording of the claim"
        assert {m.id for m in absorbed_mentions} <= {
            m.id for m in session.exec(select(Mention).where(Mention.claim_id == edited.id)).all()
        }
        assert session.exec(select(Assessment).where(Assessment.claim_id == assessed.id)).one().note == "checked"


def test_a_new_article_joins_existing_claims(fixture_sources: dict) -> None:
    with Session(get_engine()) as session:
        run_extraction(session, use_embeddings=False)
        claims_before = {c.id for c in session.exec(select(Claim)).all()}
        raw = (FIXTURES / "004_e20be87c51c2aa43.txt").read_text(encoding="utf-8")
        paragraph = next(p for p in raw.split("\n\n") if "Hegseth ruled out NATO membership" in p)
        source, created = ingest_text(session, "# A follow-up report on the talks\n\n" + paragraph + "\n", SYSTEM)
        assert created
        summary = run_extraction(session, source_ids=[source.id or 0], use_embeddings=False)
        assert summary.mentions_added > 0
        joined = session.exec(
            select(Mention).where(Mention.source_id == source.id, col(Mention.claim_id).in_(claims_before))
        ).all()
        assert joined, "the new article's mention should join a claim that already existed"


def test_a_source_sharing_nothing_with_a_claim_gets_no_suggestion_row(fixture_sources: dict) -> None:
    with Session(get_engine()) as session:
        unrelated, _ = ingest_text(session, COUNCIL_REPORT.text, SYSTEM)
        summary = run_extraction(session, use_embeddings=False)
        claims = session.exec(select(Claim).where(col(Claim.id).in_(summary.claim_ids))).all()
        rows = session.exec(select(StanceSuggestion).where(StanceSuggestion.source_id == unrelated.id)).all()
        # one row per claim x source would give this source a row for every claim
        assert len(rows) < len(claims) / 4
        mentioned = {m.claim_id for m in session.exec(select(Mention).where(Mention.source_id == unrelated.id))}
        assert mentioned <= {r.claim_id for r in rows}


def test_a_rerun_drops_a_suggestion_its_source_no_longer_supports(fixture_sources: dict) -> None:
    with Session(get_engine()) as session:
        run_extraction(session, use_embeddings=False)
        suggested = {(s.claim_id, s.source_id) for s in session.exec(select(StanceSuggestion)).all()}
        claim_id, silent_id = next(
            (c.id, s.id)
            for c in session.exec(select(Claim).order_by(col(Claim.id))).all()
            for s in fixture_sources.values()
            if (c.id, s.id) not in suggested
        )
        stale = StanceSuggestion(claim_id=claim_id, source_id=silent_id, stance="contradicts", confidence=0.9)
        session.add(stale)
        session.commit()
        stale_id = stale.id
        run_extraction(session, use_embeddings=False)
        session.expire_all()
        assert session.get(StanceSuggestion, stale_id) is None


def test_uncertain_matches_are_stored_as_suggestions_and_a_rejected_pair_stays_rejected(
    fixture_sources: dict,
) -> None:
    with Session(get_engine()) as session:
        run_extraction(session, use_embeddings=False)
        suggested = session.exec(select(ClaimMatchSuggestion).order_by(col(ClaimMatchSuggestion.id))).all()
        assert suggested, "the fixtures hold pairs too close to ignore and too far to group"
        assert all(s.claim_id < s.other_claim_id and s.reason.startswith("similar passages") for s in suggested)
        rejected = decide_suggestion(session, SYSTEM, suggested[0].id or 0, "reject")
        pair = (rejected.claim_id, rejected.other_claim_id)
        run_extraction(session, use_embeddings=False)
        rows = session.exec(
            select(ClaimMatchSuggestion).where(
                ClaimMatchSuggestion.claim_id == pair[0], ClaimMatchSuggestion.other_claim_id == pair[1]
            )
        ).all()
        assert [r.status for r in rows] == ["rejected"]
        with_reason = session.exec(select(StanceSuggestion).where(col(StanceSuggestion.reason).is_not(None))).all()
        assert with_reason and all(s.reason for s in with_reason)
