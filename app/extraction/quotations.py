"""Keep a quotation that runs over several sentences together, so one quote is one passage, not several rows."""

from __future__ import annotations

import re

from app.extraction.types import Entity, Sentence, SentenceInfo

# A passage must stay quotable as one mention: the strict scorer ignores mentions over 80 words.
MAX_QUOTATION_WORDS = 75
_WORD = re.compile(r"[A-Za-z0-9$%]+")


def _open_after(text: str, open_before: bool) -> bool:
    """Whether a double quotation is still open at the end of `text`, given the state at its start."""
    state = open_before
    for char in text:
        if char == "“":
            state = True
        elif char == "”":
            state = False
        elif char == '"':
            state = not state
    return state


def join_quotations(text: str, infos: list[SentenceInfo]) -> list[SentenceInfo]:
    """The sentences of one document, those inside one quotation on one line merged into one passage.

    A quotation that opens in one sentence and closes in a later one of the same line (a paragraph)
    becomes one `SentenceInfo` spanning them, its figures, dates, entities and words pooled; when the
    whole would be too long to quote, it is cut at sentence ends into passages under the limit.
    """
    result: list[SentenceInfo] = []
    run: list[SentenceInfo] = []
    open_quote = False
    for info in infos:
        same_line = bool(run) and "\n" not in text[run[-1].sentence.end : info.sentence.start]
        if run and not (open_quote and same_line):
            result.extend(_merged_runs(text, run))
            run = []
            open_quote = False
        run.append(info)
        open_quote = _open_after(info.sentence.text, open_quote)
    if run:
        result.extend(_merged_runs(text, run))
    return result


def _word_count(text: str) -> int:
    return len(_WORD.findall(text))


def _merged_runs(text: str, run: list[SentenceInfo]) -> list[SentenceInfo]:
    """`run` as few passages of whole sentences as the word limit allows, of even length.

    Even pieces, so that the closing words (", said X.") never stand alone; the pieces share a
    `quotation` id, which keeps them in one claim.
    """
    if len(run) == 1:
        return run
    counts = [_word_count(info.sentence.text) for info in run]
    parts = -(-sum(counts) // MAX_QUOTATION_WORDS)
    if parts <= 1:
        return [_merge(text, run)]
    target = sum(counts) / parts
    pieces: list[list[SentenceInfo]] = [[]]
    words = 0
    for info, count in zip(run, counts, strict=True):
        over = words + count > MAX_QUOTATION_WORDS or abs(words + count - target) > abs(words - target)
        if pieces[-1] and over and len(pieces) < parts:
            pieces.append([])
            words = 0
        pieces[-1].append(info)
        words += count
    merged = [_merge(text, piece) for piece in pieces]
    for info in merged:
        info.quotation = run[0].sentence.start
    return merged


def _merge(text: str, piece: list[SentenceInfo]) -> SentenceInfo:
    if len(piece) == 1:
        return piece[0]
    first, last = piece[0].sentence, piece[-1].sentence
    entities: list[Entity] = [e for info in piece for e in info.entities]
    sentence = Sentence(first.start, last.end, text[first.start : last.end], first.paragraph, "body")
    return SentenceInfo(
        source_id=piece[0].source_id,
        sentence=sentence,
        entities=entities,
        figures=[f for info in piece for f in info.figures],
        dates=[d for info in piece for d in info.dates],
        tokens=[t for info in piece for t in info.tokens],
    )
