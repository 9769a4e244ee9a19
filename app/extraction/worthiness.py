"""Score each sentence 0..1 for holding a verifiable factual assertion, and say why in words a person can check."""

from __future__ import annotations

import re
from typing import Any

from app.extraction.types import DateRef, Entity, Figure, Sentence

THRESHOLD = 0.3
# Without the embedding model the grouping has only words to keep claims apart, and more borderline
# mentions make it merge neighbours (measured on three gold sets): it takes fewer, surer ones.
THRESHOLD_WITHOUT_MODEL = 0.34

_ATTRIBUTION = re.compile(
    r"\b(?:said|says|say|stated|(?<!United )states|announced|announces|declared|told|tells|confirmed|confirms|denied|"
    r"denies|reported|reports|claimed|claims|insisted|insists|warned|noted|added|emphasi[sz]ed|stressed|"
    r"revealed|acknowledged|admitted|argued|asserted|explained|indicated|suggested|remarked|wrote|"
    r"according to|ruled out|rules out|rule out|dismissed|rejected|rejects|refused|declined|agreed|"
    r"promised|pledged|vowed|threatened|accused|praised|criticised|criticized|called for|called on|"
    r"informed|assured|reiterated|repeated|described|referred)\b",
    re.IGNORECASE,
)
_ACTION = re.compile(
    r"\b(?:met|meet|meets|meeting|signed|sign|agreed|agreement|deal|approved|passed|voted|elected|appointed|"
    r"resigned|fired|released|arrested|killed|invaded|attacked|deployed|deploy|withdrew|withdraw|"
    r"imposed|launched|spoke|call|called|phone|visited|visit|took place|held|holds|won|lost|"
    r"granted|grants|presented|requested|demanded|proposed|endorsed|suspended|cancelled|canceled|postponed|"
    r"transferred|transfer|paid|pay|provided|provide|sold|bought|raised|cut|increased|fell|rose|"
    r"banned|joined|join|membership|sanctions|tariffs|ceasefire|troops|reserves|peacekeeping|peacekeepers)\b",
    re.IGNORECASE,
)
# "may" only in lower case: "May 4" is a date, not a hedge.
_HEDGE = re.compile(
    r"\bmay\b|\b(?i:might|could|perhaps|possibly|likely|unlikely|seems?|appears?|would|i think|we believe|"
    r"in our view|arguably|probably|expects?|expected)\b"
)
_OPINION = re.compile(
    r"\b(?:should|must|ought|clearly|obviously|unfortunately|fortunately|it is worth|interests of|"
    r"important to|necessary to|we need|in fact|of course|cannot be ruled out|let us|let's)\b",
    re.IGNORECASE,
)
# The author's framing rather than a fact: what a situation "reflects", what is "at stake".
_RHETORIC = re.compile(
    r"\b(?:reflects?|underscores?|highlights?|complexit(?:y|ies)|stakes|at play|dynamics|remains? to be seen|"
    r"time will tell|it remains unclear|landscape|pivotal|ominous(?:ly)?|so-called)\b",
    re.IGNORECASE,
)
# A future the author predicts; a dated future ("will vote on Monday") is a scheduled event instead.
_FUTURE = re.compile(r"\b(?:will|won't|is going to|are going to)\b", re.IGNORECASE)
_QUOTE = re.compile(r"[\"“][^\"”]{8,}[\"”]|“[^”]{8,}$|^[^“]{8,}”")
_PRONOUN_START = re.compile(r"^(?:It|This|That|These|Those|Such|He|She|They|We|I)\b")
_ROLE_REASONS = {
    "heading": "a heading, byline or date line",
    "question": "a question",
    "credit": "a photo credit or caption",
}


def score_sentence(
    sentence: Sentence,
    entities: list[Entity],
    figures: list[Figure],
    dates: list[DateRef],
    speaker: str | None = None,
) -> tuple[float, dict[str, Any]]:
    """Check-worthiness in 0..1 and the features behind it, with `reason`; headings and questions score 0."""
    text = sentence.text
    features: dict[str, Any] = {"role": sentence.role}
    if sentence.role != "body":
        features["reason"] = "not a claim: " + _ROLE_REASONS.get(sentence.role, sentence.role)
        return 0.0, features
    words = len(text.split())
    people = {e.key or e.text for e in entities}
    names = sorted({e.key or e.text: e.text for e in entities}.values())  # as written, one per identity
    attribution = _ATTRIBUTION.search(text)
    actions = _ACTION.findall(text)
    hedges = _HEDGE.findall(text)
    opinions = _OPINION.findall(text)
    rhetoric = _RHETORIC.findall(text)
    future = _FUTURE.search(text)
    # An unanchored forecast of the author's: no date, figure, source or person to hold it to.
    named_people = any(e.label == "PERSON" for e in entities)
    predicted = bool(future) and not (attribution or dates or figures or named_people)
    features.update(
        figures=len(figures),
        dates=len(dates),
        day_dates=sum(d.precision == "day" for d in dates),
        entities=len(people),
        attribution=bool(attribution),
        action=len(actions),
        quote=bool(_QUOTE.search(text)),
        hedges=len(hedges),
        opinion=len(opinions),
        rhetoric=len(rhetoric),
        prediction=predicted,
        pronoun_start=bool(_PRONOUN_START.match(text)),
        words=words,
    )
    score = 0.1
    score += 0.25 if figures else 0.0
    score += 0.2 if features["day_dates"] else (0.12 if dates else 0.0)
    score += min(0.3, 0.1 * len(people))
    score += 0.2 if attribution else 0.0
    score += min(0.2, 0.08 * len(actions))
    score += 0.1 if features["quote"] else 0.0
    score -= min(0.2, 0.07 * len(hedges))
    score -= min(0.3, (0.12 if attribution else 0.2) * len(opinions))  # the author's own, unless attributed
    score -= min(0.24, 0.12 * len(rhetoric))
    score -= 0.1 if predicted else 0.0
    score -= 0.1 if features["pronoun_start"] and not people else 0.0
    if words < 6:
        score -= 0.2  # fragments rarely hold a whole assertion
    score = round(max(0.0, min(1.0, score)), 3)
    features["score"] = score
    features["reason"] = _reason(
        figures, dates, names, attribution, speaker, actions, features, hedges, opinions, rhetoric, future
    )
    return score, features


def _reason(
    figures: list[Figure],
    dates: list[DateRef],
    people: list[str],
    attribution: re.Match[str] | None,
    speaker: str | None,
    actions: list[str],
    features: dict[str, Any],
    hedges: list[str],
    opinions: list[str],
    rhetoric: list[str],
    future: re.Match[str] | None,
) -> str:
    """What made the score, checkable against the passage: 'figure: $4 million; date: 3 May; against: …'."""
    found = []
    if figures:
        found.append("figure: " + ", ".join(f.text for f in figures[:2]))
    if dates:
        found.append("date: " + ", ".join(d.text for d in dates[:2]))
    if attribution:
        who = f"{speaker} " if speaker else ""
        found.append(f"attributed statement ({who}'{attribution.group().lower()}')")
    if actions:
        found.append("event or action: " + ", ".join(dict.fromkeys(a.lower() for a in actions[:3])))
    if people:
        found.append("names: " + ", ".join(people[:3]))
    if features["quote"]:
        found.append("direct quote")
    against = []
    if opinions:
        against.append("opinion: " + ", ".join(dict.fromkeys(f"'{o.lower()}'" for o in opinions)))
    if rhetoric:
        against.append("author's framing: " + ", ".join(dict.fromkeys(f"'{r.lower()}'" for r in rhetoric)))
    if features["prediction"] and future:
        against.append(f"prediction ('{future.group().lower()}': no date, figure, source or person)")
    if hedges:
        against.append("hedged: " + ", ".join(dict.fromkeys(f"'{h.lower()}'" for h in hedges)))
    if features["pronoun_start"] and not people:
        against.append("opens with an unresolved pronoun")
    if features["words"] < 6:
        against.append(f"fragment ({features['words']} words)")
    text = "; ".join(found) if found else "no figure, date, name, event or attribution"
    return text + ("; against: " + "; ".join(against) if against else "")
