"""The pure core of extraction: documents in, claims grouped across sources with stance suggestions out."""

from __future__ import annotations

import hashlib
import heapq
import re
from collections import defaultdict
from collections.abc import Callable, Sequence

from app.extraction import embeddings
from app.extraction.analysis import (
    add_document_entities,
    add_entities,
    analyse_document,
    existing_infos,
    resolve_entities,
)
from app.extraction.attribution import attribute_speakers
from app.extraction.figures import figure_key
from app.extraction.grouping import POSTING_CAP, THRESHOLDS, Item, Similarity, group_items, make_item
from app.extraction.quotations import join_quotations
from app.extraction.stance import best_passage, compare, is_denial, judge
from app.extraction.types import (
    NOT_ADDRESSED_CONFIDENCE,
    ClaimDraft,
    Document,
    ExistingClaim,
    MentionDraft,
    SentenceInfo,
    StanceDraft,
    Stances,
    SuggestedMatchDraft,
)
from app.extraction.worthiness import THRESHOLD, THRESHOLD_WITHOUT_MODEL, score_sentence

STANCE_CANDIDATES = 400  # passages scored per claim when looking for it in sources that lack a mention
CANDIDATES_PER_SOURCE = 8  # of those, at most this many per source
STANCE_POSTING_CAP = 500  # a key in more passages than this is too common to search by
# A passage of a source that holds no mention of the claim contradicts it only when it is this close
# and its frame clashes (a figure, a date, agreed/rejected, happened/did not): a loose candidate set,
# since contradicting passages score low on similarity.
CONTRADICTION_EVIDENCE = 0.2
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
        info.source_id,
        info.sentence.start,
        info.sentence.end,
        info.sentence.text,
        info.score,
        features,
        info.features.get("reason"),
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
            infos = join_quotations(document.text, infos)
            attribute_speakers(document.text, infos)
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
        info.score, info.features = score_sentence(info.sentence, info.entities, info.figures, info.dates, info.speaker)
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
    grouping = group_items(items, similarity, use_vectors=vectors is not None)
    group_at = THRESHOLDS["embeddings" if vectors is not None else "lexical"][0]
    if progress:
        progress(len(documents) + 1, total)

    passages = _passage_index([i for i in all_infos if i.sentence.role == "body"], similarity)
    source_ids = [document.source_id for document in documents]
    claims: list[ClaimDraft] = []
    claim_of_item: dict[int, ClaimDraft | int] = {}  # an item's claim: a new draft or a stored claim's id
    for cluster in _join_quotation_parts(grouping.clusters, items):
        members = [items[i] for i in cluster]
        claim = _build_claim(members, unique, similarity, source_ids, passages, group_at)
        if claim is not None:
            claims.append(claim)
        stored_id = next((m.existing_claim_id for m in members if m.existing_claim_id is not None), None)
        for index in cluster:
            if claim is not None:
                claim_of_item[index] = claim
            elif stored_id is not None:
                claim_of_item[index] = stored_id
    absorbed = join_contradicting_passages(claims, all_infos)
    claims = [claim for claim in claims if id(claim) not in absorbed]
    for index, owner in claim_of_item.items():
        if isinstance(owner, ClaimDraft) and id(owner) in absorbed:
            claim_of_item[index] = absorbed[id(owner)]
    _attach_suggestions(grouping.suggestions, items, claim_of_item)
    if progress:
        progress(total, total)
    claims.sort(key=lambda c: (c.mentions[0].source_id, c.mentions[0].start, c.key))
    return claims


def _join_quotation_parts(clusters: list[list[int]], items: list[Item]) -> list[list[int]]:
    """The parts of one long quotation (cut only so that each stays quotable) are one claim: one cluster."""
    first: dict[tuple[int, int], int] = {}
    target = list(range(len(clusters)))
    for number, cluster in enumerate(clusters):
        for index in cluster:
            info = items[index].info
            if info.quotation is None:
                continue
            owner = first.setdefault((info.source_id, info.quotation), number)
            while target[owner] != owner:
                owner = target[owner]
            stored = {items[i].existing_claim_id for i in clusters[owner] + cluster} - {None}
            if owner != number and target[number] == number and len(stored) <= 1:
                target[number] = owner  # never joins two stored claims
    joined: dict[int, list[int]] = {}
    for number, cluster in enumerate(clusters):
        root = number
        while target[root] != root:
            root = target[root]
        joined.setdefault(root, []).extend(cluster)
    return list(joined.values())


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
    corroborate_at: float,
) -> ClaimDraft | None:
    existing_ids = sorted({m.existing_claim_id for m in members if m.existing_claim_id is not None})
    new_members = [m for m in members if m.existing_claim_id is None]
    if not new_members:
        return None  # a stored claim that no given document mentions needs nothing new

    def centrality(item: Item) -> tuple[bool, float, int, int]:
        # A denial is not the claim's canonical text; otherwise the mention closest to the others is.
        text = item.info.sentence.text
        linked = sum(similarity.score(item, other) for other in members[:12] if other is not item)
        return (
            is_denial(text),
            -round(linked + 0.3 * item.info.score, 6),
            item.info.source_id,
            item.info.sentence.start,
        )

    canonical = min(new_members, key=centrality)
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
            similarity,
            hits.get(source_id, []),
            corroborate_at,
        )
        for source_id in sorted(wanted & set(source_ids))
    }
    key = hashlib.sha1(_normal_text(canonical.info.sentence.text).encode()).hexdigest()[:16]
    return ClaimDraft(
        key=key,
        text=canonical.info.claim_text or canonical.info.sentence.text,
        kind=_kind(canonical.info),
        mentions=[_mention(i) for i in mention_infos],
        stances=Stances(source_ids, addressed),
        existing_claim_id=existing_ids[0] if existing_ids else None,
    )


def _stance(
    source_id: int,
    canonical: Item,
    own_mentions: list[SentenceInfo],
    similarity: Similarity,
    found_passages: list[Item],
    corroborate_at: float,
) -> StanceDraft:
    """One source's stance: from its own mention when the claim holds one, else from a passage found by search.

    A passage found by search corroborates only when it is as close as a grouped mention (the claim's
    confident threshold): being about the same topic is not stating the claim.
    """
    if own_mentions:
        candidates = [
            make_item(-1, info, canonical.vector if info is canonical.info else None) for info in own_mentions
        ]
        found = best_passage(canonical, candidates, similarity)
        assert found is not None
        passage, value = found
        is_canonical = passage.info is canonical.info
        verdict = (
            judge(canonical.info, canonical.info, 1.0) if is_canonical else judge(passage.info, canonical.info, value)
        )
        sentence = passage.info.sentence
        return StanceDraft(
            source_id, verdict.stance, verdict.confidence, sentence.start, sentence.end, sentence.text, verdict.reason
        )
    for passage in sorted(found_passages, key=lambda p: -similarity.score(canonical, p)):
        if similarity.score(canonical, passage) < CONTRADICTION_EVIDENCE:
            break
        value = similarity.score(canonical, passage)
        clash = compare(passage.info, canonical.info)
        if clash is None and value >= corroborate_at:
            clash = judge(passage.info, canonical.info, value)
        if clash is not None:
            sentence = passage.info.sentence
            return StanceDraft(
                source_id,
                clash.stance,
                clash.confidence,
                sentence.start,
                sentence.end,
                sentence.text,
                clash.reason,
            )
    return StanceDraft(source_id, "not_addressed", NOT_ADDRESSED_CONFIDENCE, None, None, None)


def join_contradicting_passages(claims: list[ClaimDraft], infos: list[SentenceInfo]) -> dict[int, ClaimDraft]:
    """A passage found to contradict a claim states the same proposition another way: it becomes a mention.

    Issue 14: the same frame with another figure, date or polarity is the same claim, contradicted. A new
    claim made of that passage alone is absorbed into the claim it contradicts; returned as
    {id(absorbed claim): the claim that took it}.
    """
    by_position = {(i.source_id, i.sentence.start): i for i in infos}
    alone = {
        (c.mentions[0].source_id, c.mentions[0].start): c
        for c in claims
        if len(c.mentions) == 1 and c.existing_claim_id is None
    }
    absorbed: dict[int, ClaimDraft] = {}
    hosts: set[int] = set()  # a claim that took another in is not absorbed itself
    for claim in claims:
        if id(claim) in absorbed:
            continue
        positions = {(m.source_id, m.start) for m in claim.mentions}
        stances = claim.stances.addressed() if isinstance(claim.stances, Stances) else list(claim.stances)
        for stance in stances:
            if stance.stance != "contradicts" or stance.start is None:
                continue
            position = (stance.source_id, stance.start)
            info = by_position.get(position)
            if info is None or position in positions:
                continue
            claim.mentions.append(_mention(info))
            positions.add(position)
            other = alone.get(position)
            if other is not None and other is not claim and id(other) not in absorbed and id(other) not in hosts:
                absorbed[id(other)] = claim
                hosts.add(id(claim))
        claim.mentions.sort(key=lambda m: (m.source_id, m.start))
    return absorbed


def _attach_suggestions(
    suggestions: list[tuple[int, int, float]], items: list[Item], claim_of_item: dict[int, ClaimDraft | int]
) -> None:
    """Give each new claim its uncertain matches: another new claim (by key) or a stored claim (by id)."""
    for a, b, value in suggestions:
        left, right = claim_of_item.get(a), claim_of_item.get(b)
        if left is None or right is None or left is right:
            continue
        if isinstance(left, int) and isinstance(right, int):
            continue  # two stored claims: their mentions are not new, nothing to ask
        if isinstance(left, int) or (isinstance(right, ClaimDraft) and right.key < left.key):
            left, right, a, b = right, left, b, a
        assert isinstance(left, ClaimDraft)
        reason = _match_reason(items[a], items[b], value)
        if isinstance(right, int):
            left.suggested_matches.append(SuggestedMatchDraft(None, right, value, reason))
        else:
            left.suggested_matches.append(SuggestedMatchDraft(right.key, None, value, reason))


def _match_reason(a: Item, b: Item, value: float) -> str:
    """What two passages share, in words a reviewer can check against them."""
    parts = []
    names = sorted({e.text for e in a.info.entities if e.key in b.entities})
    if names:
        parts.append("names: " + ", ".join(names[:3]))
    figures = [f.text for f in a.info.figures if any(figure_key(f) == k for k in b.figures)]
    if figures:
        parts.append("figure: " + figures[0])
    dates = sorted(a.dates & b.dates)
    if dates:
        parts.append("date: " + dates[0].split(":", 1)[-1])
    words = sorted(a.tokens & b.tokens - {n.lower() for n in names})
    if words:
        parts.append("words: " + ", ".join(words[:4]))
    return f"similar passages ({value:.2f}); shared " + "; ".join(parts) if parts else f"similar passages ({value:.2f})"


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
