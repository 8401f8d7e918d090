"""Syntax highlighting of dbt code (Jinja SQL, compiled SQL, Python) for the pages."""

from __future__ import annotations

import hashlib

from django.core.cache import cache
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from pygments import highlight
from pygments.formatters import HtmlFormatter
from pygments.lexer import Lexer
from pygments.lexers import PythonLexer, SqlJinjaLexer, SqlLexer, YamlLexer

# Highlighting a very long model costs more than it helps; show it plain.
MAX_HIGHLIGHT_CHARS = 200_000
_FORMATTER = HtmlFormatter(nowrap=True)


def _lexer(language: str, jinja: bool) -> Lexer:
    if language == "python":
        return PythonLexer()
    if language == "yaml":
        return YamlLexer()
    return SqlJinjaLexer() if jinja else SqlLexer()


def highlight_code(code: str, *, language: str = "sql", jinja: bool = False) -> SafeString:
    """HTML for `code` (escaped, with Pygments' token spans); cached by content."""
    if not code:
        return mark_safe("")
    if len(code) > MAX_HIGHLIGHT_CHARS:
        return escape(code)
    digest = hashlib.blake2b(code.encode(), digest_size=16).hexdigest()
    key = f"lantern:code:{language}:{int(jinja)}:{digest}"
    html: str | None = cache.get(key)
    if html is None:
        html = highlight(code, _lexer(language, jinja), _FORMATTER)
        cache.set(key, html, timeout=7 * 24 * 3600)
    return mark_safe(html)  # noqa: S308 - Pygments escapes the code it formats
