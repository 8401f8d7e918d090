from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django import template
from django.utils.safestring import SafeString

from catalog import links
from catalog.code import highlight_code
from catalog.markdown import markdown_summary, render_markdown

register = template.Library()


@register.simple_tag
def column_href(env_pk: int, unique_id: str, column: str) -> str:
    """`{% column_href env.pk unique_id column as href %}`: the column page's URL, or ""."""
    return links.column_href(env_pk, unique_id, column)


@register.filter
def markdown(text: str) -> SafeString:
    return render_markdown(text or "")


@register.filter
def summary(text: str, length: int = 160) -> str:
    """The start of a markdown description as plain text, for lists and tables."""
    return markdown_summary(text or "", length)


@register.filter
def filesize(value: int | None) -> str:
    if value is None:
        return ""
    size = float(value)
    for unit in ("B", "KB", "MB", "GB", "TB"):
        if size < 1024 or unit == "TB":
            return f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1024
    return ""


@register.filter
def number(value: Any) -> str:
    """1234567 -> "1,234,567"."""
    if not isinstance(value, int | float) or isinstance(value, bool):
        return "" if value in (None, "") else str(value)
    if isinstance(value, float) and not value.is_integer():
        return f"{value:,.2f}"
    return f"{int(value):,}"


@register.filter
def percent(value: float | None) -> str:
    return "" if value is None else f"{value:.0f}%"


@register.filter
def seconds(value: float | None) -> str:
    if value is None:
        return ""
    if value < 60:
        return f"{value:.1f}s" if value < 10 else f"{value:.0f}s"
    minutes, secs = divmod(int(value), 60)
    if minutes < 60:
        return f"{minutes}m {secs:02d}s"
    hours, minutes = divmod(minutes, 60)
    return f"{hours}h {minutes:02d}m"


@register.filter
def since_start(value: Any, start: Any) -> str:
    """Seconds from `start` to `value` (datetimes), for timing tables."""
    if value is None or start is None:
        return ""
    return f"{(value - start).total_seconds():.3f}"


STATUS_CLASSES = {
    "success": "ok",
    "pass": "ok",
    "warn": "warn",
    "error": "bad",
    "fail": "bad",
    "runtime error": "bad",
    "skipped": "muted",
}


@register.filter
def status_class(status: str | None) -> str:
    return STATUS_CLASSES.get((status or "").lower(), "muted")


@register.filter
def highlight(code: str, language: str = "sql") -> SafeString:
    """`language`: sql, sql-jinja, python or yaml."""
    jinja = language.endswith("-jinja")
    return highlight_code(code or "", language=language.removesuffix("-jinja"), jinja=jinja)


@register.filter
def get(mapping: Any, key: Any) -> Any:
    """mapping[key] in a template, None when absent."""
    if isinstance(mapping, dict):
        return mapping.get(key)
    return None


@register.filter
def kind(value: Any) -> str:
    """The JSON kind of a value, for the data view: dict, list, text, empty."""
    if isinstance(value, dict):
        return "dict" if value else "empty"
    if isinstance(value, list):
        return "list" if value else "empty"
    if value is None or value == "":
        return "empty"
    return "text"


@register.filter
def label(key: str) -> str:
    """ "type_params" -> "Type params"."""
    text = str(key).replace("_", " ")
    return text[:1].upper() + text[1:]


@register.simple_tag(takes_context=True)
def qs(context: dict[str, Any], **changes: Any) -> str:
    """The current query string with `changes` applied; an empty value removes the key.

    A change of anything but the page goes back to page 1.
    """
    request = context["request"]
    params = {k: v for k, v in request.GET.items() if v}
    if "page" not in changes:
        params.pop("page", None)
    for key, value in changes.items():
        if value in (None, ""):
            params.pop(key, None)
        else:
            params[key] = str(value)
    return "?" + urlencode(params) if params else "?"


@register.simple_tag(takes_context=True)
def qs_set(context: dict[str, Any], key: str, value: Any) -> str:
    """`qs` for a key known only at render time: {% qs_set name value %} ("" removes it)."""
    return qs(context, **{key: value})


@register.filter
def querystring(params: dict[str, Any]) -> str:
    """A dict as a URL query string (without "?")."""
    return urlencode({k: v for k, v in params.items() if v not in (None, "")})


@register.simple_tag(takes_context=True)
def sort_link(context: dict[str, Any], key: str, current: str) -> str:
    """The query string that sorts by `key`, flipping the direction when it already does."""
    value = f"-{key}" if current == key else key
    return qs(context, sort=value)


@register.inclusion_tag("catalog/partials/data.html")
def data_view(value: Any, depth: int = 0) -> dict[str, Any]:
    """JSON from the artifacts (metric params, unit test rows, ...) as nested lists.

    Keys whose value is null or empty are left out: dbt writes every optional key.
    """
    if isinstance(value, dict):
        value = {k: v for k, v in value.items() if v not in (None, "", [], {})}
    return {"value": value, "depth": depth + 1}


@register.filter
def is_row_list(value: Any) -> bool:
    """A list of flat dicts (unit test rows): drawn as a table."""
    return (
        isinstance(value, list)
        and bool(value)
        and all(isinstance(v, dict) for v in value)
        and all(not isinstance(x, dict | list) for v in value for x in v.values())
    )


@register.filter
def row_keys(rows: list[dict[str, Any]]) -> list[str]:
    keys: dict[str, None] = {}
    for row in rows:
        keys.update(dict.fromkeys(row))
    return list(keys)
