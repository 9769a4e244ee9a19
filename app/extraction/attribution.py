"""Who says a passage, and the passage rewritten to stand alone: speaker attached, pronouns and titles named.

A row on the board must read as a proposition without its neighbours: "“We will not sign,” he said." means
nothing there, "Jane Doe said: “We will not sign.”" does. The speaker of a quotation or of reported speech
is found from the passage's own words; a pronoun (he, she) or a role ("the minister", "the Canadian
president") is resolved to a person the article names, using only the article: the latest person named
before it for a pronoun, the latest person the article gives that role (and its qualifier) for a title.
When no such person is found the words stay as they are: a wrong name is worse than a pronoun.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from app.extraction.entities import TITLES
from app.extraction.types import Entity, SentenceInfo

SPEECH_VERBS = (
    "said|says|say|stated|states|noted|notes|added|adds|told|tells|explained|explains|emphasi[sz]ed|stressed|"
    "insisted|insists|warned|warns|argued|argues|remarked|declared|declares|announced|announces|confirmed|"
    "confirms|wrote|writes|asserted|assured|claimed|claims|acknowledged|admitted|replied|responded|"
    "continued|concluded|recalled|reiterated|repeated|suggested|indicated|mentioned|hinted|predicted|"
    "promised|vowed|pledged|complained|conceded|observed|commented|reported|tweeted|posted"
)
_VERB = re.compile(rf"\b(?:{SPEECH_VERBS})\b", re.IGNORECASE)
# "…,” said Jane Doe to reporters." / "…,” the minister said on Monday." after a closing quotation mark.
_TRAILING = re.compile(
    r"^(?P<open>[“\"])(?P<quote>.+)(?P<close>[”\"])\s*,?\s*(?P<tail>[^“”\"]{2,120}?)\s*[.!]?\s*$", re.DOTALL
)
_TAIL_VERB_FIRST = re.compile(
    rf"^(?P<verb>{SPEECH_VERBS})\s+(?P<who>.+?)(?P<rest>\s+(?:to|in|on|at|during|after|before|from|while|when|as|via|last|this|earlier|later|adding|who)\b.*)?$",
    re.IGNORECASE,
)
_TAIL_WHO_FIRST = re.compile(rf"^(?P<who>.+?)\s+(?P<verb>{SPEECH_VERBS})(?P<rest>\b.*)?$", re.IGNORECASE)
_PRONOUNS = {"he": "", "she": "", "him": "", "her": "'s", "his": "'s"}
# A leading subject pronoun, possibly after an opening phrase ("In an interview, she said …").
_LEADING_PRONOUN = re.compile(
    r"^(?P<lead>(?:[A-Z][^,;:“”\"]{0,80},\s+)?)(?P<pronoun>He|She|His|Her|he|she|his|her)\b(?=\s+[a-z])"
)
_ACCORDING = re.compile(r"\b(?P<phrase>[Aa]ccording to (?P<pronoun>him|her))\b")
# "the (Canadian|former|…) minister" — up to three qualifiers before an office word.
_ROLE = re.compile(r"\b(?P<article>[Tt]he)\s+(?P<qualifiers>(?:[\w.’'-]+\s+){0,3}?)(?P<role>[a-z]+)\b")
_ROLE_WORDS = frozenset(TITLES) - {
    "the",
    "us",
    "u.s.",
    "former",
    "first",
    "national",
    "state",
    "special",
    "vice",
    "prime",
    "foreign",
    "defense",
    "defence",
    "treasury",
    "security",
    "deputy",
    "chief",
    "officer",
}
_ROLE_WORDS = _ROLE_WORDS | {
    "leader",
    "diplomat",
    "official",
    "envoy",
    "minister",
    "president",
    "spokesperson",
    "spokesman",
    "spokeswoman",
    "secretary",
    "ceo",
    "chairman",
    "chairwoman",
    "head",
}


@dataclass(frozen=True)
class Speaker:
    """Who a passage attributes its words to: the words used and, when found, the person they name."""

    words: str
    name: str | None
    lead: str = ""  # "Jane Doe said on Monday": what goes before the quote in the stand-alone text


def _person_names(infos: list[SentenceInfo]) -> set[str]:
    """Last words of the names the article's NER calls a person at least once (labels vary by sentence)."""
    return {e.text.split()[-1].lower() for info in infos for e in info.entities if e.label == "PERSON" and e.text}


def _people_in(info: SentenceInfo, persons: set[str]) -> list[Entity]:
    return [e for e in info.entities if e.text and e.text.split()[-1].lower() in persons]


def _full_names(infos: list[SentenceInfo], persons: set[str]) -> dict[str, str]:
    """The longest form the article gives each person (by last word): 'Doe' reads as 'Jane Doe'."""
    longest: dict[str, str] = {}
    for info in infos:
        for entity in _people_in(info, persons):
            last = entity.text.split()[-1].lower()
            if len(entity.text) > len(longest.get(last, "")) and len(entity.text.split()) <= 4:
                longest[last] = entity.text
    return longest


_RANKS = frozenset({"vice", "deputy", "former", "assistant", "acting", "under", "ex"})
_TITLE_RUN = re.compile(r"((?:[A-Z][\w.’'-]*\s+){1,5})$")


def _role_context(text: str, infos: list[SentenceInfo], persons: set[str]) -> dict[str, list[list[str]]]:
    """The titles the article gives each person: 'U.S. Vice President Jane Doe' -> ['us', 'vice', 'president'].

    A title is the run of capitalised words just before the name, or an apposition after it
    ('Jane Doe, the Foreign Minister,').
    """
    context: dict[str, list[list[str]]] = {}
    for info in infos:
        for entity in _people_in(info, persons):
            last = entity.text.split()[-1].lower()
            runs = []
            before = _TITLE_RUN.search(text[max(0, entity.start - 60) : entity.start])
            if before:
                runs.append(before.group(1).split())
            after = re.match(
                r",\s+(?:the\s+)?((?:[\w.’'-]+\s+){0,4}?[\w.’'-]+)\s*[,.]", text[entity.end : entity.end + 60]
            )
            if after:
                runs.append(after.group(1).split())
            for run in runs:
                words = [w.lower().strip(".,’'") for w in run]
                if words and words[-1] in _ROLE_WORDS:
                    context.setdefault(last, []).append(words)
    return context


def _subject(info: SentenceInfo, people: list[Entity], text: str) -> Entity | None:
    """The first person named in a passage who is not the object of a preposition or a possessor."""
    for entity in people:
        before = re.findall(r"[A-Za-z]+", text[max(0, entity.start - 25) : entity.start])
        after = text[entity.end : entity.end + 2]
        if (before and before[-1].lower() in _PREPOSITIONS) or after[:1] in {"'", "’"}:
            continue
        return entity
    return None


_PREPOSITIONS = frozenset(
    [
        "with",
        "to",
        "by",
        "of",
        "for",
        "from",
        "against",
        "on",
        "about",
        "at",
        "between",
        "than",
        "like",
        "including",
        "and",
        "toward",
        "towards",
        "into",
        "over",
    ]
)


class Resolver:
    """Resolves pronouns and roles of one document's passages to the people it names."""

    def __init__(self, text: str, infos: list[SentenceInfo]) -> None:
        self.text = text
        self.infos = infos
        self.persons = _person_names(infos)
        self.names = _full_names(infos, self.persons)
        self.roles = _role_context(text, infos, self.persons)  # last name -> titles
        self.speakers: list[Speaker | None] = [None] * len(infos)

    def _name(self, entity: Entity) -> str:
        return self.names.get(entity.text.split()[-1].lower(), entity.text)

    def pronoun(self, index: int) -> str | None:
        """The person a leading he/she of passage `index` most likely is: the last one named just before."""
        for back in range(index - 1, max(-1, index - 4), -1):
            speaker = self.speakers[back]
            if speaker is not None and speaker.name:
                return speaker.name
            subject = _subject(self.infos[back], _people_in(self.infos[back], self.persons), self.text)
            if subject is not None:
                return self._name(subject)
        return None

    def role(self, index: int, qualifiers: str, role: str) -> str | None:
        """The person the article gives `role` (and every capitalised qualifier), nearest before `index`."""
        wanted = {q.lower().strip(".’'") for q in qualifiers.split() if q[:1].isupper()}
        wanted = {_demonym_stem(q) for q in wanted}
        order = list(range(index - 1, -1, -1)) + list(range(index, len(self.infos)))
        for position in order:
            for entity in _people_in(self.infos[position], self.persons):
                for title in self.roles.get(entity.text.split()[-1].lower(), []):
                    ranks = {w for w in title if w in _RANKS}
                    stems = {_demonym_stem(w) for w in title}
                    if title[-1] == role and wanted <= stems and ranks <= {q.lower() for q in qualifiers.split()}:
                        return self._name(entity)
        return None


def _demonym_stem(word: str) -> str:
    """'canadian' and 'canada' alike, 'u.s.' and 'us' alike: a qualifier matches its country's name."""
    word = word.lower().replace(".", "").replace("’", "").replace("'", "")
    for ending in ("ian", "ean", "an", "ese", "ish", "i", "e", "a"):
        if word.endswith(ending) and len(word) - len(ending) >= 4:
            return word[: -len(ending)]
    return word


def attribute(resolver: Resolver, index: int) -> tuple[Speaker | None, str]:
    """The speaker of passage `index` and its text rewritten to stand alone."""
    info = resolver.infos[index]
    text = info.sentence.text
    opened = info.quotation is not None and not text.startswith(("“", '"'))
    # the closing part of a long quotation cut in two opens inside it
    speaker, standalone = _trailing_attribution(resolver, index, "“" + text if opened else text)
    if standalone is None:
        speaker, standalone = _leading_subject(resolver, index, text)
    resolver.speakers[index] = speaker
    return speaker, standalone


def _who(resolver: Resolver, index: int, words: str) -> str | None:
    """The person `words` ('he', 'the minister', 'Jane Doe') stand for, or None."""
    stripped = words.strip()
    lowered = stripped.lower()
    if lowered in _PRONOUNS:
        return resolver.pronoun(index)
    role = _ROLE.fullmatch(stripped)
    if role and role.group("role") in _ROLE_WORDS:
        return resolver.role(index, role.group("qualifiers"), role.group("role"))
    for entity in _people_in(resolver.infos[index], resolver.persons):
        if entity.text in stripped:
            return resolver._name(entity)
    return None


def _trailing_attribution(resolver: Resolver, index: int, text: str) -> tuple[Speaker | None, str | None]:
    found = _TRAILING.match(text)
    if not found or _VERB.search(found.group("tail")) is None:
        return None, None
    tail = found.group("tail").strip().rstrip(".")
    parts = _TAIL_VERB_FIRST.match(tail) or _TAIL_WHO_FIRST.match(tail)
    if parts is None or len(parts.group("who").split()) > 8:
        return None, None
    who, verb, rest = parts.group("who").strip(), parts.group("verb"), (parts.group("rest") or "").rstrip()
    name = _who(resolver, index, who)
    quote = found.group("quote").strip().rstrip(",").rstrip()
    if quote and quote[-1] not in ".!?…":
        quote += "."
    subject = name or who[:1].upper() + who[1:]
    lead = f"{subject} {verb.lower()}{rest}"
    return Speaker(who, name, lead), f"{lead}: “{quote}”"


def _leading_subject(resolver: Resolver, index: int, text: str) -> tuple[Speaker | None, str]:
    speaker: Speaker | None = None
    standalone = text
    pronoun = _LEADING_PRONOUN.match(text)
    if pronoun:
        name = _unnamed(resolver.pronoun(index), text)
        if name:
            word = pronoun.group("pronoun")
            replacement = name + _PRONOUNS[word.lower()]
            standalone = text[: pronoun.start("pronoun")] + replacement + text[pronoun.end("pronoun") :]
            if _VERB.match(text, pronoun.end("pronoun") + 1):
                speaker = Speaker(word, name)
    else:
        for role in _ROLE.finditer(text):
            subject = role.start() == 0 or (role.start() < 90 and text[: role.start()].rstrip().endswith(","))
            says = _VERB.match(text, role.end() + 1) is not None
            if role.group("role") not in _ROLE_WORDS or not (subject or says):
                continue
            name = _unnamed(resolver.role(index, role.group("qualifiers"), role.group("role")), text)
            if name:
                standalone = text[: role.start()] + name + text[role.end() :]
            if says:
                speaker = Speaker(role.group(), name)
            break
    according = _ACCORDING.search(standalone)
    if according:
        name = _unnamed(resolver.pronoun(index), text)
        if name:
            standalone = standalone[: according.start("pronoun")] + name + standalone[according.end("pronoun") :]
            speaker = speaker or Speaker(according.group("pronoun"), name)
    if speaker is None:
        verb = _VERB.search(text)
        people = _people_in(resolver.infos[index], resolver.persons)
        if verb and people and people[0].start - resolver.infos[index].sentence.start < verb.start():
            speaker = Speaker(people[0].text, resolver._name(people[0]))
    return speaker, standalone


def _unnamed(name: str | None, text: str) -> str | None:
    """`name`, unless the passage already names that person (then the pronoun is someone else, or redundant)."""
    if name is None or re.search(rf"\b{re.escape(name.split()[-1])}\b", text):
        return None
    return name


def attribute_speakers(text: str, infos: list[SentenceInfo]) -> None:
    """Give each passage of one document its speaker and its stand-alone text, in reading order."""
    resolver = Resolver(text, infos)
    for index, info in enumerate(infos):
        speaker, standalone = attribute(resolver, index)
        info.speaker = speaker.name if speaker else None
        info.claim_text = standalone
        if info.quotation is None or speaker is None or not speaker.lead:
            continue
        # A long quotation cut in parts: every part's row is the whole quotation with its speaker.
        parts = [p for p in infos[max(0, index - 4) : index] if p.quotation == info.quotation]
        if not parts:
            continue
        whole = text[parts[0].sentence.start : info.sentence.end]
        _, quoted_whole = _trailing_attribution(resolver, index, whole)
        for part in [*parts, info]:
            part.speaker = speaker.name
            part.claim_text = quoted_whole or part.claim_text
