from django import template
from django.utils.safestring import SafeString

from catalog.markdown import render_markdown

register = template.Library()


@register.filter
def markdown(text: str) -> SafeString:
    return render_markdown(text or "")


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
