"""Split a normalised text into sentences with exact offsets, marking headings, bylines and questions."""

from __future__ import annotations

import re

from app.extraction.types import Sentence

# Words that end with a full stop without ending a sentence.
_ABBREVIATIONS = frozenset(
    str.split(
        "mr mrs ms dr prof sen rep gov gen lt col maj capt sgt st jr sr inc ltd co corp no vs etc jan feb "
        "mar apr jun jul aug sep sept oct nov dec approx dept est fig u.s u.k u.n e.g i.e a.m p.m d.c"
    )
)
# A candidate boundary: closing punctuation, optional closing quotes/brackets, then whitespace.
_BOUNDARY = re.compile(r"[.!?…]+[\"'”’)\]]*(?=\s+)")
_NEXT_START = re.compile(r"\s+([\"'“‘(\[]?[A-Z0-9\u00c0-\u024f])")
_WORD_BEFORE = re.compile(r"([A-Za-z.]+)\.$")
# Words capitalised only when they open a sentence: after "U.S." they end it ("... the U.S. In turn, ...").
_OPENERS = frozenset(
    str.split(
        "a an the in on at as after before but and however meanwhile moreover also this that these those it "
        "he she they we i his her their its there then yet still so if when while although though despite "
        "since for during by with without from to last earlier later according"
    )
)
_DATE_LINE = re.compile(
    r"^\s*(\d{1,2}[./-]\d{1,2}[./-]\d{2,4}|\d{1,2}\s+[A-Z][a-z]+\s+\d{4}|[A-Z][a-z]+\s+\d{1,2},?\s+\d{4})\s*$"
)
# A line that credits the people behind the story or describes a picture: "(Reporting by …; Editing by …)",
# "Photo: …", "Caption: …". Every sentence of it is a credit, not a claim.
_CREDIT_LINE = re.compile(
    r"^\s*[(\[]?\s*(?:(?:additional\s+)?reporting|writing|editing|compiled|photo(?:graph)?s?|pictures?|images?|"
    r"caption|video)\s*(?:by\b|:)",
    re.IGNORECASE,
)
MAX_WORDS = 70  # longer sentences are cut at clause boundaries so that a mention stays quotable
_CLAUSE_BREAK = re.compile(r"(?:;|:|—|–| - |, (?:and|but|while|whereas|although|which) )")


def segment_sentences(text: str) -> list[Sentence]:
    """Every sentence of `text`, in order; `text[s.start:s.end] == s.text` for each."""
    sentences: list[Sentence] = []
    paragraph = 0
    for match in re.finditer(r"[^\n]+", text):
        line_start, line = match.start(), match.group()
        if text[max(0, line_start - 2) : line_start] == "\n\n":
            paragraph += 1
        spans = _split_line(line)
        single = len(spans) == 1
        credit = bool(_CREDIT_LINE.match(line))
        for start, end in spans:
            for piece_start, piece_end in _cut_long(line, start, end):
                piece = line[piece_start:piece_end]
                role = "credit" if credit else _role(piece, whole_line=single)
                sentences.append(Sentence(line_start + piece_start, line_start + piece_end, piece, paragraph, role))
    return sentences


def _split_line(line: str) -> list[tuple[int, int]]:
    """Sentence spans of one line, stripped of surrounding spaces."""
    spans: list[tuple[int, int]] = []
    start = 0
    for boundary in _BOUNDARY.finditer(line):
        end = boundary.end()
        following = _NEXT_START.match(line, end)
        if not following or _is_abbreviation(line[start:end], line[following.start(1) :]):
            continue
        spans.append((start, end))
        start = following.start(1)
    spans.append((start, len(line)))
    result = []
    for span_start, span_end in spans:
        piece = line[span_start:span_end]
        left = len(piece) - len(piece.lstrip())
        right = len(piece.rstrip())
        if right > left:
            result.append((span_start + left, span_start + right))
    return result


def _is_abbreviation(chunk: str, rest: str = "") -> bool:
    """True when the full stop ending `chunk` belongs to an abbreviation or an initial, given the `rest` of the line."""
    if not chunk.endswith("."):
        return False
    found = _WORD_BEFORE.search(chunk)
    if not found:
        return False
    word = found.group(1).lower().strip(".")
    dotted_acronym = bool(re.fullmatch(r"(?:[a-z]\.)+[a-z]", word))
    if dotted_acronym and _first_word(rest) in _OPENERS:
        return False
    # single initials ("J. R. Smith") and dotted acronyms ("U.S.") rarely end a sentence
    return word in _ABBREVIATIONS or len(word) == 1 or dotted_acronym


def _first_word(text: str) -> str:
    found = re.match(r"[\"'“‘(\[]?([A-Za-z]+)", text)
    return found.group(1).lower() if found else ""


def _cut_long(line: str, start: int, end: int) -> list[tuple[int, int]]:
    """Cut a sentence longer than MAX_WORDS at clause breaks near its middle."""
    if len(line[start:end].split()) <= MAX_WORDS:
        return [(start, end)]
    # prefer a clause break, then a comma, then a space, in the middle half of the sentence
    low, high = start + (end - start) // 4, end - (end - start) // 4
    middle = start + (end - start) // 2
    for pattern in (_CLAUSE_BREAK, re.compile(","), re.compile(" ")):
        breaks = [m.start() for m in pattern.finditer(line, low, high)]
        if breaks:
            break
    if not breaks:
        return [(start, end)]
    cut = min(breaks, key=lambda b: (abs(b - middle), b))
    # the break's own punctuation stays with the first half
    head_end = cut + 1 if line[cut] in ";:," else cut
    tail_start = cut + 1
    while tail_start < end and not line[tail_start].isalnum() and line[tail_start] not in "\"“‘'":
        tail_start += 1
    head_end = len(line[:head_end].rstrip(" ,"))
    if head_end <= start or tail_start >= end:
        return [(start, end)]
    return _cut_long(line, start, head_end) + _cut_long(line, tail_start, end)


def _role(piece: str, *, whole_line: bool) -> str:
    """Headings, bylines, photo credits and section-title questions are not claims."""
    stripped = piece.strip("*_# ")
    words = stripped.split()
    if piece.lstrip().startswith("#") or _DATE_LINE.match(stripped) or len(words) == 0:
        return "heading"
    if stripped.endswith("?"):
        return "question"
    if whole_line and "/" in stripped and not stripped.endswith((".", "!", '"', "”")):
        return "credit"
    if whole_line and len(words) <= 15 and not stripped.endswith((".", "!", '"', "”", "’", "'", ")", ":")):
        return "heading"
    if len(words) < 4:
        return "heading"
    return "body"
