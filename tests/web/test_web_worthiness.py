"""Extraction stores why each passage is check-worthy; the API's mention read model and the claim page show it."""

import html
from collections.abc import Callable

from fastapi.testclient import TestClient
from sqlmodel import Session, col, select

from app.claims.models import Mention
from app.db import get_engine
from app.extraction.store import run_extraction


def test_a_stored_mention_keeps_its_worthiness_reason_for_the_api_and_the_claim_page(
    fixture_sources: dict, client: TestClient, editor_headers: dict, signed_in: Callable
) -> None:
    with Session(get_engine()) as session:
        run_extraction(session, use_embeddings=False)
        extracted = session.exec(select(Mention).where(Mention.origin == "extracted")).all()
        with_figure = session.exec(
            select(Mention).where(col(Mention.worthiness_reason).contains("figure: ")).order_by(col(Mention.id))
        ).first()
    assert extracted and all(m.worthiness_reason for m in extracted)
    assert with_figure is not None and with_figure.worthiness_reason
    detail = client.get(f"/api/v1/claims/{with_figure.claim_id}", headers=editor_headers)
    assert detail.status_code == 200, detail.text
    reasons = {m["id"]: m["worthiness_reason"] for m in detail.json()["mentions"]}
    assert reasons[with_figure.id] == with_figure.worthiness_reason
    page_client, _csrf, _user = signed_in("reviewer")
    page = page_client.get(f"/claims/{with_figure.claim_id}")
    assert page.status_code == 200
    assert f"check-worthy: {html.escape(with_figure.worthiness_reason)}" in page.text
