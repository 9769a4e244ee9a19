"""Web forms obey the same text limits as the API, because the shared services enforce them."""

from collections.abc import Callable

from sqlmodel import select

from app.claims.models import Claim
from app.review.models import Assessment, Evidence
from app.sources.models import Source
from app.text_rules import NOTE_MAX_CHARS, QUOTE_MAX_CHARS
from tests.web.forms import BILLION, S001, db


def test_a_900000_character_note_is_refused_on_the_form_as_on_the_api(
    signed_in: Callable, billion_claim: Claim, fixture_sources: dict[str, Source]
) -> None:
    browser, token, _user = signed_in("reviewer")
    source_id = fixture_sources[S001].id
    note = "n" * 900_000
    form = browser.post(
        f"/claims/{billion_claim.id}/sources/{source_id}/assessment",
        data={"stance": "corroborates", "note": note, "version": "0", "csrf_token": token},
    )
    assert form.status_code == 422, form.text[:300]
    assert f"at most {NOTE_MAX_CHARS:,} characters" in form.text
    just_over = browser.post(
        f"/claims/{billion_claim.id}/sources/{source_id}/assessment",
        data={"stance": "corroborates", "note": "n" * (NOTE_MAX_CHARS + 1), "version": "0", "csrf_token": token},
    )
    assert just_over.status_code == 422
    with db() as session:
        assert session.exec(select(Assessment).where(Assessment.claim_id == billion_claim.id)).all() == []


def test_an_oversized_evidence_quote_or_note_is_refused_on_the_form(
    signed_in: Callable, billion_claim: Claim, fixture_sources: dict[str, Source]
) -> None:
    browser, token, _user = signed_in("reviewer")
    source_id = fixture_sources[S001].id
    for fields in (
        {"quote": "q" * (QUOTE_MAX_CHARS + 1)},
        {"quote": BILLION, "note": "n" * 900_000},
        {"quote": BILLION, "url": "https://example.org/a", "note": "n" * (NOTE_MAX_CHARS + 1)},
    ):
        response = browser.post(
            f"/claims/{billion_claim.id}/evidence", data={"source_id": str(source_id), "csrf_token": token, **fields}
        )
        page = browser.get(response.headers["location"]).text
        assert "Evidence not added" in page and "at most" in page
    with db() as session:
        assert session.exec(select(Evidence).where(Evidence.claim_id == billion_claim.id)).all() == []
