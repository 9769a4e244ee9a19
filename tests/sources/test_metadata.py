"""Metadata comes from the header of the text, or stays empty: never invented."""

from datetime import date
from pathlib import Path

import pytest

from app.sources.files import read_manifest
from app.sources.metadata import parse_date, parse_metadata
from app.sources.normalise import normalise_text

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("03.03.2025", date(2025, 3, 3)),
        ("14 February 2025", date(2025, 2, 14)),
        ("February 14, 2025", date(2025, 2, 14)),
        ("2025-02-14", date(2025, 2, 14)),
        ("31.02.2025", None),
        ("in February", None),
        ("14", None),
    ],
)
def test_parse_date(written: str, expected: date | None) -> None:
    assert parse_date(written) == expected


# Texts that print no headline: the manifest gives them a title of the desk's, which parsing must not invent.
DESK_TITLED = {"001_82625007ee74e6f5.txt", "003_3fc9ac0f12467eed.txt"}


def test_fixture_headers_agree_with_the_manifest() -> None:
    manifest = read_manifest(FIXTURES / "sources.toml")
    for name, given in manifest.items():
        parsed = parse_metadata(normalise_text((FIXTURES / "sources" / name).read_text(encoding="utf-8")))
        assert given.title, name  # every source has a title to be known by
        assert parsed.title == (None if name in DESK_TITLED else given.title), name
        assert parsed.published_at == given.published_at, name
        assert parsed.author == given.author, name


def test_prose_opening_gives_no_title_and_body_dates_are_ignored() -> None:
    text = (
        "Officials met on 14 February 2025 in a long meeting that went on for hours and produced a "
        "statement that nobody expected, according to several people familiar with the talks held."
    )
    assert parse_metadata(text) == parse_metadata("")


def test_byline_only_after_a_title() -> None:
    parsed = parse_metadata("# A Headline About Things\n\nBy Jane Roe\n12 March 2024\n\n" + "Body text. " * 30)
    assert (parsed.title, parsed.author, parsed.published_at) == (
        "A Headline About Things",
        "Jane Roe",
        date(2024, 3, 12),
    )
