"""Over HTTP: a suggested match on the claim page, accepted, undone and rejected with one form post each."""

from collections.abc import Callable

from sqlmodel import col, select

from app.audit.models import AuditEvent
from app.claims.models import Claim, ClaimMatchSuggestion
from app.review.match_suggestions import MatchCandidate, store_match_suggestions
from app.sources.models import Source
from tests.web.forms import S002, db, new_claim


def test_editor_accepts_undoes_and_rejects_a_suggested_match(
    signed_in: Callable, billion_claim: Claim, fixture_sources: dict[str, Source]
) -> None:
    other = new_claim(fixture_sources[S002], "a demand that Zelensky rejected")
    with db() as session:
        store_match_suggestions(
            session,
            [
                MatchCandidate(
                    billion_claim.id or 0, other.id or 0, 0.4, "similar passages (0.40); shared figure: $500 billion"
                )
            ],
        )
        session.commit()
        match = session.exec(
            select(ClaimMatchSuggestion).where(
                ClaimMatchSuggestion.claim_id == min(billion_claim.id or 0, other.id or 0)
            )
        ).one()
    page_client, token, _user = signed_in("reviewer")
    page = page_client.get(f"/claims/{billion_claim.id}").text
    assert "Suggested matches" in page and "shared figure: $500 billion" in page
    assert f"/matches/{match.id}/accept" not in page  # a reviewer sees the suggestion, an editor decides
    client, token, _user = signed_in("editor")
    assert f"/matches/{match.id}/accept" in client.get(f"/claims/{other.id}").text
    base = f"/claims/{other.id}/matches/{match.id}"
    assert client.post(f"{base}/accept", data={}, follow_redirects=False).status_code == 403  # no CSRF token
    accepted = client.post(f"{base}/accept", data={"csrf_token": token}, follow_redirects=False)
    assert accepted.status_code == 303 and accepted.headers["location"] == f"/claims/{billion_claim.id}#matches"
    with db() as session:
        assert session.get(Claim, other.id).merged_into_id == billion_claim.id
    assert "Undo" in client.get(f"/claims/{billion_claim.id}").text
    client.post(f"/claims/{billion_claim.id}/matches/{match.id}/undo", data={"csrf_token": token})
    with db() as session:
        assert session.get(Claim, other.id).merged_into_id is None
    client.post(f"{base}/reject", data={"csrf_token": token})
    with db() as session:
        assert session.get(ClaimMatchSuggestion, match.id).status == "rejected"
    again = client.post(f"{base}/reject", data={"csrf_token": token}, follow_redirects=False)
    assert again.status_code == 303  # back to the page with an error message, nothing changed


def test_the_board_shows_a_claims_open_suggested_matches(
    signed_in: Callable, billion_claim: Claim, fixture_sources: dict[str, Source]
) -> None:
    other = new_claim(fixture_sources[S002], "a demand that Zelensky rejected")
    with db() as session:
        store_match_suggestions(session, [MatchCandidate(billion_claim.id or 0, other.id or 0, 0.4, "similar")])
        session.commit()
    client, _token, _user = signed_in("viewer")
    board = client.get("/", params={"q": billion_claim.text.split("(case ")[1].rstrip(").")}).text
    assert f'href="/claims/{billion_claim.id}#matches"' in board and "suggested match" in board


def test_an_editor_decides_a_suggested_match_on_the_board_and_undoes_it_there(
    signed_in: Callable, billion_claim: Claim, fixture_sources: dict[str, Source]
) -> None:
    other = new_claim(fixture_sources[S002], "a demand that Zelensky rejected")
    with db() as session:
        store_match_suggestions(
            session,
            [
                MatchCandidate(
                    billion_claim.id or 0, other.id or 0, 0.4, "similar passages (0.40); shared figure: $500 billion"
                )
            ],
        )
        session.commit()
        match = session.exec(
            select(ClaimMatchSuggestion).where(
                ClaimMatchSuggestion.claim_id == min(billion_claim.id or 0, other.id or 0)
            )
        ).one()
    words = billion_claim.text.split("(case ")[1].rstrip(").")
    viewer, _token, _user = signed_in("viewer")
    seen = viewer.get("/", params={"q": words}).text
    assert f'data-match="{match.id}"' in seen and "shared figure: $500 billion" in seen
    assert f"/board/matches/{match.id}/reject" not in seen  # viewers see the suggestion, editors decide
    client, token, _user = signed_in("editor")
    board_url = f"/?q={words}"
    assert f"/board/matches/{match.id}/reject" in client.get(board_url).text
    rejected = client.post(
        f"/board/matches/{match.id}/reject", data={"csrf_token": token, "next": board_url}, follow_redirects=False
    )
    assert rejected.status_code == 303 and rejected.headers["location"] == board_url
    page = client.get(board_url).text
    assert "will not be suggested again" in page and f'data-match="{match.id}"' not in page
    assert f"/board/matches/{match.id}/undo" in page  # the board offers to undo the decision it just took
    with db() as session:
        assert session.get(ClaimMatchSuggestion, match.id).status == "rejected"
        # a rejected pair is never suggested again, even when extraction finds it once more
        store_match_suggestions(session, [MatchCandidate(other.id or 0, billion_claim.id or 0, 0.45, "again")])
        session.commit()
        assert session.get(ClaimMatchSuggestion, match.id).status == "rejected"
    assert f'data-match="{match.id}"' not in client.get(board_url).text
    client.post(f"/board/matches/{match.id}/undo", data={"csrf_token": token, "next": board_url})
    with db() as session:
        assert session.get(ClaimMatchSuggestion, match.id).status == "open"
    accepted = client.post(
        f"/board/matches/{match.id}/accept",
        data={"csrf_token": token, "next": "//evil.example/"},
        follow_redirects=False,
    )
    assert accepted.headers["location"] == "/"  # only same-site paths
    with db() as session:
        assert session.get(Claim, other.id).merged_into_id == billion_claim.id
        actions = [
            e.action
            for e in session.exec(
                select(AuditEvent)
                .where(AuditEvent.entity_type == "claim_match_suggestion", AuditEvent.entity_id == match.id)
                .order_by(col(AuditEvent.id))
            ).all()
        ]
    assert actions == ["claim_match.rejected", "claim_match.undone", "claim_match.accepted"]
