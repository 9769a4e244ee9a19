"""Markdown for notes and rationales, rendered so that no text a person typed can become markup or script."""

import re
from collections.abc import Sequence

from markdown_it import MarkdownIt
from markdown_it.renderer import RendererHTML
from markdown_it.token import Token
from markdown_it.utils import EnvType, OptionsDict
from markupsafe import Markup

# CommonMark with raw HTML off: `<script>` in a note is shown as text. Images are off too, so a note never makes
# the reader's browser fetch anything; markdown-it refuses javascript:, vbscript: and data: link targets itself.
_renderer = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False}).disable("image")
MENTION = re.compile(r"(?<![\w@])@([\w.-]{1,100})")


def _link_open(self: RendererHTML, tokens: Sequence[Token], index: int, options: OptionsDict, env: EnvType) -> str:
    # A link in a note leaves the workspace without telling the target where it came from.
    tokens[index].attrSet("rel", "nofollow noopener noreferrer")
    return self.renderToken(tokens, index, options, env)


_renderer.add_render_rule("link_open", _link_open)


def render_markdown(text: str) -> Markup:
    """Safe HTML for a note's markdown, ready to place in a page."""
    return Markup(_renderer.render(text))  # noqa: S704  (markdown-it escapes every character of the input)


def mentioned_names(text: str) -> list[str]:
    """Names written as @name, in order, each once; a trailing full stop belongs to the sentence, not the name."""
    names = [match.rstrip(".") for match in MENTION.findall(text)]
    return list(dict.fromkeys(name for name in names if name))
