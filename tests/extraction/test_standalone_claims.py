"""Claims that stand alone (issue 14, part 1): one passage per quotation, the speaker attached, pronouns named.

All text is invented (a town council, a harbour, a bakery), not taken from the corpus.
"""

from app.extraction.analysis import add_document_entities, analyse_document
from app.extraction.attribution import attribute_speakers
from app.extraction.core import extract_claims
from app.extraction.quotations import MAX_QUOTATION_WORDS, join_quotations
from app.extraction.types import Document, SentenceInfo


def _passages(text: str) -> list[SentenceInfo]:
    document = Document(source_id=1, text=text)
    infos = analyse_document(document)
    add_document_entities(document, infos)
    infos = join_quotations(text, infos)
    attribute_speakers(text, infos)
    return infos


def _standalone(text: str, starting: str) -> str:
    return next(i.claim_text for i in _passages(text) if i.sentence.text.startswith(starting))


def test_a_quotation_over_several_sentences_is_one_passage_with_exact_offsets():
    text = (
        "The harbour board met on Monday.\n"
        "“We cannot keep the ferry running. The engines are forty years old. For both towns,” noted Mayor "
        "Alma Brightwater.\n"
        "The vote is due in May."
    )
    infos = _passages(text)
    quotation = [i for i in infos if i.sentence.text.startswith("“We cannot")]
    assert len(quotation) == 1
    passage = quotation[0].sentence
    assert passage.text.endswith("noted Mayor Alma Brightwater.")
    assert text[passage.start : passage.end] == passage.text
    # the fragment that closes the quotation is no longer a sentence of its own
    assert not any(i.sentence.text.startswith("For both towns") for i in infos)
    assert len(infos) == 3


def test_quotations_do_not_join_across_lines_or_when_closed():
    text = "“The bridge is closed,” said Ruth Okafor. The detour adds ten minutes.\n“It reopens in June.”"
    assert [i.sentence.text for i in _passages(text)] == [
        "“The bridge is closed,” said Ruth Okafor.",
        "The detour adds ten minutes.",
        "“It reopens in June.”",
    ]


def test_an_overlong_quotation_is_cut_at_sentence_ends_to_stay_quotable():
    sentence = "The levy on every cargo of grain arriving at the east quay rose again this spring. "
    text = "“" + sentence * 12 + "That is all,” said Ruth Okafor."
    infos = _passages(text)
    assert len(infos) > 1
    assert all(len(i.sentence.text.split()) <= MAX_QUOTATION_WORDS + 5 for i in infos)
    assert all(text[i.sentence.start : i.sentence.end] == i.sentence.text for i in infos)


def test_a_trailing_speaker_is_attached_to_the_quote():
    text = "Ruth Okafor chairs the harbour board.\n“The ferry will stop in May,” she told reporters on Friday."
    assert _standalone(text, "“The ferry") == "Ruth Okafor told reporters on Friday: “The ferry will stop in May.”"


def test_a_named_trailing_speaker_reads_name_first():
    text = "“We will sell the old mill,” the bakery's owner Tomas Reyes said."
    infos = _passages(text)
    assert infos[0].claim_text.endswith("said: “We will sell the old mill.”")
    assert infos[0].speaker == "Tomas Reyes"


def test_a_leading_pronoun_is_resolved_to_the_last_person_named_as_subject():
    text = (
        "Mayor Alma Brightwater met the ferry company's board on Monday. "
        "She said the town would not renew the contract with Tomas Reyes."
    )
    assert _standalone(text, "She said") == (
        "Alma Brightwater said the town would not renew the contract with Tomas Reyes."
    )


def test_a_pronoun_after_an_opening_phrase_and_according_to_him_are_resolved():
    text = (
        "Harbour master Ruth Okafor inspected the pier on Tuesday. "
        "In her report, she wrote that two pylons were cracked. "
        "According to her, repairs will cost more than the town budgeted."
    )
    assert _standalone(text, "In her report") == "In her report, Ruth Okafor wrote that two pylons were cracked."
    assert _standalone(text, "According to her") == (
        "According to Ruth Okafor, repairs will cost more than the town budgeted."
    )


def test_a_role_is_resolved_only_to_a_person_the_article_gives_that_role():
    text = (
        "Finance Minister Lena Marsh met Deputy Minister Paul Grady in Tarnow. "
        "The talks lasted three hours. "
        "The minister said the budget would be cut by 4 percent."
    )
    assert _standalone(text, "The minister said") == "Lena Marsh said the budget would be cut by 4 percent."


def test_a_qualified_role_needs_its_qualifier():
    text = (
        "Valdorian President Ines Kaur met President Omar Velt on Monday. "
        "The Valdorian president said the border would reopen."
    )
    assert _standalone(text, "The Valdorian president") == "Ines Kaur said the border would reopen."
    unresolved = "President Omar Velt arrived on Monday. The Valdorian president said the border would reopen."
    assert _standalone(unresolved, "The Valdorian president") == "The Valdorian president said the border would reopen."


def test_a_pronoun_stays_when_no_person_is_named_before_it():
    text = "The council met on Monday. He said the bridge would close."
    assert _standalone(text, "He said") == "He said the bridge would close."


def test_a_pronoun_stays_when_the_sentence_already_names_its_antecedent():
    text = "Tomas Reyes opened the bakery in 2010. According to Reyes, he and Marsh will meet in June."
    assert _standalone(text, "According to Reyes") == "According to Reyes, he and Marsh will meet in June."


def test_claim_rows_read_as_standalone_while_mentions_keep_the_exact_passage():
    text = (
        "Mayor Alma Brightwater announced on 3 March 2031 that the harbour would close for repairs.\n"
        "“The repairs will cost $4 million. The work starts on 1 April,” she said."
    )
    claims = extract_claims([Document(source_id=7, text=text)], use_embeddings=False)
    quoted = [c for c in claims if "repairs will cost" in c.text]
    assert len(quoted) == 1
    claim = quoted[0]
    assert claim.text == "Alma Brightwater said: “The repairs will cost $4 million. The work starts on 1 April.”"
    (mention,) = [m for m in claim.mentions if m.source_id == 7]
    assert text[mention.start : mention.end] == mention.quote
    assert mention.quote.startswith("“The repairs") and mention.quote.endswith("she said.")


def test_a_quotation_too_long_for_one_passage_stays_one_claim_with_its_speaker():
    sentences = [
        "The ferry has carried islanders since the old bridge fell into the river in the great flood.",
        "It runs every hour from six in the morning until ten at night, in summer and in winter.",
        "The engines are forty years old and the spare parts are no longer made anywhere in the country.",
        "The harbour board voted on Monday to stop paying for repairs after the last breakdown in March.",
        "Without the ferry the island school and the clinic lose most of their staff within a single year.",
    ]
    text = "Harbour master Ruth Okafor spoke on Friday.\n“" + " ".join(sentences) + "”, noted Ruth Okafor."
    infos = _passages(text)
    parts = [i for i in infos if i.quotation is not None]
    assert len(parts) == 2 and all(len(i.sentence.text.split()) <= MAX_QUOTATION_WORDS for i in parts)
    whole = "Ruth Okafor noted: “" + " ".join(sentences) + "”"
    assert [p.claim_text for p in parts] == [whole, whole]
    claims = extract_claims([Document(source_id=3, text=text)], use_embeddings=False)
    quoted = [c for c in claims if any(m.start >= parts[0].sentence.start for m in c.mentions)]
    assert len(quoted) == 1
    assert quoted[0].text == whole
    assert sorted((m.start, m.end) for m in quoted[0].mentions) == [(p.sentence.start, p.sentence.end) for p in parts]
