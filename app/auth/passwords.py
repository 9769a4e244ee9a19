"""Password rules: long enough, and not one of the passwords attackers try first.

The common passwords are the 30,000 most frequent in leaked password sets, as shipped by the zxcvbn package,
whose estimator also refuses keyboard rows, sequences and repeats (`qwertyuiopas`, `abcdefghijkl`).
"""

import re
import unicodedata
from functools import lru_cache

from zxcvbn import zxcvbn
from zxcvbn.frequency_lists import FREQUENCY_LISTS

from app.errors import InvalidInput

MIN_PASSWORD_LENGTH = 12
MAX_PASSWORD_LENGTH = 200
# What people add to a common password to pass a length rule: digits, symbols, the year, a repeat.
_DECORATION = re.compile(r"^[\W\d_]+|[\W\d_]+$")


@lru_cache(maxsize=1)
def _common_passwords() -> frozenset[str]:
    return frozenset(FREQUENCY_LISTS["passwords"])


def _refuse(message: str, field: str) -> InvalidInput:
    return InvalidInput(f"Password: {message}.", errors=[{"field": field, "message": message}])


def check_new_password(password: str, user_name: str, field: str = "password") -> str:
    """The password, or InvalidInput: shorter than 12 characters, a common password (even decorated with
    digits or repeated), or the user's own name."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise _refuse(f"at least {MIN_PASSWORD_LENGTH} characters (a few words make a good one)", field)
    if len(password) > MAX_PASSWORD_LENGTH:
        raise _refuse(f"at most {MAX_PASSWORD_LENGTH} characters", field)
    folded = unicodedata.normalize("NFKC", password).casefold()
    core = _DECORATION.sub("", folded)
    candidates = {folded, core, folded.replace(" ", ""), _unrepeated(core)}
    if any(candidate in _common_passwords() for candidate in candidates if candidate) or not core:
        raise _refuse("too common: it is on the lists attackers try first", field)
    if user_name and unicodedata.normalize("NFKC", user_name).casefold() in core:
        raise _refuse("must not contain the user name", field)
    # Scores run 0-4; below 2 means guessable in well under a day offline.
    if zxcvbn(password, user_inputs=[user_name])["score"] < 2:
        raise _refuse("too easy to guess (a keyboard row, a sequence or a repeat); a few words make a good one", field)
    return password


def _unrepeated(text: str) -> str:
    """`passwordpassword` -> `password`: a repeated common password is still a common password."""
    for size in range(1, len(text) // 2 + 1):
        if len(text) % size == 0 and text[:size] * (len(text) // size) == text:
            return text[:size]
    return text
