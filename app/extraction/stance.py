"""Suggest each source's stance on a claim: find the best passage, then look for a contradiction by rule."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from app.extraction.figures import same_value
from app.extraction.grouping import Item, Similarity, stem
from app.extraction.types import SentenceInfo

EVIDENCE_THRESHOLD = 0.2  # below this the best passage of a source is not about the claim
CONTRADICTION_EVIDENCE = 0.3  # a passage found by search must be at least this close to contradict

_DENIAL = re.compile(
    r"\b(?:den(?:y|ies|ied|ying)|refut\w+|untrue|not true|false|wrong|fake|baseless|no evidence|incorrect|"
    r"misleading|never happened|did not happen|fabricat\w+|debunk\w+|no such)\b",
    re.IGNORECASE,
)
_REJECT = re.compile(
    r"\b(?:reject\w*|refus\w+|declin(?:e|es|ed|ing)|dismiss\w*|turn(?:ed|s)? down|vetoe?d?|opposed?|"
    r"spurn\w*|ruled out|rules out|rule out|backed out|walked away|withdr[ae]w\w*)\b",
    re.IGNORECASE,
)
_AFFIRM = re.compile(
    r"\b(?:agree\w*|accept\w*|approv\w+|confirm\w*|sign(?:s|ed)?|endorse\w*|consent\w*|welcomed|"
    r"embraced|committed|granted|grants|offered)\b",
    re.IGNORECASE,
)
_NEGATION = re.compile(r"\b(?:not|never|no longer|n't|neither|nor)\s+((?:\w+\s+){0,2}?\w+)", re.IGNORECASE)
_AUXILIARIES = frozenset(
    str.split("be been being have has had do does did is are was were will would can could the a an to yet even ever")
)
# The same passage is judged against every claim it was found for: its regex readings are kept, in a
# bounded cache so a long run does not grow without limit.
TEXT_CACHE = 16384
_YEAR_CONTEXT = re.compile(r"^(?:in|since|until|by|from|during)\s", re.IGNORECASE)


@dataclass(frozen=True)
class Verdict:
    stance: str
    confidence: float
    reason: str


@lru_cache(maxsize=TEXT_CACHE)
def polarity(text: str) -> int:
    """+1 when the passage reports acceptance, -1 rejection or denial, 0 when it reports neither."""
    rejects = bool(_REJECT.search(text) or _DENIAL.search(text))
    affirms = bool(_AFFIRM.search(text))
    if rejects and not affirms:
        return -1
    if affirms and not rejects:
        return 1
    if rejects and affirms:
        # "requested X, a demand that Y rejected": the later verb settles what happened
        last_reject = max(m.start() for m in list(_REJECT.finditer(text)) + list(_DENIAL.finditer(text)))
        last_affirm = max(m.start() for m in _AFFIRM.finditer(text))
        return -1 if last_reject > last_affirm else 1
    return 0


@lru_cache(maxsize=TEXT_CACHE)
def is_denial(text: str) -> bool:
    """The passage calls something false or denies it."""
    return bool(_DENIAL.search(text))


@lru_cache(maxsize=TEXT_CACHE)
def negated_stems(text: str) -> frozenset[str]:
    """Stems of the verbs a passage negates: 'did not sign' -> {'sign'}."""
    stems = set()
    for match in _NEGATION.finditer(text.replace("’", "'")):
        words = [w for w in re.findall(r"[a-z]+", match.group(1).lower()) if w not in _AUXILIARIES]
        if words:
            stems.add(stem(words[0]))
    return frozenset(stems)


@lru_cache(maxsize=TEXT_CACHE)
def affirmed_stems(text: str) -> frozenset[str]:
    """Stems of every word not under a negation, to compare with another passage's negated verbs."""
    cleaned = _NEGATION.sub(" ", text.replace("’", "'"))
    return frozenset(stem(w) for w in re.findall(r"[a-z]+", cleaned.lower()) if len(w) > 3)


def compare(evidence: SentenceInfo, reference: SentenceInfo, reference_polarity: int) -> Verdict | None:
    """A contradiction between a passage and the claim's reference mention, or None when none is found."""
    text, ref_text = evidence.sentence.text, reference.sentence.text
    if is_denial(text) and not is_denial(ref_text):
        return Verdict("contradicts", 0.8, "denial")
    own = polarity(text)
    if own and reference_polarity and own != reference_polarity:
        return Verdict("contradicts", 0.75, "rejection" if own < 0 else "acceptance against a rejection")
    for negated in negated_stems(text) - negated_stems(ref_text):
        if negated in affirmed_stems(ref_text) and len(negated) > 3:
            return Verdict("contradicts", 0.65, f"negation of '{negated}'")
    figure_clash = _different_figures(evidence, reference)
    if figure_clash:
        return Verdict("contradicts", 0.7, figure_clash)
    date_clash = _different_dates(evidence, reference)
    if date_clash:
        return Verdict("contradicts", 0.65, date_clash)
    return None


def _different_figures(evidence: SentenceInfo, reference: SentenceInfo) -> str:
    """Both give a figure in the same unit and no value agrees."""
    for unit in {f.unit for f in reference.figures} & {f.unit for f in evidence.figures}:
        ours = [f.value for f in evidence.figures if f.unit == unit]
        theirs = [f.value for f in reference.figures if f.unit == unit]
        if not any(same_value(a, b) for a in ours for b in theirs):
            return f"different figure ({unit})"
    return ""


def _different_dates(evidence: SentenceInfo, reference: SentenceInfo) -> str:
    """Both date the event to the day (or to the year, with 'in YYYY') and no date agrees."""

    def days(info: SentenceInfo) -> set[tuple[int | None, int | None]]:
        return {(d.month, d.day) for d in info.dates if d.precision == "day"}

    ours, theirs = days(evidence), days(reference)
    if ours and theirs and not ours & theirs:
        return "different date"
    if not ours and not theirs:
        our_years = {d.year for d in evidence.dates if d.precision == "year" and _YEAR_CONTEXT.match(d.text)}
        their_years = {d.year for d in reference.dates if d.precision == "year" and _YEAR_CONTEXT.match(d.text)}
        if our_years and their_years and not our_years & their_years:
            return "different year"
    return ""


def judge(evidence: Item, reference: Item, reference_polarity: int, similarity: float) -> Verdict:
    """The stance a passage takes on the claim it was found for."""
    clash = compare(evidence.info, reference.info, reference_polarity)
    if clash is not None:
        return clash
    return Verdict("corroborates", round(min(0.95, 0.5 + 0.5 * similarity), 3), "same assertion")


def best_passage(reference: Item, candidates: list[Item], similarity: Similarity) -> tuple[Item, float] | None:
    """The candidate most similar to the reference, deterministic on ties."""
    best: tuple[Item, float] | None = None
    for candidate in candidates:
        value = similarity.score(reference, candidate)
        if best is None or value > best[1] + 1e-9:
            best = (candidate, value)
    return best
