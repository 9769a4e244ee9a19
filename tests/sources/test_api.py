"""Ingesting and reading sources over HTTP, including every kind of bad input."""

from collections.abc import Callable

from fastapi.testclient import TestClient
from sqlmodel import Session, func, select

from app.db import get_engine
from app.sources.models import Source

FIXTURE_METADATA = {
    "000_04c20ae46c03aa3b.txt": ("Trump Cuts Off Talks With Zelensky", None, "2025-03-03"),
    "001_82625007ee74e6f5.txt": ("Trump opts for a diplomatic approach to halt the Russian invasion", None, None),
    "002_01998bc28edd2229.txt": (
        "Zelensky to visit Washington for meeting with Trump and minerals deal signing",
        None,
        None,
    ),
    "003_3fc9ac0f12467eed.txt": ("Tensions between the Trump administration and Kyiv erupt in public", None, None),
    "004_e20be87c51c2aa43.txt": (
        "Zelensky to meet with Trump officials following Putin-Trump phone call",
        "Jason Melanovski",
        "2025-02-14",
    ),
}


def _count() -> int:
    with Session(get_engine()) as session:
        return session.exec(select(func.count()).select_from(Source)).one()


def test_every_fixture_is_served_with_its_parsed_metadata(
    client: TestClient, fixture_sources: dict, reviewer_headers: dict
) -> None:
    listing = client.get("/api/v1/sources", params={"limit": 500}, headers=reviewer_headers).json()
    by_name = {item["filename"]: item for item in listing["items"]}
    for name, (title, author, published) in FIXTURE_METADATA.items():
        item = by_name[name]
        assert (item["title"], item["author"], item["published_at"]) == (title, author, published)
        detail = client.get(f"/api/v1/sources/{item['id']}", headers=reviewer_headers).json()
        assert len(detail["text"]) == item["text_length"] and len(detail["sha256"]) == 64


def test_json_ingestion_is_idempotent_and_explicit_metadata_wins(client: TestClient, editor_headers: dict) -> None:
    body = {
        "text": "# A Parsed Heading Here\n\n2 January 2024\n\nSomething happened on Monday.",
        "title": "Given title",
        "url": "https://example.org/a",
    }
    first = client.post("/api/v1/sources", json=body, headers=editor_headers)
    assert first.status_code == 201, first.text
    assert first.json()["created"] is True
    source = first.json()["source"]
    assert source["title"] == "Given title" and source["published_at"] == "2024-01-02"
    again = client.post("/api/v1/sources", json=body, headers=editor_headers)
    assert again.status_code == 200
    assert again.json() == {"created": False, "source": source, "extraction_job_id": None}


def test_upload_of_a_markdown_file(client: TestClient, editor_headers: dict) -> None:
    files = {"file": ("note.md", b"# Uploaded Article Title\n\nA sentence of text.", "text/markdown")}
    response = client.post("/api/v1/sources/upload", files=files, headers=editor_headers)
    assert response.status_code == 201, response.text
    assert response.json()["source"]["filename"] == "note.md"
    assert response.json()["source"]["title"] == "Uploaded Article Title"


def _assert_problem(response, status: int, fragment: str) -> None:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    body = response.json()
    assert body["status"] == status and body["title"] and body["type"]
    assert fragment.lower() in body["detail"].lower(), body


def test_bad_input_is_refused_clearly_and_stores_nothing(
    client: TestClient, editor_headers: dict, make_user: Callable
) -> None:
    before = _count()
    post = lambda headers=editor_headers, **kw: client.post("/api/v1/sources", headers=headers, **kw)  # noqa: E731
    upload = lambda name, data: client.post(  # noqa: E731
        "/api/v1/sources/upload", files={"file": (name, data, "text/plain")}, headers=editor_headers
    )

    _assert_problem(post(json={"text": "  \n\t "}), 422, "empty")
    _assert_problem(post(json={"text": ""}), 422, "empty")
    _assert_problem(
        post(content=b'{"text": "unclosed', headers={**editor_headers, "content-type": "application/json"}), 422, "JSON"
    )
    _assert_problem(post(json={"text": "fine", "colour": "red"}), 422, "colour")
    _assert_problem(post(json={"text": "fine", "filename": "../../etc/passwd"}), 422, "plain file name")
    _assert_problem(upload("bad.txt", b"caf\xe9 latin-1"), 415, "UTF-8")
    _assert_problem(upload("report.pdf", b"%PDF-1.4"), 415, ".txt")
    _assert_problem(upload("empty.txt", b"   "), 422, "empty")
    _assert_problem(post(json={"text": "x" * (5 * 1024 * 1024 + 10)}), 413, "limit")
    _assert_problem(upload("big.txt", b"x" * (6 * 1024 * 1024)), 413, "limit")
    _assert_problem(client.post("/api/v1/sources", json={"text": "no credentials"}), 401, "")
    _assert_problem(
        client.post("/api/v1/sources", json={"text": "viewer"}, headers=make_user("viewer")[1]), 403, "editor"
    )
    _assert_problem(client.get("/api/v1/sources/999999", headers=editor_headers), 404, "999999")
    assert _count() == before


def test_listing_pages_with_a_cursor(client: TestClient, fixture_sources: dict, reviewer_headers: dict) -> None:
    seen: list[int] = []
    cursor = None
    while True:
        params = {"limit": 2} | ({"cursor": cursor} if cursor else {})
        page = client.get("/api/v1/sources", params=params, headers=reviewer_headers).json()
        seen += [item["id"] for item in page["items"]]
        cursor = page["next_cursor"]
        if not cursor:
            break
    assert seen == sorted(seen) and len(seen) == len(set(seen)) == page["total"]
    bad = client.get("/api/v1/sources", params={"cursor": "!!!"}, headers=reviewer_headers)
    _assert_problem(bad, 422, "cursor")


def test_reads_need_credentials_by_default(client: TestClient) -> None:
    _assert_problem(client.get("/api/v1/sources"), 401, "sign in")


def test_an_editor_corrects_a_sources_metadata_and_the_change_is_audited(
    client: TestClient, editor_headers: dict, reviewer_headers: dict
) -> None:
    created = client.post(
        "/api/v1/sources", json={"text": "A short note without a heading, for metadata."}, headers=editor_headers
    ).json()["source"]
    path = f"/api/v1/sources/{created['id']}"
    changed = client.patch(
        path,
        json={
            "title": "Corrected title",
            "outlet": "Example Gazette",
            "published_at": "2025-02-14",
            "url": "https://example.org/note",
        },
        headers=editor_headers,
    )
    assert changed.status_code == 200, changed.text
    body = changed.json()
    assert (body["title"], body["outlet"], body["author"], body["published_at"], body["url"]) == (
        "Corrected title",
        "Example Gazette",
        None,
        "2025-02-14",
        "https://example.org/note",
    )
    cleared = client.patch(path, json={"outlet": "", "author": "A. Writer"}, headers=editor_headers).json()
    assert (cleared["title"], cleared["outlet"], cleared["author"]) == ("Corrected title", None, "A. Writer")
    events = client.get(
        "/api/v1/audit", params={"action": "source.edited", "entity_id": created["id"]}, headers=editor_headers
    ).json()["items"]
    assert [(e["before"], e["after"]) for e in reversed(events)] == [
        (
            {"title": None, "outlet": None, "published_at": None, "url": None},
            {
                "title": "Corrected title",
                "outlet": "Example Gazette",
                "published_at": "2025-02-14",
                "url": "https://example.org/note",
            },
        ),
        ({"outlet": "Example Gazette", "author": None}, {"outlet": None, "author": "A. Writer"}),
    ]

    _assert_problem(client.patch(path, json={"url": "javascript:alert(1)"}, headers=editor_headers), 422, "url")
    _assert_problem(client.patch(path, json={"published_at": "yesterday"}, headers=editor_headers), 422, "published_at")
    _assert_problem(client.patch(path, json={"text": "new text"}, headers=editor_headers), 422, "text")
    assert client.patch(path, json={"title": "Mine"}, headers=reviewer_headers).status_code == 403
    _assert_problem(client.patch("/api/v1/sources/999999", json={"title": "x"}, headers=editor_headers), 404, "source")
    assert client.get(path, headers=editor_headers).json()["title"] == "Corrected title"


def test_a_correction_based_on_an_older_version_is_refused_and_changes_nothing(
    client: TestClient, editor_headers: dict
) -> None:
    created = client.post(
        "/api/v1/sources", json={"text": "A note two editors correct at once."}, headers=editor_headers
    ).json()["source"]
    path = f"/api/v1/sources/{created['id']}"
    read = client.get(path, headers=editor_headers)
    assert read.headers["ETag"] == f'"{read.json()["version"]}"'
    first = client.patch(
        path, json={"outlet": "First Gazette"}, headers={**editor_headers, "If-Match": read.headers["ETag"]}
    )
    assert first.status_code == 200 and first.headers["ETag"] == f'"{read.json()["version"] + 1}"'
    second = client.patch(
        path, json={"outlet": "Second Gazette"}, headers={**editor_headers, "If-Match": read.headers["ETag"]}
    )
    _assert_problem(second, 412, "version")
    assert second.json()["current"]["outlet"] == "First Gazette"
    assert client.get(path, headers=editor_headers).json()["outlet"] == "First Gazette"
    events = client.get(
        "/api/v1/audit", params={"action": "source.edited", "entity_id": created["id"]}, headers=editor_headers
    ).json()["items"]
    assert [e["after"] for e in events] == [{"outlet": "First Gazette"}]
    # A save that names the version it read applies, and a change with no If-Match stays possible for scripts.
    again = client.patch(
        path, json={"outlet": "Second Gazette"}, headers={**editor_headers, "If-Match": first.headers["ETag"]}
    )
    assert again.status_code == 200 and again.json()["outlet"] == "Second Gazette"
    assert client.patch(path, json={"author": "A. Writer"}, headers=editor_headers).status_code == 200
