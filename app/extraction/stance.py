"""Stance as a judgement between a claim and a passage: compare their frames, give a reason a person can check.

A frame is what a passage asserts about something: who (entities), what (content words), how much
(figures with units), when (dates) and which way (agreed or rejected, happened or did not). Two passages
contradict only when they share enough of the frame to be about the same thing and then differ on a
figure, a date or the polarity of a shared predicate. A negation word alone is not a contradiction, and
sharing a topic is not a corroboration.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from app.extraction.figures import same_value
from app.extraction.grouping import Item, Similarity, stem
from app.extraction.types import Figure, SentenceInfo

_DENIAL = re.compile(
    r"\b(?:den(?:y|ies|ied|ying)|refut\w+|untrue|not true|baseless|no evidence|never happened|"
    r"did not happen|didn't happen|fabricat\w+|debunk\w+)\b",
    re.IGNORECASE,
)
_REJECT = re.compile(
    r"\b(?:reject\w*|refus\w+|turn(?:ed|s)? down|vetoe?d?|spurn\w*|backed out|walked away)\b",
    re.IGNORECASE,
)
_AFFIRM = re.compile(r"\b(?:agree[ds]?|agreeing|accept(?:s|ed)?|approv(?:e|es|ed)|consent(?:s|ed)?)\b", re.IGNORECASE)
# "had not agreed", "never accepted", "has yet to approve": an agreement denied is a rejection, not an agreement
_NEGATED_AFFIRM = re.compile(
    r"\b(?:(?:did|does|do|has|have|had|was|were|is|are|would|will)\s*(?:not|n't)|never|no longer|"
    r"(?:has|have|had)\s+yet\s+to)\s+(?:\w+ly\s+|yet\s+|ever\s+|been\s+)?"
    r"(?:agree[ds]?|agreeing|accept(?:s|ed)?|approv(?:e|es|ed)|consent(?:s|ed)?)\b",
    re.IGNORECASE,
)
# "the planned signing did not take place": the event named before the phrase did not happen
_NOT_HAPPENED = re.compile(
    r"\b(?:did not|didn't|has not|hasn't|had not|have not|was not|wasn't|were not|never)\s+"
    r"(?:take place|taken place|happen(?:ed)?|go ahead|gone ahead|materiali[sz]e[d]?|occur(?:red)?)\b"
    r"|\b(?:was|were|has been|had been)\s+(?:cancell?ed|called off|scrapped|postponed indefinitely)\b"
    r"|\bfailure to (\w+)|\bfailed to (\w+)",
    re.IGNORECASE,
)
_EVENT_SUBJECT = re.compile(r"\b(?:the|its|their|his|her)\s+(?:\w+\s+)?(\w{4,}ing)\b", re.IGNORECASE)
_NEGATED_VERB = re.compile(
    r"\b(?:did not|didn't|does not|doesn't|do not|don't|has not|hasn't|had not|hadn't|have not|haven't|"
    r"was not|wasn't|were not|weren't|will not|won't|never)\s+(?:yet\s+|even\s+|ever\s+)?(\w+)",
    re.IGNORECASE,
)
_EXPECTED = re.compile(r"\b(?:expected|scheduled|set|due|planned|plans?|going)\s+to\s+(\w+)", re.IGNORECASE)
# Stems that carry no event of their own: a negated copula or auxiliary says nothing checkable.
_LIGHT = frozenset(str.split("be have do make get go say know want think see need like seem give take"))
TEXT_CACHE = 16384
# A denial or another date is about the same event only when the passages share this many content
# words: a date or a "denied" in a passage on a neighbouring event is no contradiction.
SAME_EVENT_WORDS = 4
SAME_EVENT_SHARE = 0.5  # ... and this share of the shorter passage's content words


@dataclass(frozen=True)
class Verdict:
    stance: str  # "corroborates" | "contradicts"
    confidence: float
    reason: str


@lru_cache(maxsize=TEXT_CACHE)
def polarity(text: str) -> int:
    """+1 when the passage reports acceptance, -1 rejection or denial, 0 when it reports neither.

    When both occur ("requested X, a demand that Y rejected") the later verb settles what happened.
    """
    negated = list(_NEGATED_AFFIRM.finditer(text))
    rejects = [m.start() for m in _REJECT.finditer(text)] + [m.start() for m in _DENIAL.finditer(text)]
    rejects += [m.start() for m in negated]
    affirms = [m.start() for m in _AFFIRM.finditer(text) if not any(n.start() <= m.start() < n.end() for n in negated)]
    if not rejects and not affirms:
        return 0
    if not affirms:
        return -1
    if not rejects:
        return 1
    return -1 if max(rejects) > max(affirms) else 1


@lru_cache(maxsize=TEXT_CACHE)
def is_denial(text: str) -> bool:
    """The passage calls something false or denies it, or denies that an agreement was reached."""
    return bool(_DENIAL.search(text) or _NEGATED_AFFIRM.search(text))


@lru_cache(maxsize=TEXT_CACHE)
def events_not_happened(text: str) -> tuple[frozenset[str], str]:
    """Stems of the events a passage says did not happen, and the phrase that says so."""
    text = text.replace("’", "'")
    stems: set[str] = set()
    phrase = ""
    for match in _NOT_HAPPENED.finditer(text):
        phrase = phrase or match.group(0)
        named = match.group(1) or match.group(2)
        if named:
            stems.add(stem(named.lower()))
            continue
        # the event is the subject named before the phrase ("the planned signing ... did not take place")
        stems.update(stem(m.group(1).lower()) for m in _EVENT_SUBJECT.finditer(text[: match.start()]))
    for match in _NEGATED_VERB.finditer(text):
        verb = stem(match.group(1).lower())
        if len(verb) > 3 and verb not in _LIGHT:
            stems.add(verb)
            phrase = phrase or match.group(0)
    return frozenset(stems), phrase


@lru_cache(maxsize=TEXT_CACHE)
def events_expected_or_done(text: str) -> frozenset[str]:
    """Stems of events a passage reports as done or about to be done (not under a negation)."""
    cleaned = _NEGATED_VERB.sub(" ", _NOT_HAPPENED.sub(" ", text.replace("’", "'")))
    done = {stem(m.group(1).lower()) for m in _EXPECTED.finditer(cleaned)}
    done.update(stem(w) for w in re.findall(r"[a-z]+", cleaned.lower()) if len(w) > 4 and w.endswith("ed"))
    return frozenset(done)


def _polar_word(text: str, sign: int) -> str:
    """The last word that gives a passage its polarity, to quote in a reason."""
    patterns = (_AFFIRM,) if sign > 0 else (_REJECT, _DENIAL, _NEGATED_AFFIRM)
    found = [m for pattern in patterns for m in pattern.finditer(text)]
    return max(found, key=lambda m: m.start()).group(0) if found else ""


_AT_LEAST = re.compile(r"\b(?:more than|over|at least|upwards of|in excess of|above)\s+$", re.IGNORECASE)
_AT_MOST = re.compile(r"\b(?:less than|fewer than|under|up to|at most|nearly|almost|below)\s+$", re.IGNORECASE)
_ABOUT = re.compile(r"\b(?:about|around|roughly|approximately|some|an estimated|close to)\s+$", re.IGNORECASE)
_VAGUE = re.compile(r"^(?:dozens|hundreds|thousands|millions)\b", re.IGNORECASE)
ABOUT_MARGIN = 0.15  # "about 40" agrees with 35 to 46


def figure_range(figure: Figure, info: SentenceInfo) -> tuple[float, float]:
    """The values a figure allows, from the words before it: "more than 40" is any value over 40."""
    before = info.sentence.text[max(0, figure.start - info.sentence.start - 25) : figure.start - info.sentence.start]
    value = figure.value
    if _VAGUE.match(figure.text) or _AT_LEAST.search(before):
        return value * 0.95, float("inf")
    if _AT_MOST.search(before):
        return 0.0, value * 1.05
    if _ABOUT.search(before):
        return value * (1 - ABOUT_MARGIN), value * (1 + ABOUT_MARGIN)
    return value * 0.95, value * 1.05


def _figures_agree(ours: list[Figure], evidence: SentenceInfo, theirs: list[Figure], reference: SentenceInfo) -> bool:
    """Some figure of one passage is compatible with some figure of the other (their ranges meet)."""
    for a in ours:
        low_a, high_a = figure_range(a, evidence)
        for b in theirs:
            low_b, high_b = figure_range(b, reference)
            if same_value(a.value, b.value) or (low_a <= high_b and low_b <= high_a):
                return True
    return False


def _money(figures: list[Figure]) -> dict[str, list[Figure]]:
    units: dict[str, list[Figure]] = {}
    for figure in figures:
        units.setdefault(figure.unit, []).append(figure)
    return units


def same_subject(a: SentenceInfo, b: SentenceInfo) -> bool:
    """Two passages share enough of a frame to be about the same thing: a name and two content words."""
    names = {e.key for e in a.entities if e.key} & {e.key for e in b.entities if e.key}
    words = set(a.tokens) & set(b.tokens)
    return bool(names) and len(words) >= 2


def compare(evidence: SentenceInfo, reference: SentenceInfo, *, grouped: bool = False) -> Verdict | None:
    """A contradiction between a passage and the claim's reference mention, with its reason, or None.

    `grouped`: the passage was grouped with the claim (scored as the same proposition), so the subject is
    settled even when the two name it differently (a country and its capital); it still needs two words.
    """
    text, ref_text = evidence.sentence.text, reference.sentence.text
    words, ref_words = set(evidence.tokens), set(reference.tokens)
    shared_words = len(words & ref_words)
    same_event = shared_words >= SAME_EVENT_WORDS and shared_words >= SAME_EVENT_SHARE * min(len(words), len(ref_words))
    # the same event in other names ("the port authority" / "the exporters"): many shared words will do
    closely_worded = same_event and shared_words > SAME_EVENT_WORDS
    if not (same_subject(evidence, reference) or (grouped and shared_words >= 2) or closely_worded):
        return None
    # "trying to deny" reports an aim, not a denial
    denial = next((m for m in _DENIAL.finditer(text) if not text[: m.start()].lower().endswith("to ")), None)
    if denial and not is_denial(ref_text) and same_event:
        return Verdict("contradicts", 0.55, f"denial: '{denial.group(0)}'")
    ours, theirs = _money(evidence.figures), _money(reference.figures)
    for unit in sorted(set(ours) & set(theirs)):
        if not _figures_agree(ours[unit], evidence, theirs[unit], reference):
            return Verdict("contradicts", 0.6, f"figure differs: {theirs[unit][0].text} vs {ours[unit][0].text}")
    days = {(d.month, d.day) for d in evidence.dates if d.precision == "day"}
    ref_days = {(d.month, d.day) for d in reference.dates if d.precision == "day"}
    if days and ref_days and not days & ref_days and same_event:
        ours_text = next(d.text for d in evidence.dates if d.precision == "day")
        theirs_text = next(d.text for d in reference.dates if d.precision == "day")
        return Verdict("contradicts", 0.5, f"date differs: {theirs_text} vs {ours_text}")
    own, other = polarity(text), polarity(ref_text)
    if own and other and own != other:
        said, claimed = _polar_word(text, own), _polar_word(ref_text, other)
        negated = own < 0 and _NEGATED_AFFIRM.search(text)
        if negated and not _NEGATED_AFFIRM.search(ref_text):
            return Verdict("contradicts", 0.55, f"denial: '{negated.group(0)}' where the claim says '{claimed}'")
        return Verdict("contradicts", 0.5, f"'{said}' where the claim says '{claimed}'")
    not_done, phrase = events_not_happened(text)
    ref_not_done, _ = events_not_happened(ref_text)
    clash = sorted((not_done - ref_not_done) & events_expected_or_done(ref_text))
    if clash:
        return Verdict("contradicts", 0.45, f"denial: '{phrase}' ({clash[0]})")
    clash = sorted((ref_not_done - not_done) & events_expected_or_done(text))
    if clash:
        return Verdict("contradicts", 0.4, f"says '{clash[0]}' happened or was due; the claim says it did not")
    return None


def judge(evidence: SentenceInfo, reference: SentenceInfo, link: float) -> Verdict:
    """The stance of a passage grouped with the claim: it corroborates unless its frame clashes."""
    clash = compare(evidence, reference, grouped=True)
    if clash is not None:
        return clash
    if evidence is reference:
        return Verdict("corroborates", 0.95, "states the claim")
    return Verdict("corroborates", link_confidence(link), f"states the same claim (similarity {link:.2f})")


def link_confidence(link: float) -> float:
    """How often a grouped passage with this pair score states the claim (dev gold, docs/extraction.md)."""
    return round(min(0.9, max(0.5, 0.5 + (link - 0.45) * 1.5)), 3)


def best_passage(reference: Item, candidates: list[Item], similarity: Similarity) -> tuple[Item, float] | None:
    """The candidate most similar to the reference, deterministic on ties."""
    best: tuple[Item, float] | None = None
    for candidate in candidates:
        value = similarity.score(reference, candidate)
        if best is None or value > best[1] + 1e-9:
            best = (candidate, value)
    return best
