"""Check-worthiness keeps checkable facts apart from the author's opinion, framing and forecasts, and says why.

Invented sentences only (a town council, a harbour), none from the corpus.
"""

import pytest

from app.extraction.dates import find_dates
from app.extraction.figures import find_figures
from app.extraction.segment import segment_sentences
from app.extraction.types import Entity, Sentence
from app.extraction.worthiness import THRESHOLD, score_sentence


def _scored(text: str, role: str = "body", people: tuple[str, ...] = (), speaker: str | None = None):
    entities = [Entity(name, "PERSON", text.index(name), text.index(name) + len(name)) for name in people]
    sentence = Sentence(0, len(text), text, 0, role)
    return score_sentence(sentence, entities, find_figures(text), find_dates(text), speaker)


@pytest.mark.parametrize(
    ("text", "people", "speaker", "expected"),
    [
        ("The council approved a budget of $3.2 million on 4 May.", (), None, ["figure: $3.2 million", "date: 4 May"]),
        (
            "Mayor Ruth Okafor said the bridge had closed.",
            ("Ruth Okafor",),
            "Ruth Okafor",
            ["attributed statement (Ruth Okafor 'said')", "names: Ruth Okafor"],
        ),
        ("The strike began on May 4.", (), None, ["date: May 4"]),
    ],
)
def test_a_checkable_fact_passes_and_its_reason_names_what_makes_it_checkable(text, people, speaker, expected):
    score, features = _scored(text, people=people, speaker=speaker)
    assert score >= THRESHOLD
    for part in expected:
        assert part in features["reason"]
    assert "against" not in features["reason"]


@pytest.mark.parametrize(
    ("text", "against"),
    [
        ("The town should rethink its approach to the harbour.", "opinion: 'should'"),
        (
            "This evolving situation reflects the complexities of the harbour debate and the stakes at play.",
            "author's framing: 'reflects', 'complexities', 'stakes', 'at play'",
        ),
        ("The lack of a ferry will put the island in a more difficult position.", "prediction ('will'"),
    ],
)
def test_opinion_framing_and_forecasts_fall_below_the_threshold_with_their_reason(text, against):
    score, features = _scored(text)
    assert score < THRESHOLD, features
    assert "against: " in features["reason"] and against in features["reason"]


def test_a_dated_or_attributed_future_is_a_scheduled_event_not_a_forecast():
    score, features = _scored("The inspectors will visit the plant on 12 June 2031.")
    assert not features["prediction"] and score >= THRESHOLD
    _, features = _scored("The port will reopen, the harbour master said.")
    assert not features["prediction"]


def test_may_as_a_month_is_not_a_hedge():
    _, features = _scored("Workers walked off the job on May 4.")
    assert features["hedges"] == 0
    _, hedged = _scored("Workers may walk off the job.")
    assert hedged["hedges"] == 1


def test_bylines_captions_and_questions_score_zero_and_say_what_they_are():
    sentences = {
        s.text: s for s in segment_sentences("Ana Lind / Harbour Post / Pool\n\nWhat happens next?\n\n9 May 2031")
    }
    for text, kind in [
        ("Ana Lind / Harbour Post / Pool", "caption"),
        ("What happens next?", "question"),
        ("9 May 2031", "byline"),
    ]:
        sentence = sentences[text]
        score, features = score_sentence(sentence, [], [], [])
        assert score == 0.0
        assert features["reason"].startswith("not a claim: ") and kind in features["reason"]


def test_the_reason_names_people_as_written_and_a_country_is_not_a_reporting_verb():
    text = "Ruth Okafor met officials of the United States in Tarnow on 4 May."
    entities = [Entity("Ruth Okafor", "PERSON", 0, 11, "ent:okafor"), Entity("United States", "GPE", 29, 42, "ent:us")]
    _, features = score_sentence(Sentence(0, len(text), text, 0), entities, [], find_dates(text))
    assert "names: Ruth Okafor, United States" in features["reason"]
    assert not features["attribution"] and "attributed" not in features["reason"]


def test_story_credits_and_photo_captions_are_never_claims():
    text = (
        "The harbour reopened on 4 May after a strike of eleven days, the port authority said.\n\n"
        "Photo: Cranes stand idle at the east quay on 2 May. Two ships wait at anchor.\n\n"
        "(Reporting by Ana Lind; Editing by Tomas Reyes)"
    )
    roles = {s.text: s.role for s in segment_sentences(text)}
    assert roles["The harbour reopened on 4 May after a strike of eleven days, the port authority said."] == "body"
    assert roles["Photo: Cranes stand idle at the east quay on 2 May."] == "credit"
    assert roles["Two ships wait at anchor."] == "credit"
    assert roles["(Reporting by Ana Lind; Editing by Tomas Reyes)"] == "credit"


def test_the_authors_own_should_and_let_us_count_against_more_than_an_attributed_one():
    own, own_features = _scored("The council should require a safety report from the ferry company by 1 June.")
    said, _ = _scored("The council should require a safety report from the ferry company by 1 June, the mayor said.")
    assert own < THRESHOLD <= said
    assert "opinion: 'should'" in own_features["reason"]
    score, features = _scored("Let us call the harbour settlement what it is: a ransom paid in instalments.")
    assert score < THRESHOLD and "'let us'" in features["reason"]
