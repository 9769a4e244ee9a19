"""User names people can tell apart: NFKC-normalised letters and digits of one script, plus `.`, `_` and `-`,
and unique up to look-alikes (their confusable skeleton), so nobody can pose as `admin` with `аdmin`.

The look-alike table is Unicode's confusables data as the confusable-homoglyphs package ships it.
"""

import unicodedata
from functools import lru_cache

from confusable_homoglyphs import confusables
from confusable_homoglyphs.categories import alias

from app.errors import InvalidInput

NAME_MAX_LENGTH = 64
_PUNCTUATION = frozenset("._-")
# Letters, marks (which some scripts need to write a letter at all) and decimal digits.
_ALLOWED_CATEGORIES = ("L", "M", "Nd")


def _refuse(message: str) -> InvalidInput:
    return InvalidInput(f"User name: {message}.", errors=[{"field": "name", "message": message}])


def normalise_user_name(raw: str) -> str:
    """The name as stored (NFKC, surrounding spaces dropped), or InvalidInput saying what is wrong with it."""
    name = unicodedata.normalize("NFKC", raw).strip()
    if not name:
        raise _refuse("must not be empty")
    if len(name) > NAME_MAX_LENGTH:
        raise _refuse(f"at most {NAME_MAX_LENGTH} characters")
    for character in name:
        if character not in _PUNCTUATION and not unicodedata.category(character).startswith(_ALLOWED_CATEGORIES):
            described = unicodedata.name(character, "a control character")
            raise _refuse(f"U+{ord(character):04X} ({described}) is not allowed; use letters, digits, '.', '_' and '-'")
    if name[0] in _PUNCTUATION or unicodedata.category(name[0]).startswith("M"):
        raise _refuse("must start with a letter or a digit")
    if confusables.is_mixed_script(name, allowed_aliases=["COMMON", "INHERITED"]):
        scripts = sorted({alias(c) for c in name} - {"COMMON", "INHERITED"})
        raise _refuse(f"mixes scripts ({', '.join(s.title() for s in scripts)}); write it in one")
    return name


def name_skeleton(name: str) -> str:
    """What a name looks like, case aside: each character of the case-folded name replaced by one representative
    of its look-alikes. Names sharing it are too alike to tell apart (`admin`, `Admin`, `аdmin`, `adrnin`);
    stored, unique, with each user."""
    return _skeleton(unicodedata.normalize("NFKC", name).casefold())


def name_skeletons(name: str) -> frozenset[str]:
    """Every skeleton a name is compared by: also the one of its letters as written, for capitals that look like
    other small letters (`Iouis` and `louis`)."""
    return frozenset({name_skeleton(name), _skeleton(unicodedata.normalize("NFKC", name)).casefold()})


def _skeleton(text: str) -> str:
    table, sequences = _look_alike_table()
    skeleton = "".join(table.get(character, character) for character in unicodedata.normalize("NFD", text))
    for sequence, representative in sequences:
        skeleton = skeleton.replace(sequence, representative)
    return unicodedata.normalize("NFC", skeleton)


@lru_cache(maxsize=1)
def _look_alike_table() -> tuple[dict[str, str], list[tuple[str, str]]]:
    """Characters joined into classes of look-alikes, each class named by its plainest member (ASCII first);
    and the ASCII sequences that read as one letter (`rn` as `m`), longest first."""
    parent: dict[str, str] = {}

    def find(item: str) -> str:
        while parent.setdefault(item, item) != item:
            parent[item] = parent[parent[item]]
            item = parent[item]
        return item

    multi: list[tuple[str, str]] = []
    for character, homoglyphs in confusables.confusables_data.items():
        for glyph in homoglyphs:
            if len(glyph["c"]) == 1:
                parent[find(glyph["c"])] = find(character)
            elif glyph["c"].isascii() and glyph["c"].isalnum() and len(character) == 1:
                multi.append((glyph["c"], character))
    members: dict[str, list[str]] = {}
    for character in list(parent):
        members.setdefault(find(character), []).append(character)
    table: dict[str, str] = {}
    for group in members.values():
        representative = min(group, key=lambda c: (not c.isascii(), c.casefold() != c, c))
        table.update({character: representative for character in group})
    sequences = sorted(
        {(sequence.casefold(), table.get(character, character).casefold()) for sequence, character in multi},
        key=lambda pair: -len(pair[0]),
    )
    return table, sequences
