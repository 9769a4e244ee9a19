"""The web pages over HTTP (no browser): sign-in, CSRF, headers, roles, validation and escaping."""

import re
from collections.abc import Callable

from fastapi.testclient import TestClient
from sqlmodel import select

from app.claims.models import Claim
from app.review.models import Assessment, Evidence
from app.sources.models import Source
from tests.web.forms import PASSWORD, S001, S002, csrf_of, db, new_claim, sign_in


def test_pages_need_sign_in_and_keep_the_target(browser_client: TestClient) -> None:
    response = browser_client.get("/claims/1?x=1")
    assert response.status_code == 303
    assert response.headers["location"] == "/signin?next=%2Fclaims%2F1%3Fx%3D1"


def test_security_headers_and_cookie_flags(browser_client: TestClient, make_user: Callable[..., tuple]) -> None:
    response = browser_client.get("/signin")
    policy = response.headers["content-security-policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy and "frame-ancestors 'none'" in policy
    assert response.headers["x-content-type-options"] == "nosniff"
    user, _headers = make_user("reviewer")
    signed = browser_client.post(
        "/signin", data={"name": user.name, "password": PASSWORD, "csrf_token": csrf_of(browser_client)}
    )
    cookie = signed.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=lax" in cookie


def test_sign_in_needs_the_csrf_token_and_the_right_password(
    browser_client: TestClient, make_user: Callable[..., tuple]
) -> None:
    user, _headers = make_user("reviewer")
    csrf_of(browser_client)
    refused = browser_client.post("/signin", data={"name": user.name, "password": PASSWORD})
    assert refused.status_code == 403
    wrong = browser_client.post(
        "/signin", data={"name": user.name, "password": "nope", "csrf_token": csrf_of(browser_client)}
    )
    assert wrong.status_code == 400 and "do not match" in wrong.text
    assert browser_client.get("/").status_code == 303
    sign_in(browser_client, user.name)
    board = browser_client.get("/")
    assert board.status_code == 200
    assert f">{user.name}</a>" in board.text and ">reviewer</span>" in board.text
    assert "no-store" in board.headers["cache-control"]


def test_open_redirects_are_refused(browser_client: TestClient, make_user: Callable[..., tuple]) -> None:
    user, _headers = make_user("viewer")
    response = browser_client.post(
        "/signin",
        data={"name": user.name, "password": PASSWORD, "next": "//evil.test/", "csrf_token": csrf_of(browser_client)},
    )
    assert response.headers["location"] == "/"


def test_assessment_posts_need_csrf_and_the_reviewer_role(
    signed_in: Callable, billion_claim: Claim, fixture_sources: dict[str, Source]
) -> None:
    client, token, user = signed_in("reviewer")
    url = f"/claims/{billion_claim.id}/sources/{fixture_sources[S002].id}/assessment"
    assert client.post(url, data={"stance": "contradicts"}).status_code == 403
    with db() as session:
        assert session.exec(select(Assessment).where(Assessment.user_id == user.id)).first() is None

    answer = client.post(
        url, data={"stance": "contradicts"}, headers={"X-CSRF-Token": token, "Accept": "application/json"}
    )
    assert answer.status_code == 200
    body = answer.json()
    assert body["verdict"] == "contradicted"
    assert f'data-claim="{billion_claim.id}"' in body["row_html"] and "Contradicts" in body["row_html"]

    bad = client.post(url, data={"stance": "maybe"}, headers={"X-CSRF-Token": token, "Accept": "application/json"})
    assert bad.status_code == 422 and "stance" in bad.text

    viewer_client, viewer_token, _viewer = signed_in("viewer")
    denied = viewer_client.post(url, data={"stance": "corroborates", "csrf_token": viewer_token})
    assert denied.status_code == 403 and "reviewer role" in denied.text


def test_stale_assessment_from_an_old_page_is_not_saved(
    signed_in: Callable, billion_claim: Claim, fixture_sources: dict[str, Source]
) -> None:
    client, token, user = signed_in("reviewer")
    url = f"/claims/{billion_claim.id}/sources/{fixture_sources[S001].id}/assessment"
    client.post(url, data={"stance": "corroborates", "version": "0", "csrf_token": token})
    # A second tab still shows "no assessment yet" (version 0) and tries to record another stance.
    stale = client.post(url, data={"stance": "contradicts", "version": "0", "csrf_token": token})
    assert stale.status_code == 303
    page = client.get(stale.headers["location"])
    assert "changed in another tab" in page.text
    with db() as session:
        assert session.exec(select(Assessment).where(Assessment.user_id == user.id)).one().stance == "corroborates"


def test_evidence_offsets_are_validated_by_the_server(
    signed_in: Callable, billion_claim: Claim, fixture_sources: dict[str, Source]
) -> None:
    client, token, _user = signed_in("reviewer")
    source = fixture_sources[S002]
    quote = "a demand that Zelensky rejected"
    start = source.text.index(quote)
    url = f"/sources/{source.id}/evidence"
    wrong = client.post(
        url,
        data={
            "start": start + 1,
            "end": start + 1 + len(quote),
            "quote": quote,
            "claim_number": billion_claim.id,
            "csrf_token": token,
        },
    )
    assert wrong.status_code == 303
    assert "does not match" in client.get(wrong.headers["location"]).text
    outside = client.post(
        url,
        data={
            "start": 10,
            "end": len(source.text) + 5,
            "quote": "x",
            "claim_number": billion_claim.id,
            "csrf_token": token,
        },
    )
    assert "outside the source text" in client.get(outside.headers["location"]).text
    with db() as session:
        assert session.exec(select(Evidence).where(Evidence.claim_id == billion_claim.id)).first() is None

    right = client.post(
        url,
        data={
            "start": start,
            "end": start + len(quote),
            "quote": quote,
            "claim_number": billion_claim.id,
            "csrf_token": token,
        },
    )
    assert right.headers["location"] == f"/claims/{billion_claim.id}#evidence"
    claim_page = client.get(f"/claims/{billion_claim.id}").text
    assert f'href="/sources/{source.id}#char={start},{start + len(quote)}"' in claim_page


def test_ingestion_errors_are_explained_in_the_page(signed_in: Callable) -> None:
    client, token, _user = signed_in("editor")
    latin1 = client.post(
        "/sources", data={"csrf_token": token}, files={"file": ("article.txt", "café".encode("latin-1"), "text/plain")}
    )
    assert latin1.status_code == 415 and "not UTF-8 text" in latin1.text
    pdf = client.post("/sources", data={"csrf_token": token}, files={"file": ("a.pdf", b"%PDF", "application/pdf")})
    assert pdf.status_code == 415 and "reads .txt and .md files" in pdf.text
    empty = client.post("/sources", data={"csrf_token": token, "text": "  ", "title": "Kept title"})
    assert empty.status_code == 422 and "paste the article" in empty.text and 'value="Kept title"' in empty.text

    stored = client.post(
        "/sources",
        data={"csrf_token": token},
        files={"file": ("note.md", b"# A note\n\nThe <b>minister</b> said 5 & 6.", "text/markdown")},
    )
    assert stored.status_code == 303
    page = client.get(stored.headers["location"]).text
    assert "The &lt;b&gt;minister&lt;/b&gt; said 5 &amp; 6." in page
    again = client.post(
        "/sources",
        data={"csrf_token": token},
        files={"file": ("note.md", b"# A note\n\nThe <b>minister</b> said 5 & 6.", "text/markdown")},
    )
    assert "already stored" in client.get(again.headers["location"]).text


def test_reviewers_cannot_ingest(signed_in: Callable) -> None:
    client, token, _user = signed_in("reviewer")
    assert client.post("/sources", data={"csrf_token": token, "text": "Some text."}).status_code == 403
    assert "needs the editor role" in client.get("/sources").text


def test_board_filters_and_rejects_unknown_values(signed_in: Callable, billion_claim: Claim) -> None:
    client, _token, _user = signed_in("viewer")
    marker = billion_claim.text.rsplit(" ", 1)[1].rstrip(").")
    found = client.get("/", params={"q": f"500 billion {marker}", "kind": "figure"}).text
    assert f'data-claim="{billion_claim.id}"' in found
    assert f'data-claim="{billion_claim.id}"' not in client.get("/", params={"verdict": "disputed"}).text
    bad = client.get("/", params={"verdict": "probably"})
    assert bad.status_code == 422 and "Unknown verdict" in bad.text
    search = client.get("/claims/search", params={"q": marker}).json()
    assert [item["id"] for item in search["items"]] == [billion_claim.id]


def test_editor_merges_and_splits_from_the_claim_page(signed_in: Callable, fixture_sources: dict[str, Source]) -> None:
    client, token, _user = signed_in("editor")
    source = fixture_sources[S002]
    first = new_claim(source, "a demand that Zelensky rejected")
    second = new_claim(source, "this figure is no longer on the table")
    merged = client.post(
        f"/claims/{first.id}/merge", data={"other_id": second.id, "version": first.version, "csrf_token": token}
    )
    assert merged.headers["location"] == f"/claims/{first.id}"
    assert client.get(f"/claims/{second.id}").headers["location"] == f"/claims/{first.id}"
    page = client.get(f"/claims/{first.id}").text
    assert "this figure is no longer on the table" in page and "Split this mention off" in page

    with db() as session:
        current = session.get_one(Claim, first.id)
    mention_id = re.findall(r'name="mention_id" value="(\d+)"', page)[-1]
    split = client.post(
        f"/claims/{first.id}/split",
        data={
            "mention_id": mention_id,
            "version": current.version,
            "text": "The figure is off the table.",
            "csrf_token": token,
        },
    )
    new_id = int(split.headers["location"].rsplit("/", 1)[1])
    assert new_id not in (first.id, second.id)
    assert "The figure is off the table." in client.get(f"/claims/{new_id}").text
    assert "split a mention off" in client.get(f"/claims/{first.id}").text
