"""The limits and character rules for text people send, enforced by the services for API, web forms and import alike."""

from urllib.parse import urlsplit

from app.errors import InvalidInput

NOTE_MAX_CHARS = 10_000
QUOTE_MAX_CHARS = 20_000
CLAIM_TEXT_MAX_CHARS = 5_000
URL_MAX_CHARS = 2_000
# spaCy refuses a text over 1,000,000 characters, and nothing a newsroom checks is that long: a source
# that could not be extracted is refused when it arrives, not when its extraction job fails.
SOURCE_MAX_CHARS = 1_000_000


def text_problem(value: str, max_chars: int | None = None) -> str | None:
    """What is wrong with a text (too long, a NUL, a lone surrogate), or None.

    PostgreSQL cannot store NUL and neither database can store half a surrogate pair, so both are refused
    on every database alike: what one engine accepted must restore on the other.
    """
    if max_chars is not None and len(value) > max_chars:
        return f"at most {max_chars:,} characters (got {len(value):,})"
    if "\x00" in value:
        return "must not contain NUL characters"
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as error:
        return f"contains an unpaired surrogate (\\u{ord(value[error.start]):04x}) at character {error.start}"
    return None


def check_text(field: str, value: str | None, max_chars: int | None = None) -> None:
    """Raise InvalidInput naming the field when the text breaks a rule."""
    if value is None:
        return
    message = text_problem(value, max_chars)
    if message is not None:
        raise InvalidInput(f"{field}: {message}.", errors=[{"field": field, "message": message}])


def web_url_problem(url: str) -> str | None:
    """Only http(s) links are stored: a `javascript:` or `data:` URL would run when the link is followed."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return "is not a URL"
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return "must be an http or https URL"
    return None
