"""dbt descriptions are markdown written by many people: render it, then sanitize the HTML."""

import html
import re
from functools import lru_cache

import nh3
from django.utils.safestring import SafeString, mark_safe
from markdown_it import MarkdownIt

_md = MarkdownIt("commonmark", {"html": True, "linkify": False}).enable("table")

ALLOWED_TAGS = {
    "a",
    "abbr",
    "b",
    "blockquote",
    "br",
    "code",
    "dd",
    "del",
    "details",
    "div",
    "dl",
    "dt",
    "em",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "i",
    "img",
    "kbd",
    "li",
    "ol",
    "p",
    "pre",
    "s",
    "span",
    "strong",
    "sub",
    "summary",
    "sup",
    "table",
    "tbody",
    "td",
    "th",
    "thead",
    "tr",
    "u",
    "ul",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title", "width", "height"},
    "td": {"align"},
    "th": {"align"},
    "code": {"class"},
}


@lru_cache(maxsize=4096)
def render_markdown(text: str) -> SafeString:
    """Markdown to HTML that cannot run script: no <script>, no on* handlers, no javascript:."""
    if not text:
        return mark_safe("")
    html = _md.render(text)
    clean = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
    )
    return mark_safe(clean)  # noqa: S308 - sanitized just above


_TAG = re.compile(r"<[^>]+>")
_SPACE = re.compile(r"\s+")


@lru_cache(maxsize=8192)
def markdown_text(text: str) -> str:
    """What a reader sees of a markdown text, as plain text with whitespace folded.

    The result is plain text, to be escaped like any other string.
    """
    if not text:
        return ""
    # From the sanitized HTML: what a <script> held is not text a reader sees.
    plain = _TAG.sub(" ", str(render_markdown(text)))
    return _SPACE.sub(" ", html.unescape(plain)).strip()


def markdown_summary(text: str, length: int = 160) -> str:
    """markdown_text cut at a word near `length`."""
    plain = markdown_text(text)
    if len(plain) <= length:
        return plain
    cut = plain[:length].rsplit(" ", 1)[0]
    return cut.rstrip(",;:.") + "…"
