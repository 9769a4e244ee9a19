"""Over HTTP: withdrawing one's assessment, editing and removing evidence — roles, CSRF and stale versions."""

from collections.abc import Callable

from sqlmodel import select

from app.audit.models import AuditEvent
from app.auth.actor import Actor
from app.claims.models import Claim
from app.review.evidence import add_evidence
from app.review.models import Evidence
from app.sources.models import Source
from tests.web.forms import S002, db

QUOTE = "a demand that Zelensky rejected"


def _evidence(claim: Claim, source: Source, user_id: int, name: str, role: str = "reviewer") -> Evidence:
    with db() as session:
        item = add_evidence(
            session, Actor(name, role, user_id), claim.id or 0, source_id=source.id, quote=QUOTE, note="first note"
        )
        session.expunge(item)
        return item


def test_reviewer_withdraws_their_own_assessment(
    signed_in: Callable, billion_claim: Claim, fixture_sources: dict[str, Source]
) -> None:
    client, token, user = signed_in("reviewer")
    source_id = fixture_sources[S002].id
    base = f"/claims/{billion_claim.id}/sources/{source_id}/assessment"
    client.post(base, data={"stance": "contradicts", "version": "0", "csrf_token": token})
    with db() as session:
        assert session.get_one(Claim, billion_claim.id).verdict == "contradicted"
    page = client.get(f"/claims/{billion_claim.id}").text
    assert f'action="{base}/withdraw"' in page

    assert client.post(f"{base}/withdraw", data={"version": "1"}).status_code == 403  # no CSRF token
    stale = client.post(f"{base}/withdraw", data={"version": "7", "csrf_token": token})
    assert "Not withdrawn" in client.get(stale.headers["location"]).text
    done = client.post(f"{base}/withdraw", data={"version": "1", "csrf_token": token})
    assert done.headers["location"] == f"/claims/{billion_claim.id}#source-{source_id}"
    page = client.get(done.headers["location"]).text
    assert "your assessment was withdrawn" in page and "withdrew the assessment of S" in page
    with db() as session:
        assert session.get_one(Claim, billion_claim.id).verdict == "unverified"
        assert session.exec(
            select(AuditEvent).where(
                AuditEvent.claim_id == billion_claim.id,
                AuditEvent.action == "assessment.deleted",
                AuditEvent.user_id == user.id,
            )
        ).one()
    again = client.post(f"{base}/withdraw", data={"csrf_token": token})
    assert "You have no assessment" in client.get(again.headers["location"]).text


def test_evidence_is_edited_by_its_author_or_an_editor_only(
    signed_in: Callable, billion_claim: Claim, fixture_sources: dict[str, Source]
) -> None:
    author, author_token, author_user = signed_in("reviewer")
    item = _evidence(billion_claim, fixture_sources[S002], author_user.id, author_user.name)
    url = f"/claims/{billion_claim.id}/evidence/{item.id}"
    assert f'action="{url}/edit"' in author.get(f"/claims/{billion_claim.id}").text

    other, other_token, _other = signed_in("reviewer")
    assert f'action="{url}/edit"' not in other.get(f"/claims/{billion_claim.id}").text
    denied = other.post(f"{url}/edit", data={"note": "not mine", "version": "1", "csrf_token": other_token})
    assert "only their own evidence" in other.get(denied.headers["location"]).text

    saved = author.post(
        f"{url}/edit", data={"quote": QUOTE, "note": "second note", "version": "1", "csrf_token": author_token}
    )
    assert saved.headers["location"] == f"/claims/{billion_claim.id}#evidence-{item.id}"
    # A form still holding version 1 (another tab) is refused and the typed text is kept in the page.
    stale = author.post(
        f"{url}/edit", data={"quote": QUOTE, "note": "typed in an old tab", "version": "1", "csrf_token": author_token}
    )
    assert stale.status_code == 409
    assert "this evidence item was changed" in stale.text and 'value="typed in an old tab"' in stale.text
    bad = author.post(
        f"{url}/edit",
        data={"quote": "words the source never says", "note": "", "version": "2", "csrf_token": author_token},
    )
    assert "Evidence not changed" in author.get(bad.headers["location"]).text

    editor, editor_token, _editor = signed_in("editor")
    shorter = "demand that Zelensky"
    edited = editor.post(
        f"{url}/edit", data={"quote": shorter, "note": "trimmed", "version": "2", "csrf_token": editor_token}
    )
    assert edited.status_code == 303
    with db() as session:
        current = session.get_one(Evidence, item.id)
        text = fixture_sources[S002].text
    assert (current.note, current.quote, current.version) == ("trimmed", shorter, 3)
    assert text[current.start or 0 : current.end or 0] == shorter
    assert (
        author.post(
            f"/claims/{billion_claim.id + 999999}/evidence/{item.id}/edit",
            data={"note": "x", "version": "3", "csrf_token": author_token},
        ).status_code
        == 404
    )


def test_evidence_removal_needs_the_current_version(
    signed_in: Callable, billion_claim: Claim, fixture_sources: dict[str, Source]
) -> None:
    client, token, user = signed_in("reviewer")
    item = _evidence(billion_claim, fixture_sources[S002], user.id, user.name)
    url = f"/claims/{billion_claim.id}/evidence/{item.id}/delete"
    assert client.post(url, data={"version": "1"}).status_code == 403
    stale = client.post(url, data={"version": "0", "csrf_token": token})
    assert "Not removed" in client.get(stale.headers["location"]).text
    removed = client.post(url, data={"version": "1", "csrf_token": token})
    assert "Evidence item removed" in client.get(removed.headers["location"]).text
    with db() as session:
        assert session.get(Evidence, item.id) is None
    assert "removed an evidence item" in client.get(f"/claims/{billion_claim.id}").text
