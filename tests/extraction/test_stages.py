"""Each extraction stage on its own: segmentation, figures, dates, entities, worthiness."""

import datetime

from app.extraction.dates import find_dates, guess_published_date
from app.extraction.entities import normalise_name, resolve_aliases, same_surname
from app.extraction.figures import find_figures
from app.extraction.segment import segment_sentences
from app.extraction.types import Entity, Sentence
from app.extraction.worthiness import THRESHOLD, score_sentence
from tests.extraction.articles import COUNCIL_REPORT


def test_segments_keep_exact_offsets_and_abbreviations():
    text = "Vice President J.D. Vance met U.S. officials. He left at 5 p.m. on Friday!\n\nNext line here."
    sentences = segment_sentences(text)
    assert [s.text for s in sentences] == [
        "Vice President J.D. Vance met U.S. officials.",
        "He left at 5 p.m. on Friday!",
        "Next line here.",
    ]
    assert all(text[s.start : s.end] == s.text for s in sentences)


def test_a_dotted_acronym_ends_a_sentence_only_before_a_sentence_opener():
    text = (
        "The mayor rejected a loan without guarantees from the E.U. In turn, the E.U. Commission left. "
        "He met U.K. Prime Minister Lee."
    )
    assert [s.text for s in segment_sentences(text)] == [
        "The mayor rejected a loan without guarantees from the E.U.",
        "In turn, the E.U. Commission left.",
        "He met U.K. Prime Minister Lee.",
    ]


def test_headings_bylines_dates_and_questions_are_marked():
    roles = {s.text: s.role for s in segment_sentences(COUNCIL_REPORT.text)}
    assert roles["Norbridge council backs bridge plan"] == "heading"
    assert roles["Anna Feld"] == "heading"
    assert roles["9 May 2031"] == "heading"
    assert roles["What happens next?"] == "question"


def test_photo_credit_is_not_body():
    sentences = segment_sentences("Jan Novak / City Press / Pool\n\nThe mayor resigned on Monday, aides said.")
    assert sentences[0].role == "credit"
    assert sentences[1].role == "body"


def test_long_sentence_is_cut_at_a_clause():
    text = "The minister said " + ", ".join(f"item {i} was sold" for i in range(30)) + "; the rest was kept."
    sentences = segment_sentences(text)
    assert len(sentences) > 1
    assert all(len(s.text.split()) <= 80 and text[s.start : s.end] == s.text for s in sentences)


def test_figures_parse_money_shares_and_counts():
    money = find_figures("they asked for $500 billion in minerals")
    assert [(f.value, f.unit) for f in money] == [(500_000_000_000.0, "USD")]
    assert [(f.value, f.unit) for f in find_figures("it grants half of the deposits")] == [(50.0, "%")]
    assert [(f.value, f.unit) for f in find_figures("a €2.5bn loan and 12 per cent")] == [
        (2_500_000_000.0, "EUR"),
        (12.0, "%"),
    ]
    assert [(f.value, f.unit) for f in find_figures("3,000 troops and five ships")] == [
        (3000.0, "troop"),
        (5.0, "ship"),
    ]
    assert find_figures("he was elected in 2019") == []


def test_figure_offsets_are_shifted():
    figure = find_figures("about 40% more", offset=100)[0]
    assert (figure.start, figure.end, figure.text) == (106, 109, "40%")


def test_weekday_resolves_before_article_date():
    reference = datetime.date(2025, 2, 14)
    (wednesday,) = find_dates("Also on Wednesday, the minister spoke.", reference)
    assert wednesday.iso == "2025-02-12"
    (explicit,) = find_dates("on February 12, the two spoke", reference)
    assert explicit.iso == "2025-02-12"
    (future,) = find_dates("They will meet on Monday.", reference)
    assert future.iso == "2025-02-17"


def test_dates_without_reference_keep_day_and_month():
    (date,) = find_dates("On 12 February, the call took place")
    assert (date.month, date.day, date.year) == (2, 12, None)
    assert [d.iso for d in find_dates("elected in 2019")] == ["2019"]


def test_published_date_is_guessed_from_a_date_line():
    assert guess_published_date(COUNCIL_REPORT.text) == datetime.date(2031, 5, 9)
    assert guess_published_date("03.03.2025\n\nText.") == datetime.date(2025, 3, 3)
    assert guess_published_date("No date here at all.") is None


def test_misspelled_names_merge_and_different_names_stay_apart():
    def entity(text: str, label: str = "PERSON") -> Entity:
        return Entity(text, label, 0, len(text))

    occurrences = [
        (0, entity("Marta Kowalczyk"), "secretary"),
        (0, entity("Kowalcyk", "ORG"), ""),
        (1, entity("Kowalczik"), "secretary"),
        (1, entity("Lviv", "GPE"), ""),
        (2, entity("Lvov", "GPE"), ""),
        (2, entity("Tom Becker"), ""),
        (2, entity("Anna Becker"), ""),
        (2, entity("Becker"), ""),
        (2, entity("Tom Becker"), ""),
        (0, entity("Iran", "GPE"), ""),
        (1, entity("Iraq", "GPE"), ""),
    ]
    keys = resolve_aliases(occurrences)
    assert keys["marta kowalczyk"] == keys["kowalcyk"] == keys["kowalczik"]
    assert keys["lviv"] == keys["lvov"]
    assert keys["iran"] != keys["iraq"]
    assert keys["tom becker"] != keys["anna becker"]
    assert keys["becker"] == keys["tom becker"]  # a bare surname joins its most frequent full name


def test_surname_similarity_rules():
    assert same_surname("kellerman", "kellermann", shared_context=False)
    assert not same_surname("austria", "australia", shared_context=False)
    assert not same_surname("novak", "nolan", shared_context=True)
    assert normalise_name("President J.D. Vance") == "jd vance"


def test_worthiness_prefers_factual_assertions():
    def score(text: str, role: str = "body") -> float:
        sentence = Sentence(0, len(text), text, 0, role)
        return score_sentence(sentence, [], find_figures(text), find_dates(text))[0]

    factual = "The council approved a budget of $3.2 million on 4 May, officials said."
    opinion = "It is a pleasant town and the weather may improve."
    assert score(factual) >= THRESHOLD > score(opinion)
    assert score("What happens next?", role="question") == 0.0
    # a count or a day is checkable on its own, without a name or a reporting verb
    assert score("More than 60 ships waited at anchor outside the harbour.") >= THRESHOLD
    assert score("Workers walked off the job on 3 March, demanding higher pay.") >= THRESHOLD
    assert score("Many ships waited at anchor outside the harbour.") < THRESHOLD
    # a forecast is not a fact yet
    assert score("Farmers near Carlow expect a good harvest of barley this summer, the union said.") < THRESHOLD
