"""Per-document analysis: sentences with their entities, figures, dates and content words."""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Sequence

from app.extraction.dates import find_dates, guess_published_date
from app.extraction.entities import find_entities, normalise_name, resolve_aliases, title_before
from app.extraction.figures import find_figures
from app.extraction.grouping import content_tokens
from app.extraction.segment import segment_sentences
from app.extraction.types import Document, Entity, ExistingClaim, Sentence, SentenceInfo


def analyse_document(document: Document) -> list[SentenceInfo]:
    """Segment a document and find figures, dates and content words in each sentence (entities come later)."""
    reference = document.published_at or guess_published_date(document.text)
    return [_sentence_info(document.source_id, sentence, reference) for sentence in segment_sentences(document.text)]


def _sentence_info(source_id: int, sentence: Sentence, reference: datetime.date | None) -> SentenceInfo:
    """A passage's figures, dates (resolved against `reference`) and content words; entities come later."""
    return SentenceInfo(
        source_id=source_id,
        sentence=sentence,
        figures=find_figures(sentence.text, sentence.start),
        dates=find_dates(sentence.text, reference, sentence.start),
        tokens=content_tokens(sentence.text),
    )


def add_document_entities(document: Document, infos: list[SentenceInfo]) -> None:
    """Named entities of a whole document in one pass (faster, and names keep their context)."""
    (entities,) = find_entities([document.text], [0])
    by_sentence: dict[int, list[Entity]] = defaultdict(list)
    starts = [info.sentence.start for info in infos]
    position = 0
    for entity in entities:  # entities and sentences are both in text order
        while position + 1 < len(starts) and starts[position + 1] <= entity.start:
            position += 1
        if infos and infos[position].sentence.start <= entity.start < infos[position].sentence.end:
            by_sentence[position].append(entity)
    for index, info in enumerate(infos):
        info.entities = by_sentence.get(index, [])


def add_entities(infos: list[SentenceInfo]) -> None:
    """Named entities for a batch of sentences, in one pass of the NER model."""
    found = find_entities([i.sentence.text for i in infos], [i.sentence.start for i in infos])
    for info, entities in zip(infos, found, strict=True):
        info.entities = entities


def existing_infos(existing: Sequence[ExistingClaim]) -> list[tuple[SentenceInfo, int]]:
    """Stored mentions analysed from their quotes alone, each with its claim id."""
    result = []
    for claim in existing:
        for mention in claim.mentions:
            sentence = Sentence(mention.start, mention.end, mention.quote, 0)
            result.append((_sentence_info(mention.source_id, sentence, None), claim.claim_id))
    return result


def resolve_entities(all_infos: list[SentenceInfo]) -> None:
    """Give every entity its workspace-wide identity key."""
    occurrences = [
        (info.source_id, e, title_before(info.sentence.text, e.start - info.sentence.start))
        for info in all_infos
        for e in info.entities
    ]
    keys = resolve_aliases(occurrences)
    for info in all_infos:
        info.entities = [
            Entity(e.text, e.label, e.start, e.end, keys.get(normalise_name(e.text), "")) for e in info.entities
        ]
