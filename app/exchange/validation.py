"""Check a whole `crosscheck-workspace` document before anything of it is stored.

An import is trusted with nothing: every field is checked for its type, every vocabulary word against
its vocabulary, every source's text against its raw text and hash, every anchor against the text it
points into, every link for an http(s) scheme, and every id for uniqueness, with the same rules the API
applies. All problems are collected, each with the path of the field (`claims[12].mentions[0].end`), so
one run tells the whole story.
"""

from typing import Any

from app.errors import InvalidAnchor
from app.exchange.checker import Checker, Problem, json_name
from app.exchange.export import EXPORT_FORMAT, EXPORT_VERSION
from app.exchange.newsroom_import import newsroom_problems
from app.sources.anchors import resolve_anchor
from app.sources.normalise import normalise_text
from app.sources.service import content_hash
from app.text_rules import (
    CLAIM_TEXT_MAX_CHARS,
    NOTE_MAX_CHARS,
    QUOTE_MAX_CHARS,
    SOURCE_MAX_CHARS,
)
from app.vocabulary import SUGGESTED_STANCES, ClaimKind, ReviewStatus, Role, Stance, Verdict

CLAIM_ORIGINS = ("extracted", "manual", "split")
MENTION_ORIGINS = ("extracted", "manual")
SOURCE_STRINGS = {"filename": 255, "title": 500, "outlet": 200, "author": 200, "language": 20}
MAX_FEATURE_DEPTH = 4
MAX_REASON_LENGTH = 1_000  # a worthiness reason is a line of features, not a document


def _depth(value: Any) -> int:
    if isinstance(value, dict):
        return 1 + max((_depth(v) for v in value.values()), default=0)
    if isinstance(value, list):
        return 1 + max((_depth(v) for v in value), default=0)
    return 0


def _users(check: Checker, document: dict[str, Any]) -> set[str]:
    names: set[str] = set()
    for path, entry in check.items(document, "users", ""):
        name = check.text(entry, "name", path, 100, allow_empty=False)
        check.choice(entry, "role", path, Role.values())
        if name is not None:
            if name in names:
                check.add(f"{path}.name", f"duplicate user {name!r}")
            names.add(name)
    return names


def _sources(check: Checker, document: dict[str, Any]) -> dict[int, str]:
    """Each valid source's normalised text by id."""
    texts: dict[int, str] = {}
    seen_ids: dict[int, str] = {}
    seen_hashes: dict[str, str] = {}
    for path, entry in check.items(document, "sources", ""):
        source_id = check.field(entry, "id", path, int)
        if source_id is not None:
            if source_id < 1:
                check.add(f"{path}.id", "must be a positive integer")
            elif source_id in seen_ids:
                check.add(f"{path}.id", f"duplicate id {source_id} (also {seen_ids[source_id]})")
            else:
                seen_ids[source_id] = path
        raw = check.text(entry, "raw_text", path, SOURCE_MAX_CHARS, allow_empty=False)
        text = check.text(entry, "text", path, None)
        digest = check.field(entry, "sha256", path, str)
        for key, limit in SOURCE_STRINGS.items():
            check.text(entry, key, path, limit, required=False)
        check.link(entry, "url", path)
        check.iso_date(entry, "published_at", path)
        if raw is None:
            continue
        if digest is not None:
            if digest != content_hash(raw):
                check.add(f"{path}.sha256", "does not match the sha256 of raw_text")
            elif digest in seen_hashes:
                check.add(f"{path}.raw_text", f"the same content as {seen_hashes[digest]}")
            seen_hashes[digest] = path
        if text is not None and text != normalise_text(raw):
            check.add(f"{path}.text", "is not raw_text normalised (source text is derived, never edited)")
        elif text is not None and source_id is not None and seen_ids.get(source_id) == path:
            texts[source_id] = text
    return texts


class ClaimChecker:
    """The checks of one claim entry, against the document's sources and users."""

    def __init__(self, check: Checker, texts: dict[int, str], users: set[str], source_ids: set[int]) -> None:
        self.check, self.texts, self.users, self.source_ids = check, texts, users, source_ids

    def source(self, entry: dict[str, Any], path: str, *, required: bool = True) -> str | None:
        """The text of the source the entry names, or None (with a problem when it names none)."""
        source_id = self.check.field(entry, "source_id", path, int, required=required)
        if source_id is None:
            return None
        if source_id not in self.source_ids:
            self.check.add(f"{path}.source_id", f"names source {source_id}, which is not in the document")
            return None
        return self.texts.get(source_id)  # None when that source itself was refused

    def user(self, entry: dict[str, Any], key: str, path: str) -> None:
        name = self.check.field(entry, key, path, str)
        if name is not None and name not in self.users:
            self.check.add(f"{path}.{key}", f"names user {name[:40]!r}, who is not in the document's users")

    def span(self, entry: dict[str, Any], path: str, text: str | None, source_id: Any) -> tuple[int, int] | None:
        """Offsets and quote that must lie in the source and match it exactly."""
        check = self.check
        start, end = check.count(entry, "start", path), check.count(entry, "end", path)
        quote = check.text(entry, "quote", path, QUOTE_MAX_CHARS)
        if text is None or start is None or end is None:
            return None
        if end > len(text):
            check.add(f"{path}.end", f"past the end of source {source_id} ({len(text)} characters)")
        elif start >= end:
            check.add(f"{path}.start", "must be before end")
        elif quote is not None and text[start:end] != quote:
            check.add(f"{path}.quote", f"does not match source {source_id} at {start}..{end}")
        else:
            return start, end
        return None

    def mentions(self, entry: dict[str, Any], path: str) -> None:
        seen: dict[tuple[Any, ...], str] = {}
        for where, mention in self.check.items(entry, "mentions", path):
            text = self.source(mention, where)
            span = self.span(mention, where, text, mention.get("source_id"))
            self.check.choice(mention, "origin", where, MENTION_ORIGINS, required=False)
            self.check.field(mention, "score", where, (int, float), required=False)
            reason = self.check.field(mention, "worthiness_reason", where, str, required=False)
            if reason is not None and len(reason) > MAX_REASON_LENGTH:
                self.check.add(f"{where}.worthiness_reason", f"longer than {MAX_REASON_LENGTH} characters")
            features = self.check.field(mention, "features", where, dict, required=False)
            if features is not None and _depth(features) > MAX_FEATURE_DEPTH:
                self.check.add(f"{where}.features", f"nested deeper than {MAX_FEATURE_DEPTH} levels")
            if span is not None:
                key = (mention.get("source_id"), *span)
                if key in seen:
                    self.check.add(where, f"the same passage as {seen[key]}")
                seen[key] = where

    def stances(self, entry: dict[str, Any], path: str) -> None:
        check = self.check
        suggested: dict[Any, str] = {}
        reviewed: dict[tuple[Any, Any], str] = {}
        for where, stance in check.items(entry, "stances", path):
            text = self.source(stance, where)
            origin = check.choice(stance, "origin", where, ("suggested", "reviewed"))
            if origin == "reviewed":
                check.choice(stance, "stance", where, Stance.values())
                self.user(stance, "reviewer", where)
                check.text(stance, "note", where, NOTE_MAX_CHARS, required=False)
                key = (stance.get("source_id"), stance.get("reviewer"))
                if key in reviewed:
                    check.add(
                        where, f"a second assessment by the same reviewer of the same source (also {reviewed[key]})"
                    )
                reviewed[key] = where
            elif origin == "suggested":
                check.choice(stance, "stance", where, SUGGESTED_STANCES)
                confidence = check.field(stance, "confidence", where, (int, float), required=False)
                if confidence is not None and not 0 <= confidence <= 1:
                    check.add(f"{where}.confidence", "must be between 0 and 1")
                evidence = check.field(stance, "evidence", where, dict, required=False)
                if evidence is not None:
                    if evidence.get("source_id", stance.get("source_id")) != stance.get("source_id"):
                        check.add(f"{where}.evidence.source_id", "must be the stance's source")
                    self.span(evidence, f"{where}.evidence", text, stance.get("source_id"))
                if stance.get("source_id") in suggested:
                    check.add(
                        where, f"a second suggestion for the same source (also {suggested[stance.get('source_id')]})"
                    )
                suggested[stance.get("source_id")] = where

    def adjudications(self, entry: dict[str, Any], path: str) -> None:
        seen: dict[Any, str] = {}
        for where, adjudication in self.check.items(entry, "adjudications", path):
            self.source(adjudication, where)
            self.check.choice(adjudication, "stance", where, Stance.values())
            self.user(adjudication, "editor", where)
            self.check.text(adjudication, "note", where, NOTE_MAX_CHARS, required=False)
            if adjudication.get("source_id") in seen:
                self.check.add(
                    where, f"a second adjudication of the same source (also {seen[adjudication.get('source_id')]})"
                )
            seen[adjudication.get("source_id")] = where

    def evidence(self, entry: dict[str, Any], path: str) -> None:
        check = self.check
        for where, item in check.items(entry, "evidence", path):
            self.user(item, "created_by", where)
            check.text(item, "note", where, NOTE_MAX_CHARS, required=False)
            check.iso_date(item, "accessed_at", where)
            for key in ("prefix", "suffix"):
                check.text(item, key, where, QUOTE_MAX_CHARS, required=False)
            if item.get("source_id") is None:
                check.text(item, "quote", where, QUOTE_MAX_CHARS, allow_empty=False)
                check.link(item, "url", where, required=True)
                continue
            text = self.source(item, where)
            quote = check.text(item, "quote", where, QUOTE_MAX_CHARS, allow_empty=False)
            check.link(item, "url", where)
            start = check.count(item, "start", where, required=False)
            end = check.count(item, "end", where, required=False)
            if text is None or quote is None:
                continue
            try:
                resolve_anchor(
                    text,
                    start=start,
                    end=end,
                    quote=quote,
                    prefix=item.get("prefix") or None,
                    suffix=item.get("suffix") or None,
                )
            except InvalidAnchor as error:
                field = error.errors[0]["field"] if error.errors else "quote"
                check.add(f"{where}.{field}", f"{error.detail} (source {item['source_id']})")


def _claims(
    check: Checker, document: dict[str, Any], texts: dict[int, str], users: set[str], source_ids: set[int]
) -> None:
    claims = ClaimChecker(check, texts, users, source_ids)
    seen_ids: dict[int, str] = {}
    seen_keys: dict[str, str] = {}
    for path, entry in check.items(document, "claims", ""):
        claim_id = check.field(entry, "id", path, int)
        if claim_id is not None:
            if claim_id < 1:
                check.add(f"{path}.id", "must be a positive integer")
            elif claim_id in seen_ids:
                check.add(f"{path}.id", f"duplicate id {claim_id} (also {seen_ids[claim_id]})")
            seen_ids.setdefault(claim_id, path)
        key = check.text(entry, "key", path, 64, required=False)
        if key is not None:
            if key in seen_keys:
                check.add(f"{path}.key", f"duplicate key (also {seen_keys[key]})")
            seen_keys.setdefault(key, path)
        check.text(entry, "text", path, CLAIM_TEXT_MAX_CHARS, allow_empty=False)
        check.choice(entry, "kind", path, ClaimKind.values(), required=False)
        check.choice(entry, "origin", path, CLAIM_ORIGINS, required=False)
        check.field(entry, "text_edited", path, bool, required=False)
        # Stored as exported only to be checked: verdicts, counts and statuses are recomputed on import.
        check.choice(entry, "status", path, ReviewStatus.values(), required=False)
        check.choice(entry, "verdict", path, Verdict.values(), required=False)
        check.field(entry, "has_conflict", path, bool, required=False)
        counts = check.field(entry, "counts", path, dict, required=False)
        if counts is not None:
            for name in ("corroborating", "contradicting", "not_addressing"):
                check.count(counts, name, f"{path}.counts", required=False)
        claims.mentions(entry, path)
        claims.stances(entry, path)
        claims.adjudications(entry, path)
        claims.evidence(entry, path)


def document_problems(document: Any) -> list[Problem]:
    """Every problem of the document, in document order; an empty list means it can be imported."""
    check = Checker()
    if not isinstance(document, dict):
        check.add("", f"the file must hold a JSON object (a {EXPORT_FORMAT} export), not {json_name(type(document))}")
        return check.problems
    if document.get("format") != EXPORT_FORMAT or document.get("version") != EXPORT_VERSION:
        check.add("format", f"expected a {EXPORT_FORMAT} document, version {EXPORT_VERSION}")
        return check.problems
    users = _users(check, document)
    texts = _sources(check, document)
    listed = document.get("sources")
    source_ids = (
        {entry["id"] for entry in listed if isinstance(entry, dict) and type(entry.get("id")) is int}
        if isinstance(listed, list)
        else set()
    )
    _claims(check, document, texts, users, source_ids)
    claims = document.get("claims")
    claim_ids = (
        {entry["id"] for entry in claims if isinstance(entry, dict) and type(entry.get("id")) is int}
        if isinstance(claims, list)
        else set()
    )
    # The newsroom sections (assignments, notes, ratings, proposals, notifications) have their own checker.
    return check.problems + newsroom_problems(document, users, claim_ids)
