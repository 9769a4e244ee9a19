"""Text search uses each database's own engine and gives the same answers on SQLite and PostgreSQL."""

import secrets

from sqlmodel import Session, col, select

from app.auth.actor import SYSTEM
from app.claims import service
from app.claims.fulltext import matching_claim_ids
from app.claims.models import Claim, Mention
from app.review import merge
from app.sources.models import Source


def _claim(
    session: Session, source: Source, text: str, quotes: list[str], start: int = 0, origin: str = "extracted"
) -> int:
    claim = Claim(text=text, key=secrets.token_hex(8), origin=origin)
    session.add(claim)
    session.flush()
    for index, quote in enumerate(quotes):
        session.add(
            Mention(
                claim_id=claim.id,
                source_id=source.id,
                start=start + index * 10,
                end=start + index * 10 + 5,
                quote=quote,
                origin=origin,
            )
        )
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
    for query in ['"', "OR NOT", "near(", "'; DROP TABLE claim; --", f'{tag} "no"', "*", "a AND", "NEAR(a b, 2)"]:
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


def test_the_index_follows_the_services_edits_merges_splits_and_new_mentions(
    session: Session, fixture_sources: dict
) -> None:
    """The search index (migration 0011) holds live claims only, each under its text and its mentions' quotes,
    whichever service changes them."""
    source = next(iter(fixture_sources.values()))
    tag = "zm" + secrets.token_hex(3)
    target = _claim(session, source, f"{tag} target wording", [f"{tag} harbour quote"], origin="manual")
    other = _claim(session, source, f"{tag} other wording", [f"{tag} bridge quote"], start=100, origin="manual")
    assert _search(session, tag) == {target, other}

    edited = service.edit_claim(session, SYSTEM, target, version=_version(session, target), text=f"{tag} edited text")
    assert edited.id == target
    assert _search(session, f"{tag} target") == set()
    assert _search(session, f"{tag} edited") == {target}

    merge.merge_claims(session, SYSTEM, target, other, version=_version(session, target))
    assert _search(session, tag) == {target}  # the merged-away claim is gone; its mention came along
    assert _search(session, f"{tag} bridge") == {target}
    assert _search(session, f"{tag} other") == set()  # a tombstone's own wording is not searched

    merge.unmerge_claims(session, SYSTEM, target, other, version=_version(session, target))
    assert _search(session, f"{tag} bridge") == {other}
    assert _search(session, f"{tag} other") == {other}
    assert _search(session, tag) == {target, other}

    harbour = session.exec(select(Mention).where(Mention.claim_id == target)).one()
    session.add(
        Mention(claim_id=target, source_id=source.id, start=500, end=510, quote=f"{tag} lighthouse", origin="manual")
    )
    session.commit()
    assert _search(session, f"{tag} lighthouse") == {target}
    assert _search(session, f"{tag} edited lighthouse") == set()  # every word within one text or one quote

    assert harbour.id is not None
    split = merge.split_mention(
        session, SYSTEM, target, harbour.id, version=_version(session, target), text="A separate wording"
    )
    assert _search(session, f"{tag} harbour") == {split.id}
    assert _search(session, f"{tag} edited") == {target}
    assert _search(session, tag) == {target, other, split.id}


def _version(session: Session, claim_id: int) -> int:
    session.expire_all()
    claim = session.get(Claim, claim_id)
    assert claim is not None
    return claim.version
