"""Find figures in a sentence and parse them to a value and a unit (`$3 million` -> 3e6 USD, `half` -> 50 %)."""

from __future__ import annotations

import re

from app.extraction.types import Figure

_SMALL = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30,
    "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90, "a": 1, "an": 1,
}  # fmt: skip
_SCALES = {
    "hundred": 1e2, "thousand": 1e3, "k": 1e3, "million": 1e6, "mn": 1e6, "m": 1e6, "mln": 1e6,
    "billion": 1e9, "bn": 1e9, "b": 1e9, "trillion": 1e12, "tn": 1e12, "tr": 1e12,
}  # fmt: skip
_CURRENCY_SIGNS = {"$": "USD", "us$": "USD", "€": "EUR", "£": "GBP", "¥": "JPY", "₴": "UAH", "₽": "RUB"}
_CURRENCY_WORDS = {
    "dollar": "USD", "dollars": "USD", "usd": "USD", "euro": "EUR", "euros": "EUR", "eur": "EUR",
    "pound": "GBP", "pounds": "GBP", "gbp": "GBP", "hryvnia": "UAH", "hryvnias": "UAH", "roubles": "RUB",
    "rubles": "RUB", "yen": "JPY",
}  # fmt: skip
_FRACTIONS = {
    "half": 50.0, "a third": 100 / 3, "one third": 100 / 3, "two thirds": 200 / 3,
    "a quarter": 25.0, "one quarter": 25.0, "three quarters": 75.0,
}  # fmt: skip

_NUMBER = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_WORD_NUMBER = "|".join(sorted((w for w in _SMALL if len(w) > 2), key=len, reverse=True))
_SCALE = r"hundred|thousand|million|billion|trillion|mln|mn|bn|tn|k|m|b"
_MONEY = re.compile(
    rf"(?P<sign>US\$|\$|€|£|¥|₴|₽)\s?(?P<num>{_NUMBER})(?:\s?(?P<scale>{_SCALE})\b)?"
    rf"|\b(?P<num2>{_NUMBER}|{_WORD_NUMBER})(?:\s(?P<scale2>{_SCALE}))?\s(?P<word>"
    + "|".join(_CURRENCY_WORDS)
    + r")\b",
    re.IGNORECASE,
)
_PERCENT = re.compile(rf"\b(?P<num>{_NUMBER})\s?(?:%|per\s?cent\b|percent\b)", re.IGNORECASE)
_FRACTION = re.compile(
    r"\b(?P<frac>two[- ]thirds|three[- ]quarters|(?:a|one) (?:third|quarter)|half)"
    r"(?= of\b| the\b| a\b| its\b| their\b| his\b| her\b| all\b)",
    re.IGNORECASE,
)
_COUNT = re.compile(
    rf"\b(?P<num>{_NUMBER}|{_WORD_NUMBER}|hundreds|thousands|millions|dozens)"
    rf"(?:\s(?P<scale>{_SCALE})\b)?(?:\s(?:of|more))?\s(?P<noun>[a-z][a-z-]{{2,}})",
    re.IGNORECASE,
)
_VAGUE = {"hundreds": 100.0, "thousands": 1000.0, "millions": 1e6, "dozens": 12.0}
# Words after a number that make it a date, an ordinal or a non-quantity rather than a count.
_NOT_COUNTED = frozenset(
    str.split(
        "of and or to the a an in on at for by from with percent per cent january february march april "
        "may june july august september october november december am pm times time point points hundred "
        "hundreds thousand thousands million millions"
    )
)


def parse_number(text: str) -> float | None:
    """'1,200' -> 1200, 'twelve' -> 12, 'hundreds' -> 100; None when it is not a number."""
    lowered = text.lower().replace(",", "")
    if lowered in _VAGUE:
        return _VAGUE[lowered]
    if lowered in _SMALL:
        return float(_SMALL[lowered])
    try:
        return float(lowered)
    except ValueError:
        return None


def find_figures(text: str, offset: int = 0) -> list[Figure]:
    """Money, percentages, fractions and counts in `text`; offsets are shifted by `offset`."""
    figures: list[Figure] = []
    taken: list[tuple[int, int]] = []

    def add(start: int, end: int, value: float, unit: str) -> None:
        if any(start < t_end and t_start < end for t_start, t_end in taken):
            return
        taken.append((start, end))
        figures.append(Figure(text[start:end], value, unit, start + offset, end + offset))

    for match in _MONEY.finditer(text):
        number = parse_number(match.group("num") or match.group("num2") or "")
        if number is None:
            continue
        scale = (match.group("scale") or match.group("scale2") or "").lower()
        if match.group("sign"):
            unit = _CURRENCY_SIGNS[match.group("sign").lower()]
        else:
            unit = _CURRENCY_WORDS[match.group("word").lower()]
        add(match.start(), match.end(), number * _SCALES.get(scale, 1.0), unit)
    for match in _PERCENT.finditer(text):
        number = parse_number(match.group("num"))
        if number is not None:
            add(match.start(), match.end(), number, "%")
    for match in _FRACTION.finditer(text):
        fraction = _FRACTIONS[match.group("frac").lower().replace("-", " ")]
        add(match.start(), match.end(), round(fraction, 2), "%")
    for match in _COUNT.finditer(text):
        raw, noun = match.group("num"), match.group("noun").lower()
        number = parse_number(raw)
        if number is None or noun in _NOT_COUNTED or raw.lower() in ("a", "an", "one"):
            continue
        if re.fullmatch(r"(?:1[89]|20)\d\d", raw) and not match.group("scale"):
            continue  # a year, handled by the dates stage
        scale = (match.group("scale") or "").lower()
        end = match.end()
        add(match.start(), end, number * _SCALES.get(scale, 1.0), _singular(noun))
    return sorted(figures, key=lambda f: (f.start, f.end))


def _singular(noun: str) -> str:
    """A crude singular so that '3 troops' and 'one troop' share a unit."""
    if noun.endswith("ies") and len(noun) > 4:
        return noun[:-3] + "y"
    if noun.endswith("s") and not noun.endswith("ss") and len(noun) > 3:
        return noun[:-1]
    return noun


def figure_key(figure: Figure) -> str:
    """A blocking key: unit plus the value rounded to two significant digits."""
    value = float(f"{figure.value:.2g}") if figure.value else 0.0
    return f"{figure.unit}:{value:g}"


def same_value(a: float, b: float) -> bool:
    """Two reports of one figure agree when they are within 5 % of each other."""
    return abs(a - b) <= 0.05 * max(abs(a), abs(b), 1e-9)
