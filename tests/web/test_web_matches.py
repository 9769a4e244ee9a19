"""Over HTTP: a suggested match on the claim page, accepted, undone and rejected with one form post each."""

from collections.abc import Callable

from sqlmodel import select

from app.claims.models import Claim, ClaimMatchSuggestion
from app.review.match_suggestions import MatchCandidate, store_match_suggestions
from app.sources.models import Source
from tests.web.forms import S002, db, new_claim


def test_editor_accepts_undoes_and_rejects_a_suggested_match(
    signed_in: Callable, billion_claim: Claim, fixture_sources: dict[str, Source]
) -> None:
    other = new_claim(fixture_sources[S002], "a demand that Zelensky rejected")
    with db() as session:
        store_match_suggestions(session, [MatchCandidate(billion_claim.id or 0, other.id or 0, 0.4,
                                                         "similar passages (0.40); shared figure: $500 billion")])
        session.commit()
        match = session.exec(select(ClaimMatchSuggestion).where(
            ClaimMatchSuggestion.claim_id == min(billion_claim.id or 0, other.id or 0))).one()
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
