"""Turn a source's raw text into the normalised text that every character offset refers to.

The rules are deliberately few and conservative, because a wrong join or deletion would move
a fact-checker's evidence. Each rule is applied in this order:

1. Newlines: CRLF and lone CR become LF; a byte-order mark is dropped.
2. Spaces: no-break and other Unicode space characters become a plain space; runs of spaces
   and tabs inside a line collapse to one; trailing spaces on a line are removed.
3. Markdown escapes: a backslash before ASCII punctuation (``\\$``, ``\\*``, ``\\_``…) is dropped.
4. Page numbers: a line holding only a number of one to three digits, with a blank line on at least
   one side, is removed.
5. Page-break splits: when a paragraph ends without closing punctuation and the next paragraph
   starts with a lower-case letter, the two are joined with a single space.
6. Blank lines: runs of blank lines collapse to one; the text is stripped at both ends.

The function is pure and deterministic: the same raw text always gives the same normalised text.
"""

import re

_SPACE_CHARS = re.compile(r"[\u00a0\u2000-\u200a\u202f\u205f\u3000\t ]+")
_MARKDOWN_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")
_PAGE_NUMBER = re.compile(r"^\d{1,3}$")
_PARAGRAPH_CLOSERS = tuple(".!?:;\"'”’)]*|")


def normalise_text(raw: str) -> str:
    text = raw.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    text = _MARKDOWN_ESCAPE.sub(r"\1", text)
    lines = [_SPACE_CHARS.sub(" ", line).strip(" ") for line in text.split("\n")]
    lines = _drop_page_numbers(lines)
    paragraphs = _split_paragraphs(lines)
    paragraphs = _join_page_break_splits(paragraphs)
    return "\n\n".join("\n".join(p) for p in paragraphs).strip()


def _drop_page_numbers(lines: list[str]) -> list[str]:
    kept: list[str] = []
    for index, line in enumerate(lines):
        before_blank = index > 0 and lines[index - 1] == ""
        after_blank = index < len(lines) - 1 and lines[index + 1] == ""
        if _PAGE_NUMBER.match(line) and (before_blank or after_blank):
            continue
        kept.append(line)
    return kept


def _split_paragraphs(lines: list[str]) -> list[list[str]]:
    paragraphs: list[list[str]] = []
    current: list[str] = []
    for line in lines:
        if line:
            current.append(line)
        elif current:
            paragraphs.append(current)
            current = []
    if current:
        paragraphs.append(current)
    return paragraphs


def _join_page_break_splits(paragraphs: list[list[str]]) -> list[list[str]]:
    joined: list[list[str]] = []
    for paragraph in paragraphs:
        if joined and _continues(joined[-1][-1], paragraph[0]):
            previous = joined[-1]
            previous[-1] = previous[-1] + " " + paragraph[0]
            previous.extend(paragraph[1:])
        else:
            joined.append(list(paragraph))
    return joined


def _continues(last_line: str, first_line: str) -> bool:
    """A paragraph split by a page break: no closing punctuation, then a lower-case start."""
    return not last_line.endswith(_PARAGRAPH_CLOSERS) and not last_line.startswith("#") and first_line[:1].islower()
