"""The single entry point: documents in, claims grouped across sources with stance suggestions out."""

from __future__ import annotations

import hashlib
import heapq
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence

from app.extraction import embeddings
from app.extraction.analysis import (
    add_document_entities,
    add_entities,
    analyse_document,
    existing_infos,
    resolve_entities,
)
from app.extraction.grouping import POSTING_CAP, Item, Similarity, group_items, make_item
from app.extraction.stance import CONTRADICTION_EVIDENCE, EVIDENCE_THRESHOLD, best_passage, is_denial, judge, polarity
from app.extraction.types import (
    ClaimDraft,
    Document,
    ExistingClaim,
    MentionDraft,
    SentenceInfo,
    StanceDraft,
    Stances,
)
from app.extraction.worthiness import THRESHOLD, THRESHOLD_WITHOUT_MODEL, score_sentence

STANCE_CANDIDATES = 400  # passages scored per claim when looking for it in sources that lack a mention
CANDIDATES_PER_SOURCE = 8  # of those, at most this many per source
STANCE_POSTING_CAP = 500  # a key in more passages than this is too common to search by
_EVENT_WORDS = re.compile(
    r"\b(?:met|meeting|spoke|call|called|signed|elected|visited|held|took place|announced|launched|"
    r"attacked|invaded|released|deployed|resigned|appointed|voted)\b",
    re.IGNORECASE,
)
_DIRECT_QUOTE = re.compile(r"[\"“][^\"”]{15,}[\"”]")


def _normal_text(text: str) -> str:
    return " ".join(re.findall(r"\w+", text.lower()))


def _kind(info: SentenceInfo) -> str:
    """figure > quote > event > statement, by what the canonical mention carries."""
    if any(f.unit in {"USD", "EUR", "GBP", "JPY", "UAH", "RUB", "%"} for f in info.figures) or len(info.figures) > 1:
        return "figure"
    if _DIRECT_QUOTE.search(info.sentence.text):
        return "quote"
    if any(d.precision == "day" for d in info.dates) or _EVENT_WORDS.search(info.sentence.text):
        return "event"
    return "statement"


def _worth_embedding(info: SentenceInfo) -> bool:
    return score_sentence(info.sentence, info.entities, info.figures, info.dates)[0] >= THRESHOLD


def _mention(info: SentenceInfo) -> MentionDraft:
    features = dict(info.features)
    features["entities"] = sorted({e.key for e in info.entities if e.key})
    features["figures"] = [{"text": f.text, "value": f.value, "unit": f.unit} for f in info.figures]
    features["dates"] = [{"text": d.text, "date": d.iso, "precision": d.precision} for d in info.dates]
    return MentionDraft(
        info.source_id, info.sentence.start, info.sentence.end, info.sentence.text, info.score, features
    )


def extract_claims(
    documents: list[Document],
    existing: Sequence[ExistingClaim] = (),
    *,
    progress: Callable[[int, int], None] | None = None,
    use_embeddings: bool | None = None,
) -> list[ClaimDraft]:
    """Claims found in `documents`, grouped across them and with `existing` claims, in a stable order.

    A claim that matches a stored claim carries its `existing_claim_id`; its `mentions` hold only the
    mentions found in `documents`. Every claim has one stance per document given.
    """
    total = len(documents) + 2  # one step per document, then grouping, then stances
    wanted = embeddings.embeddings_wanted(use_embeddings) and embeddings.available()
    embedder = embeddings.BackgroundEmbedder() if wanted else None
    per_document: list[list[SentenceInfo]] = []
    try:
        for done, document in enumerate(documents, start=1):
            infos = analyse_document(document)
            add_document_entities(document, infos)
            per_document.append(infos)
            if embedder is not None:
                # Alias resolution can only merge names, so a sentence scored on raw names here scores no
                # lower than it will: embedding these covers every mention, a little early.
                embedder.submit([i.sentence.text for i in infos if _worth_embedding(i)])
            if progress:
                progress(done, total)
    except BaseException:
        if embedder is not None:
            embedder.close()
        raise
    stored = existing_infos(existing)
    if stored:
        add_entities([info for info, _ in stored])
    all_infos = [i for infos in per_document for i in infos]
    resolve_entities(all_infos + [info for info, _ in stored])
    for info in all_infos:
        info.score, info.features = score_sentence(info.sentence, info.entities, info.figures, info.dates)
    threshold = THRESHOLD if embedder is not None else THRESHOLD_WITHOUT_MODEL
    mentions = [i for i in all_infos if i.score >= threshold]

    # Identical passages (wire copy, repeated quotes) are grouped once, then expanded again.
    unique: dict[tuple[str, int | None], list[SentenceInfo]] = defaultdict(list)
    for info in mentions:
        unique[(_normal_text(info.sentence.text), None)].append(info)
    for info, claim_id in stored:
        unique[(_normal_text(info.sentence.text), claim_id)].append(info)
    representatives = [group[0] for group in unique.values()]
    vectors = None if embedder is None else embedder.vectors([r.sentence.text for r in representatives])
    items = [
        make_item(index, rep, None if vectors is None else vectors[index], claim_id)
        for index, ((_, claim_id), rep) in enumerate(zip(unique.keys(), representatives, strict=True))
    ]
    similarity = Similarity(items, clauses=vectors is not None)
    clusters = group_items(items, similarity, use_vectors=vectors is not None)
    if progress:
        progress(len(documents) + 1, total)

    passages = _passage_index([i for i in all_infos if i.sentence.role == "body"], similarity)
    source_ids = [document.source_id for document in documents]
    claims: list[ClaimDraft] = []
    for cluster in clusters:
        claim = _build_claim([items[i] for i in cluster], unique, similarity, source_ids, passages)
        if claim is not None:
            claims.append(claim)
    if progress:
        progress(total, total)
    claims.sort(key=lambda c: (c.mentions[0].source_id, c.mentions[0].start, c.key))
    return claims


def _passage_index(infos: list[SentenceInfo], similarity: Similarity) -> tuple[list[Item], dict[str, list[int]]]:
    """Every body sentence as a searchable passage, indexed by its keys."""
    passages = [make_item(index, info) for index, info in enumerate(infos)]
    postings: dict[str, list[int]] = defaultdict(list)
    for passage in passages:
        for key in passage.tokens | passage.entities | passage.figures | passage.dates:
            postings[key].append(passage.index)
    return passages, postings


def _build_claim(
    members: list[Item],
    unique: dict[tuple[str, int | None], list[SentenceInfo]],
    similarity: Similarity,
    source_ids: list[int],
    passages: tuple[list[Item], dict[str, list[int]]],
) -> ClaimDraft | None:
    existing_ids = sorted({m.existing_claim_id for m in members if m.existing_claim_id is not None})
    new_members = [m for m in members if m.existing_claim_id is None]
    if not new_members:
        return None  # a stored claim that no given document mentions needs nothing new
    votes = Counter(polarity(m.info.sentence.text) for m in members)
    majority = 1 if votes[1] > votes[-1] else (-1 if votes[-1] > votes[1] else 0)

    def centrality(item: Item) -> tuple[bool, bool, float, int, int]:
        # The claim is what most sources assert: a denial or a minority polarity is not its canonical text.
        text = item.info.sentence.text
        own = polarity(text)
        linked = sum(similarity.score(item, other) for other in members[:12] if other is not item)
        return (
            is_denial(text),
            bool(majority and own and own != majority),
            -round(linked + 0.3 * item.info.score, 6),
            item.info.source_id,
            item.info.sentence.start,
        )

    canonical = min(new_members, key=centrality)
    majority = majority or polarity(canonical.info.sentence.text)
    mention_infos = sorted(
        {
            (i.source_id, i.sentence.start): i
            for m in new_members
            for i in unique[(_normal_text(m.info.sentence.text), None)]
        }.values(),
        key=lambda i: (i.source_id, i.sentence.start),
    )
    by_source: dict[int, list[SentenceInfo]] = defaultdict(list)
    for info in mention_infos:
        by_source[info.source_id].append(info)
    # Other sources are searched with the canonical and the next most central mentions, since a
    # paraphrase found in one more source often resembles one mention more than the others.
    references = [canonical] + sorted((m for m in new_members if m is not canonical), key=centrality)[:2]
    hits: dict[int, list[Item]] = defaultdict(list)
    for reference in references:
        for source_id, found in _search(reference, similarity, passages).items():
            hits[source_id].extend(found)
    # Only sources holding a mention or a passage that shares keys with the claim are scored; the
    # rest are `not_addressed` without any work (the claim x document product is quadratic).
    wanted = set(by_source) | set(hits)
    addressed = {
        source_id: _stance(
            source_id,
            canonical,
            by_source.get(source_id, []),
            majority,
            similarity,
            hits.get(source_id, []),
            references,
        )
        for source_id in sorted(wanted & set(source_ids))
    }
    key = hashlib.sha1(_normal_text(canonical.info.sentence.text).encode()).hexdigest()[:16]
    return ClaimDraft(
        key=key,
        text=canonical.info.sentence.text,
        kind=_kind(canonical.info),
        mentions=[_mention(i) for i in mention_infos],
        stances=Stances(source_ids, addressed),
        existing_claim_id=existing_ids[0] if existing_ids else None,
    )


def _stance(
    source_id: int,
    canonical: Item,
    own_mentions: list[SentenceInfo],
    majority: int,
    similarity: Similarity,
    found_passages: list[Item],
    references: list[Item],
) -> StanceDraft:
    """The stance of one source: its own mention when it has one, else its passage closest to the claim."""
    if own_mentions:
        candidates = [
            make_item(-1, info, canonical.vector if info is canonical.info else None) for info in own_mentions
        ]
    else:
        candidates = found_passages
    found = best_passage(canonical, candidates, similarity)
    if not own_mentions:
        for reference in references[1:]:
            other = best_passage(reference, candidates, similarity)
            if other is not None and (found is None or other[1] > found[1] + 1e-9):
                found = other
    if found is None or (not own_mentions and found[1] < EVIDENCE_THRESHOLD):
        best = 0.0 if found is None else max(0.0, found[1])
        return StanceDraft(source_id, "not_addressed", round(min(1.0, max(0.5, 1.0 - best)), 3), None, None, None)
    passage, value = found
    verdict = judge(passage, canonical, majority, 1.0 if own_mentions else value)
    if verdict.stance == "contradicts" and not own_mentions and value < CONTRADICTION_EVIDENCE:
        # a loosely related passage that differs is more often another claim than a contradiction
        return StanceDraft(source_id, "not_addressed", round(1.0 - value, 3), None, None, None)
    sentence = passage.info.sentence
    return StanceDraft(source_id, verdict.stance, verdict.confidence, sentence.start, sentence.end, sentence.text)


def _search(
    reference: Item, similarity: Similarity, passages: tuple[list[Item], dict[str, list[int]]]
) -> dict[int, list[Item]]:
    """Passages sharing the reference's keys, best first, by source; keys too common to tell are skipped."""
    items, postings = passages
    cap = max(POSTING_CAP, min(len(items) // 10, STANCE_POSTING_CAP))  # bounded: linear in the corpus
    weight: dict[int, float] = defaultdict(float)
    for key in reference.tokens | reference.entities | reference.figures | reference.dates:
        posting = postings.get(key, [])
        if len(posting) <= cap:
            for index in posting:
                weight[index] += similarity.idf(key)
    ranked = heapq.nsmallest(STANCE_CANDIDATES, weight.items(), key=lambda kv: (-kv[1], kv[0]))
    by_source: dict[int, list[Item]] = defaultdict(list)
    for index, _ in ranked:
        found = by_source[items[index].info.source_id]
        if len(found) < CANDIDATES_PER_SOURCE:  # the passages sharing most keys, scored in full
            found.append(items[index])
    return by_source
