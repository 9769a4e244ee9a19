"""Text search uses each database's own engine and gives the same answers on SQLite and PostgreSQL."""

import secrets

from sqlmodel import Session, col, select

from app.claims.fulltext import matching_claim_ids
from app.claims.models import Claim, Mention
from app.sources.models import Source


def _claim(session: Session, source: Source, text: str, quotes: list[str]) -> int:
    claim = Claim(text=text, key=secrets.token_hex(8))
    session.add(claim)
    session.flush()
    for index, quote in enumerate(quotes):
        session.add(Mention(claim_id=claim.id, source_id=source.id, start=index * 10, end=index * 10 + 5, quote=quote))
    session.commit()
    assert claim.id is not None
    return claim.id


def _search(session: Session, query: str) -> set[int]:
    statement = matching_claim_ids(session.get_bind().dialect.name, query)
    if statement is None:
        return set()
    return set(session.exec(select(Claim.id).where(col(Claim.id).in_(statement))).all())  # type: ignore[call-overload]


def test_search_matches_every_word_in_claim_text_or_one_quote(session: Session, fixture_sources: dict) -> None:
    source = next(iter(fixture_sources.values()))
    tag = "zq" + secrets.token_hex(3)
    by_text = _claim(session, source, f"The {tag} council approved 3.5 million for Café repairs", [])
    by_quote = _claim(session, source, "A different wording", [f"officials said {tag} reservoir levels fell"])
    both_words_split = _claim(session, source, f"{tag} alone", ["reservoir mentioned elsewhere"])

    assert _search(session, tag) == {by_text, by_quote, both_words_split}
    assert _search(session, f"{tag} COUNCIL") == {by_text}
    assert _search(session, f"{tag} reservoir") == {by_quote}  # every word within one text or one quote
    assert _search(session, f"CAFÉ {tag}") == {by_text}  # case folded beyond ASCII, accents kept
    assert _search(session, f"{tag} 3.5") == {by_text}


def test_search_follows_edits_and_deletes(session: Session, fixture_sources: dict) -> None:
    source = next(iter(fixture_sources.values()))
    tag = "zq" + secrets.token_hex(3)
    claim_id = _claim(session, source, f"{tag} original wording", [f"{tag} quoted passage"])
    claim = session.get(Claim, claim_id)
    assert claim is not None
    claim.text = "rewritten entirely"
    session.add(claim)
    session.commit()
    assert _search(session, f"{tag} original") == set()
    assert _search(session, "rewritten entirely") >= {claim_id}
    assert _search(session, f"{tag} passage") == {claim_id}
    for mention in session.exec(select(Mention).where(Mention.claim_id == claim_id)).all():
        session.delete(mention)
    session.commit()
    assert _search(session, tag) == set()


def test_hostile_queries_are_words_not_syntax(session: Session, fixture_sources: dict) -> None:
    source = next(iter(fixture_sources.values()))
    tag = "zq" + secrets.token_hex(3)
    claim_id = _claim(session, source, f'{tag} said "no" OR NOT near(x)', [])
    for query in ['"', 'OR NOT', "near(", "'; DROP TABLE claim; --", f'{tag} "no"', "*", "a AND", "NEAR(a b, 2)"]:
        _search(session, query)  # must not raise a syntax error on either engine
    assert _search(session, f'{tag} "no"') == {claim_id}
    assert _search(session, "   ") == set()
    assert _search(session, "!!! ???") == set()
    assert _search(session, f"{tag} !!! ((") == {claim_id}


def test_a_nul_in_the_query_separates_words(session: Session, fixture_sources: dict) -> None:
    """Found by the API fuzzer: a NUL ended the FTS5 string early ("unterminated string", a 500)."""
    source = next(iter(fixture_sources.values()))
    tag = "zn" + secrets.token_hex(3)
    claim_id = _claim(session, source, f"{tag} budget rose", [])
    assert _search(session, f"{tag}\x00budget") == {claim_id}
    assert _search(session, "\x00") == set()
