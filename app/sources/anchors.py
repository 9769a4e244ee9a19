"""Exact passage anchors (W3C TextQuoteSelector + RFC 5147 offsets), validated against a source's text."""

from dataclasses import dataclass

from app.errors import InvalidAnchor

CONTEXT_CHARS = 32


@dataclass(frozen=True)
class Anchor:
    start: int
    end: int
    quote: str
    prefix: str
    suffix: str


def passage_link(source_id: int, start: int, end: int) -> str:
    """The UI address that opens the source at the passage (RFC 5147 `char=` fragment)."""
    return f"/sources/{source_id}#char={start},{end}"


def _field(name: str, message: str) -> list[dict[str, str]]:
    return [{"field": name, "message": message}]


def occurrences(text: str, quote: str, prefix: str = "", suffix: str = "") -> list[int]:
    """Where `quote` starts in `text`, among the places with that prefix before and suffix after."""
    found = []
    position = text.find(quote)
    while position != -1:
        if text[:position].endswith(prefix) and text[position + len(quote) :].startswith(suffix):
            found.append(position)
        position = text.find(quote, position + 1)
    return found


def resolve_anchor(
    text: str,
    *,
    start: int | None = None,
    end: int | None = None,
    quote: str | None = None,
    prefix: str | None = None,
    suffix: str | None = None,
) -> Anchor:
    """Check or find the passage: offsets must lie in the text and match the quote; a quote alone is
    searched for (narrowed by prefix/suffix) and must occur exactly once. Context is filled in when absent.
    """
    if (start is None) != (end is None):
        missing = "end" if end is None else "start"
        raise InvalidAnchor("Give both start and end, or neither (and a quote).", errors=_field(missing, "required"))
    if start is not None and end is not None:
        if start < 0 or end > len(text) or start >= end:
            field = "end" if end > len(text) or start >= end else "start"
            raise InvalidAnchor(
                f"Offsets {start}..{end} are outside the source text (0..{len(text)}) or empty.",
                errors=_field(field, f"must satisfy 0 <= start < end <= {len(text)}"),
            )
        actual = text[start:end]
        if quote is not None and quote != actual:
            raise InvalidAnchor(
                f"The quote does not match the source text at {start}..{end}, which reads {actual[:80]!r}.",
                errors=_field("quote", "does not match the text at the offsets"),
            )
        quote = actual
    else:
        if not quote:
            raise InvalidAnchor(
                "An anchor needs a quote, or start and end offsets.", errors=_field("quote", "required")
            )
        positions = occurrences(text, quote, prefix or "", suffix or "")
        if not positions:
            raise InvalidAnchor(
                "The quote was not found in the source text"
                + (" with that prefix/suffix." if prefix or suffix else "."),
                errors=_field("quote", "not found in the source text"),
            )
        if len(positions) > 1:
            raise InvalidAnchor(
                f"The quote is ambiguous: it occurs {len(positions)} times; add prefix/suffix or offsets.",
                errors=_field("quote", f"ambiguous: {len(positions)} occurrences"),
            )
        start, end = positions[0], positions[0] + len(quote)
    if prefix and not text[:start].endswith(prefix):
        raise InvalidAnchor(
            "The prefix does not match the text before the passage.",
            errors=_field("prefix", "does not match the text before the quote"),
        )
    if suffix and not text[end:].startswith(suffix):
        raise InvalidAnchor(
            "The suffix does not match the text after the passage.",
            errors=_field("suffix", "does not match the text after the quote"),
        )
    return Anchor(
        start=start,
        end=end,
        quote=quote,
        prefix=prefix or text[max(0, start - CONTEXT_CHARS) : start],
        suffix=suffix or text[end : end + CONTEXT_CHARS],
    )
