"""Normalisation is pinned on every fixture: a change here moves every stored offset."""

import hashlib
from pathlib import Path

import pytest

from app.sources.normalise import normalise_text

SOURCES = Path(__file__).resolve().parents[2] / "fixtures" / "sources"

# (file, normalised length, sha256 prefix of the normalised text)
PINNED = [
    ("000_04c20ae46c03aa3b.txt", 5902, "a282b59ff47fc90e"),
    ("001_82625007ee74e6f5.txt", 9182, "c4c7722fb9a454c1"),
    ("002_01998bc28edd2229.txt", 4605, "095357cdd00e2160"),
    ("003_3fc9ac0f12467eed.txt", 10057, "7c68ed5439ef20ed"),
    ("004_e20be87c51c2aa43.txt", 8281, "c2362244d1d5d391"),
]


def _fixture(name: str) -> str:
    return (SOURCES / name).read_text(encoding="utf-8")


@pytest.mark.parametrize(("name", "length", "digest"), PINNED)
def test_each_fixture_normalises_to_the_pinned_text(name: str, length: int, digest: str) -> None:
    text = normalise_text(_fixture(name))
    assert len(text) == length
    assert hashlib.sha256(text.encode()).hexdigest().startswith(digest)
    assert normalise_text(_fixture(name)) == text  # deterministic
    assert normalise_text(text) == text  # idempotent


def test_page_number_between_title_and_date_is_removed() -> None:
    text = normalise_text(_fixture("000_04c20ae46c03aa3b.txt"))
    assert text.startswith("Trump Cuts Off Talks With Zelensky\n\n03.03.2025\n\nDuring a meeting")


def test_markdown_escapes_and_page_break_splits_are_repaired() -> None:
    text = normalise_text(_fixture("004_e20be87c51c2aa43.txt"))
    assert "like $500 billion of rare earth" in text and "\\$" not in text
    assert "Zelensky declined to acknowledge which territory" in text
    assert "on other battlefields in an emerging imperialist redivision" in text
    assert text.startswith("# Zelensky to meet")


def test_no_break_spaces_and_runs_of_spaces_become_one_space() -> None:
    text = normalise_text(_fixture("000_04c20ae46c03aa3b.txt"))
    assert "\u00a0" not in text and "  " not in text
    assert "How might the botched meeting" in text


def test_rules_on_small_inputs() -> None:
    assert normalise_text("a\r\nb\rc") == "a\nb\nc"
    assert normalise_text("\ufeffTitle  \n\n\n\nBody\t text") == "Title\n\nBody text"
    assert normalise_text("Costs \\$5 and \\*more\\*") == "Costs $5 and *more*"
    # A paragraph that ends a sentence is never joined, even before a lower-case line.
    assert normalise_text("It ended.\n\nand then") == "It ended.\n\nand then"
    assert normalise_text("It went on\n\nand on.") == "It went on and on."
    # Numbers that are part of prose stay; a lone number between blank lines is a page number.
    assert normalise_text("Text one.\n\n12\n\nText two.") == "Text one.\n\nText two."
    assert normalise_text("Votes:\n12\n13") == "Votes:\n12\n13"
