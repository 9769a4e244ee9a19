"""CSV cells that a spreadsheet would run as formulas are exported as text."""

import csv
import io
import secrets

import pytest
from fastapi.testclient import TestClient

from app.exchange.tabular import spreadsheet_safe

API = "/api/v1"


@pytest.mark.parametrize(
    "cell, expected",
    [
        ('=HYPERLINK("https://evil.example","open")', '\'=HYPERLINK("https://evil.example","open")'),
        ("+1+1", "'+1+1"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1:A9)", "'@SUM(A1:A9)"),
        ("\tcmd", "'\tcmd"),
        ("\rx", "'\rx"),
        ("plain text", "plain text"),
        ("a = b", "a = b"),
        (7, 7),
        ("", ""),
    ],
)
def test_formula_starts_are_prefixed(cell: object, expected: object) -> None:
    assert spreadsheet_safe(cell) == expected


def test_the_csv_export_reads_hostile_titles_and_claims_as_text(
    client: TestClient, editor_headers: dict[str, str]
) -> None:
    marker = secrets.token_hex(4)
    text = f"Case {marker}. The mayor said the bridge will cost $4 million to repair this year."
    title = f'=HYPERLINK("https://evil.example/{marker}","open")'
    source = client.post(f"{API}/sources", headers=editor_headers, json={"text": text, "title": title})
    assert source.status_code == 201, source.text
    source_id = source.json()["source"]["id"] if "source" in source.json() else source.json()["id"]
    claim = client.post(
        f"{API}/claims",
        headers=editor_headers,
        json={
            "source_id": source_id,
            "quote": "the bridge will cost $4 million",
            "text": f"@SUM(A1:A9) the bridge costs $4 million ({marker})",
        },
    )
    assert claim.status_code == 201, claim.text
    export = client.get(f"{API}/export", headers=editor_headers, params={"format": "csv"})
    rows = [r for r in csv.DictReader(io.StringIO(export.text)) if r["claim_id"] == str(claim.json()["id"])]
    assert [(r["claim_text"], r["source_title"]) for r in rows] == [
        (f"'@SUM(A1:A9) the bridge costs $4 million ({marker})", "'" + title)
    ]
