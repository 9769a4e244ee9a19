"""`crosscheck import` trusts nothing in the file: every problem is listed, exit status 1, nothing stored."""

import copy
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import Session, func, select
from typer.testing import CliRunner

from app.auth.actor import SYSTEM
from app.claims.models import Claim
from app.cli import app as cli
from app.db import get_engine, make_engine
from app.exchange.export import export_json
from app.exchange.importer import ImportRefused, import_json
from app.migrate import upgrade
from app.sources.models import Source
from app.sources.normalise import normalise_text
from app.sources.service import content_hash

RAW_ONE = "The council approved a budget of $2 million for road repairs on Monday.\n\nWork starts in May."
RAW_TWO = "Officials said the council rejected the road budget.\n\nA vote is due again in June."


def _source(source_id: int, raw: str) -> dict[str, Any]:
    return {
        "id": source_id,
        "filename": f"{source_id:03d}.txt",
        "title": None,
        "outlet": None,
        "author": None,
        "url": "https://news.example.org/a",
        "language": "en",
        "published_at": "2025-02-20",
        "raw_text": raw,
        "text": normalise_text(raw),
        "sha256": content_hash(raw),
    }


def _mention(source_id: int, raw: str, quote: str) -> dict[str, Any]:
    start = normalise_text(raw).index(quote)
    return {
        "source_id": source_id,
        "start": start,
        "end": start + len(quote),
        "quote": quote,
        "origin": "extracted",
        "score": 0.8,
        "features": {},
    }


def valid_document() -> dict[str, Any]:
    return {
        "format": "crosscheck-workspace",
        "version": 1,
        "users": [{"name": "rita", "role": "reviewer"}, {"name": "ed", "role": "editor"}],
        "sources": [_source(1, RAW_ONE), _source(2, RAW_TWO)],
        "claims": [
            {
                "id": 7,
                "key": "k7",
                "text": "The council approved $2 million for road repairs.",
                "kind": "figure",
                "origin": "extracted",
                "text_edited": False,
                "status": "settled",
                "verdict": "contradicted",
                "counts": {"corroborating": 0, "contradicting": 9, "not_addressing": 0},
                "has_conflict": False,
                "mentions": [_mention(1, RAW_ONE, "approved a budget of $2 million for road repairs")],
                "stances": [
                    {
                        "source_id": 2,
                        "stance": "contradicts",
                        "origin": "suggested",
                        "confidence": 0.7,
                        "evidence": {
                            "source_id": 2,
                            **{
                                k: v
                                for k, v in _mention(2, RAW_TWO, "rejected the road budget").items()
                                if k in ("start", "end", "quote")
                            },
                        },
                    },
                    {"source_id": 1, "stance": "corroborates", "origin": "reviewed", "reviewer": "rita", "note": "ok"},
                ],
                "adjudications": [{"source_id": 2, "stance": "not_addressed", "editor": "ed", "note": ""}],
                "evidence": [
                    {
                        "source_id": 1,
                        "start": None,
                        "end": None,
                        "quote": "$2 million",
                        "prefix": "",
                        "suffix": "",
                        "url": None,
                        "accessed_at": None,
                        "note": "",
                        "created_by": "rita",
                    },
                    {
                        "source_id": None,
                        "quote": "quoted",
                        "prefix": "",
                        "suffix": "",
                        "url": "https://example.org/x",
                        "accessed_at": "2025-03-03",
                        "note": "",
                        "created_by": "rita",
                    },
                ],
            }
        ],
    }


@pytest.fixture
def empty_database(tmp_path: Path, database_url: str) -> Iterator[Session]:
    url = f"sqlite:///{tmp_path / 'empty.db'}"
    upgrade(url)
    engine = make_engine(url)
    with Session(engine) as session:
        yield session
    engine.dispose()


def _stored(session: Session) -> tuple[int, int]:
    return (
        session.exec(select(func.count()).select_from(Source)).one(),
        session.exec(select(func.count()).select_from(Claim)).one(),
    )


def test_a_valid_document_imports_with_its_verdict_recomputed(empty_database: Session) -> None:
    counts = import_json(empty_database, valid_document(), SYSTEM)
    assert counts == {"users": 2, "sources": 2, "claims": 1}
    claim = empty_database.get_one(Claim, 7)
    # The file said "contradicted" with 9 contradicting sources; the decisions say only the claim's own
    # article supports it.
    assert (claim.verdict, claim.corroborating, claim.contradicting, claim.not_addressing) == ("single_source", 1, 0, 1)
    assert json.loads(export_json(empty_database))["claims"][0]["verdict"] == "single_source"


def _with(change: Any) -> dict[str, Any]:
    document = copy.deepcopy(valid_document())
    change(document)
    return document


def _claim(document: dict[str, Any]) -> dict[str, Any]:
    return document["claims"][0]  # type: ignore[no-any-return]


def _set(path: list[Any], value: Any) -> Any:
    def change(document: dict[str, Any]) -> None:
        target = document
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value

    return change


CASES: list[tuple[str, Any, str, str]] = [
    (
        "text not normalise(raw_text)",
        _set(["sources", 0, "text"], "Another text entirely."),
        "sources[0].text",
        "normalised",
    ),
    ("sha256 of other content", _set(["sources", 1, "sha256"], "0" * 64), "sources[1].sha256", "does not match"),
    (
        "mention past the end",
        _set(["claims", 0, "mentions", 0, "end"], 10_000),
        "claims[0].mentions[0].end",
        "past the end of source 1",
    ),
    (
        "mention quote elsewhere",
        _set(["claims", 0, "mentions", 0, "quote"], "Work starts"),
        "claims[0].mentions[0].quote",
        "does not match source 1",
    ),
    (
        "negative offset",
        _set(["claims", 0, "mentions", 0, "start"], -3),
        "claims[0].mentions[0].start",
        "must not be negative",
    ),
    (
        "evidence quote not in text",
        _set(["claims", 0, "evidence", 0, "quote"], "not in the article"),
        "claims[0].evidence[0].quote",
        "not found",
    ),
    (
        "stance pwned",
        _set(["claims", 0, "stances", 1, "stance"], "pwned"),
        "claims[0].stances[1].stance",
        "is not one of",
    ),
    ("kind <script>", _set(["claims", 0, "kind"], "<script>"), "claims[0].kind", "is not one of"),
    ("role root", _set(["users", 0, "role"], "root"), "users[0].role", "is not one of"),
    (
        "counts of -5",
        _set(["claims", 0, "counts", "corroborating"], -5),
        "claims[0].counts.corroborating",
        "must not be negative",
    ),
    (
        "javascript: evidence url",
        _set(["claims", 0, "evidence", 1, "url"], "javascript:alert(document.cookie)"),
        "claims[0].evidence[1].url",
        "http or https",
    ),
    (
        "data: source url",
        _set(["sources", 0, "url"], "data:text/html,<script>alert(1)</script>"),
        "sources[0].url",
        "http or https",
    ),
    (
        "duplicate claim ids",
        lambda d: d["claims"].append(copy.deepcopy(d["claims"][0]) | {"key": "k8"}),
        "claims[1].id",
        "duplicate id 7",
    ),
    ("duplicate source ids", _set(["sources", 1, "id"], 1), "sources[1].id", "duplicate id 1"),
    (
        "missing source",
        _set(["claims", 0, "mentions", 0, "source_id"], 99),
        "claims[0].mentions[0].source_id",
        "not in the document",
    ),
    (
        "unknown reviewer",
        _set(["claims", 0, "stances", 1, "reviewer"], "mallory"),
        "claims[0].stances[1].reviewer",
        "not in the document's users",
    ),
    (
        "offset of the wrong type",
        _set(["claims", 0, "mentions", 0, "start"], "ten"),
        "claims[0].mentions[0].start",
        "must be an integer, not a string",
    ),
    ("boolean as an id", _set(["claims", 0, "id"], True), "claims[0].id", "must be an integer"),
    ("claims not a list", _set(["claims"], {"7": {}}), "claims", "must be a list"),
    ("claim not an object", _set(["claims"], ["a claim"]), "claims[0]", "must be an object"),
    ("missing claim text", lambda d: _claim(d).pop("text"), "claims[0].text", "is missing"),
    ("NUL in a note", _set(["claims", 0, "stances", 1, "note"], "fine\x00"), "claims[0].stances[1].note", "NUL"),
    ("lone surrogate in a claim", _set(["claims", 0, "text"], "half \ud800 a pair"), "claims[0].text", "surrogate"),
    (
        "oversized note",
        _set(["claims", 0, "adjudications", 0, "note"], "n" * 10_001),
        "claims[0].adjudications[0].note",
        "at most 10,000",
    ),
    (
        "confidence of 7",
        _set(["claims", 0, "stances", 0, "confidence"], 7),
        "claims[0].stances[0].confidence",
        "between 0 and 1",
    ),
    (
        "deep features",
        _set(["claims", 0, "mentions", 0, "features"], {"a": [[[[[1]]]]]}),
        "claims[0].mentions[0].features",
        "nested deeper",
    ),
    ("wrong format", _set(["format"], "something-else"), "format", "crosscheck-workspace"),
]


@pytest.mark.parametrize("name, change, path, message", CASES, ids=[case[0] for case in CASES])
def test_each_hostile_document_is_refused_naming_the_field(
    empty_database: Session, name: str, change: Any, path: str, message: str
) -> None:
    with pytest.raises(ImportRefused) as refused:
        import_json(empty_database, _with(change), SYSTEM)
    assert any(p == path and message in m for p, m in refused.value.problems), refused.value.problems
    assert _stored(empty_database) == (0, 0)


def test_a_top_level_list_is_refused(empty_database: Session) -> None:
    with pytest.raises(ImportRefused, match="must hold a JSON object"):
        import_json(empty_database, [valid_document()], SYSTEM)


def test_the_cli_prints_one_line_per_problem_and_stores_nothing(database_url: str, tmp_path: Path) -> None:
    document = valid_document()
    _claim(document)["mentions"][0]["end"] = 10_000
    _claim(document)["stances"][1]["stance"] = "pwned"
    _claim(document)["evidence"][1]["url"] = "javascript:alert(1)"
    target = tmp_path / "hostile.json"
    target.write_text(json.dumps(document), encoding="utf-8")
    with Session(get_engine()) as session:
        before = _stored(session)
    result = CliRunner().invoke(cli, ["import", str(target)])
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"import refused: claims[0].mentions[0].end: past the end of source 1 ({len(normalise_text(RAW_ONE))} "
        "characters)",
        "import refused: claims[0].stances[1].stance: 'pwned' is not one of corroborates, contradicts, "
        "not_addressed, unclear",
        "import refused: claims[0].evidence[1].url: must be an http or https URL",
    ]
    with Session(get_engine()) as session:
        assert _stored(session) == before


@pytest.mark.parametrize(
    "content, expected",
    [
        ("[" * 100_000 + "]" * 100_000, "nests JSON too deeply"),
        ("[1, 2]", "must hold a JSON object"),
        ('{"format": "crosscheck-workspace", "version": 1, "claims": [{"id": NaN}]}', "NaN is not a JSON number"),
        ("{not json", "cannot read"),
    ],
)
def test_files_that_are_not_exports_fail_readably(
    database_url: str, tmp_path: Path, content: str, expected: str
) -> None:
    target = tmp_path / "odd.json"
    target.write_text(content, encoding="utf-8")
    result = CliRunner().invoke(cli, ["import", str(target)])
    assert result.exit_code == 1 and "Traceback" not in result.output
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("import refused: ") and expected in lines[0], lines


def test_many_problems_are_listed_up_to_twenty_and_counted(database_url: str, tmp_path: Path) -> None:
    document = valid_document()
    mention = _claim(document)["mentions"][0]
    _claim(document)["mentions"] = [mention | {"end": 10_000 + i} for i in range(30)]
    target = tmp_path / "many.json"
    target.write_text(json.dumps(document), encoding="utf-8")
    lines = CliRunner().invoke(cli, ["import", str(target)]).stderr.splitlines()
    assert len(lines) == 21 and lines[-1] == "import refused: and 10 more problems"
