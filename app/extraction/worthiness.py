"""Score each sentence 0..1 for holding a verifiable factual assertion, and say which features did it."""

from __future__ import annotations

import re
from typing import Any

from app.extraction.types import DateRef, Entity, Figure, Sentence

THRESHOLD = 0.3
# Without the embedding model the grouping has only words to keep claims apart, and more borderline
# mentions make it merge neighbours (measured on three gold sets): it takes fewer, surer ones.
THRESHOLD_WITHOUT_MODEL = 0.34

_ATTRIBUTION = re.compile(
    r"\b(?:said|says|say|stated|states|announced|announces|declared|told|tells|confirmed|confirms|denied|"
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
_HEDGE = re.compile(
    r"\b(?:may|might|could|perhaps|possibly|likely|unlikely|seems?|appears?|would|i think|we believe|"
    r"in our view|arguably|probably|expects?|expected)\b",
    re.IGNORECASE,
)
_OPINION = re.compile(
    r"\b(?:should|must|ought|clearly|obviously|unfortunately|fortunately|it is worth|interests of|"
    r"important to|necessary to|we need|in fact|of course|cannot be ruled out)\b",
    re.IGNORECASE,
)
_QUOTE = re.compile(r"[\"“][^\"”]{8,}[\"”]|“[^”]{8,}$|^[^“]{8,}”")
_PRONOUN_START = re.compile(r"^(?:It|This|That|These|Those|Such|He|She|They|We|I)\b")
_CAPITALISED = re.compile(r"(?<![.!?]\s)(?<!^)\b[A-Z][a-z]+")


def score_sentence(
    sentence: Sentence, entities: list[Entity], figures: list[Figure], dates: list[DateRef]
) -> tuple[float, dict[str, Any]]:
    """Check-worthiness in 0..1 and the features behind it; headings and questions score 0."""
    text = sentence.text
    features: dict[str, Any] = {"role": sentence.role}
    if sentence.role != "body":
        return 0.0, features
    words = len(text.split())
    people = {e.key or e.text for e in entities}
    features.update(
        figures=len(figures),
        dates=len(dates),
        day_dates=sum(d.precision == "day" for d in dates),
        entities=len(people),
        attribution=bool(_ATTRIBUTION.search(text)),
        action=len(_ACTION.findall(text)),
        quote=bool(_QUOTE.search(text)),
        hedges=len(_HEDGE.findall(text)),
        opinion=len(_OPINION.findall(text)),
        pronoun_start=bool(_PRONOUN_START.match(text)),
        words=words,
    )
    score = 0.1
    score += 0.25 if figures else 0.0
    score += 0.2 if features["day_dates"] else (0.12 if dates else 0.0)
    score += min(0.3, 0.1 * len(people))
    score += 0.2 if features["attribution"] else 0.0
    score += min(0.2, 0.08 * features["action"])
    score += 0.1 if features["quote"] else 0.0
    score -= min(0.2, 0.07 * features["hedges"])
    score -= min(0.3, 0.12 * features["opinion"])
    score -= 0.1 if features["pronoun_start"] and not people else 0.0
    if words < 6:
        score -= 0.2  # fragments rarely hold a whole assertion
    score = round(max(0.0, min(1.0, score)), 3)
    features["score"] = score
    return score, features
