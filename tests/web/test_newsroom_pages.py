"""Over HTTP: the newsroom forms (assign, thread, rating, publish) keep the API's rules — roles, CSRF, escaping."""

from collections.abc import Callable

from sqlmodel import select

from app.claims.models import Claim
from app.newsroom.models import ClaimRating, Note
from tests.web.forms import db


def test_pages_render_and_forms_need_csrf_and_the_right_role(signed_in: Callable, billion_claim: Claim) -> None:
    editor, editor_csrf, _editor_user = signed_in("editor")
    reviewer, reviewer_csrf, reviewer_user = signed_in("reviewer")
    claim_url = f"/claims/{billion_claim.id}"
    for client in (editor, reviewer):
        for path in ("/", "/queue", "/notifications", claim_url):
            page = client.get(path)
            assert page.status_code == 200, (path, page.text[:500])

    # Without the CSRF token nothing is assigned; a reviewer cannot assign at all.
    refused = editor.post("/assignments", data={"claim_id": str(billion_claim.id), "user_id": str(reviewer_user.id)})
    assert refused.status_code == 403
    denied = reviewer.post(
        "/assignments",
        data={"claim_id": str(billion_claim.id), "user_id": str(reviewer_user.id), "csrf_token": reviewer_csrf},
    )
    assert denied.status_code == 403
    done = editor.post(
        "/assignments",
        data={
            "claim_id": str(billion_claim.id),
            "user_id": str(reviewer_user.id),
            "csrf_token": editor_csrf,
            "next": "//evil.example/",
        },
    )
    assert (done.status_code, done.headers["location"]) == (303, "/")  # no open redirect
    queue = reviewer.get("/queue").text
    assert f'data-claim="{billion_claim.id}"' in queue and 'data-testid="unread-count"' in queue

    # A note's markup is escaped; a reviewer proposes, never rates or publishes.
    posted = reviewer.post(
        f"{claim_url}/notes", data={"body": "**bold** <img src=x onerror=alert(1)>", "csrf_token": reviewer_csrf}
    )
    assert posted.status_code == 303
    page = reviewer.get(claim_url).text
    assert "<strong>bold</strong> &lt;img src=x onerror=alert(1)&gt;" in page
    assert (
        reviewer.post(
            f"{claim_url}/rating", data={"rating": "true", "rationale": "x", "csrf_token": reviewer_csrf}
        ).status_code
        == 403
    )
    assert (
        reviewer.post(f"{claim_url}/rating-proposal", data={"rating": "mixed", "csrf_token": reviewer_csrf}).status_code
        == 303
    )
    assert (
        editor.post(
            f"{claim_url}/rating", data={"rating": "mixed", "rationale": "Both ways.", "csrf_token": editor_csrf}
        ).status_code
        == 303
    )
    assert reviewer.post(f"{claim_url}/publish", data={"csrf_token": reviewer_csrf}).status_code == 403
    assert editor.post(f"{claim_url}/publish", data={"csrf_token": editor_csrf}).status_code == 303
    with db() as session:
        rating = session.exec(select(ClaimRating).where(ClaimRating.claim_id == billion_claim.id)).one()
        assert rating.state == "published"
        assert len(session.exec(select(Note).where(Note.claim_id == billion_claim.id)).all()) == 1
    page = editor.get(claim_url).text
    assert "Published" in page and "Unpublish" in page and "proposed the rating" in page

    # The author edits the note from the claim page; the earlier text stays readable there, escaped as before.
    with db() as session:
        note = session.exec(select(Note).where(Note.claim_id == billion_claim.id)).one()
    taken = editor.post(f"/notes/{note.id}/edit", data={"body": "taken over", "csrf_token": editor_csrf})
    assert "Only the note&#39;s author can change it" in editor.get(taken.headers["location"]).text
    assert (
        reviewer.post(
            f"/notes/{note.id}/edit", data={"body": "second *thought*", "version": "1", "csrf_token": reviewer_csrf}
        ).status_code
        == 303
    )
    page = reviewer.get(claim_url).text
    assert "second <em>thought</em>" in page and "edited (v2)" in page and "Earlier versions (1)" in page
    assert "<strong>bold</strong> &lt;img src=x onerror=alert(1)&gt;" in page  # version 1, still escaped
    assert (
        reviewer.post(f"/notes/{note.id}/delete", data={"version": "2", "csrf_token": reviewer_csrf}).status_code == 303
    )
    assert "second <em>thought</em>" not in reviewer.get(claim_url).text
