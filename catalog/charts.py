"""Charts drawn on the server as SVG: a Gantt of a run, and time series. No JavaScript, no CDN.

Every function returns SVG markup in which every piece of text is escaped; the templates put
it in the page as it is, next to a table of the same numbers.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

STATUS_COLOURS = {
    "success": "#2f8f4e",
    "pass": "#2f8f4e",
    "warn": "#d08a00",
    "error": "#b42318",
    "fail": "#b42318",
    "runtime error": "#b42318",
    "skipped": "#b8bec9",
}
DEFAULT_COLOUR = "#6b7fa6"


@dataclass(frozen=True)
class Bar:
    label: str
    lane: str
    start: float  # seconds from the run's start
    end: float
    status: str
    critical: bool = False
    url: str = ""


def _ticks(span: float, count: int = 8) -> list[float]:
    """Round tick positions over [0, span]."""
    if span <= 0:
        return [0.0]
    raw = span / count
    for step in (0.1, 0.2, 0.5, 1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200):
        if step >= raw:
            break
    else:
        step = raw
    ticks, at = [], 0.0
    while at <= span + 1e-9:
        ticks.append(round(at, 3))
        at += step
    return ticks


def _seconds_label(seconds: float) -> str:
    if seconds < 60:
        return f"{seconds:g}s"
    minutes, secs = divmod(int(seconds), 60)
    return f"{minutes}m{secs:02d}s" if secs else f"{minutes}m"


def gantt(bars: Sequence[Bar], *, width: int = 1100, row: int = 22) -> SafeString:
    """One row per lane (a dbt thread), one bar per node from its start to its end."""
    if not bars:
        return mark_safe("")
    lanes = sorted({b.lane for b in bars}, key=lambda lane: (len(lane), lane))
    span = max(b.end for b in bars) or 1.0
    left, top = 150, 24
    plot = width - left - 10
    height = top + row * len(lanes) + 10
    scale = plot / span
    out = [
        f'<svg class="chart gantt" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} '
        f'{height}" width="{width}" height="{height}" role="img" aria-label="Model timing">'
    ]
    for tick in _ticks(span):
        x = left + tick * scale
        out.append(
            f'<line x1="{x:.1f}" y1="{top - 4}" x2="{x:.1f}" y2="{height - 8}" class="grid"/>'
            f'<text x="{x:.1f}" y="{top - 8}" class="tick" text-anchor="middle">'
            f"{escape(_seconds_label(tick))}</text>"
        )
    index = {lane: i for i, lane in enumerate(lanes)}
    for lane, i in index.items():
        y = top + i * row
        out.append(
            f'<text x="{left - 8}" y="{y + row * 0.65:.1f}" class="lane" text-anchor="end">'
            f"{escape(lane)}</text>"
        )
    for b in bars:
        y = top + index[b.lane] * row + 3
        x = left + b.start * scale
        w = max((b.end - b.start) * scale, 1.5)
        colour = STATUS_COLOURS.get(b.status, DEFAULT_COLOUR)
        css = "bar critical" if b.critical else "bar"
        title = f"{b.label}: {_seconds_label(round(b.end - b.start, 2))} ({b.status})"
        rect = (
            f'<rect x="{x:.1f}" y="{y}" width="{w:.1f}" height="{row - 6}" rx="2" '
            f'fill="{colour}" class="{css}"><title>{escape(title)}</title></rect>'
        )
        if b.url:
            rect = f'<a href="{escape(b.url)}">{rect}</a>'
        out.append(rect)
    out.append("</svg>")
    return mark_safe("".join(out))  # noqa: S308 - every text above is escaped


@dataclass(frozen=True)
class Point:
    at: datetime
    value: float
    label: str = ""
    status: str = ""


def timeline(
    points: Sequence[Point], *, unit: str = "s", width: int = 900, height: int = 220
) -> SafeString:
    """A value over time: dots joined by a line, with a least-squares trend line."""
    if not points:
        return mark_safe("")
    points = sorted(points, key=lambda p: p.at)
    left, right, top, bottom = 56, 10, 12, 30
    plot_w, plot_h = width - left - right, height - top - bottom
    t0 = points[0].at.timestamp()
    t_span = max(points[-1].at.timestamp() - t0, 1.0)
    v_max = max(p.value for p in points) or 1.0
    v_max *= 1.1

    def xy(p: Point) -> tuple[float, float]:
        x = left + (p.at.timestamp() - t0) / t_span * plot_w
        y = top + plot_h - p.value / v_max * plot_h
        return x, y

    out = [
        f'<svg class="chart timeline" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} '
        f'{height}" width="{width}" height="{height}" role="img" aria-label="Over time">'
    ]
    for tick in _ticks(v_max, 4):
        y = top + plot_h - tick / v_max * plot_h
        out.append(
            f'<line x1="{left}" y1="{y:.1f}" x2="{width - right}" y2="{y:.1f}" class="grid"/>'
            f'<text x="{left - 6}" y="{y + 4:.1f}" class="tick" text-anchor="end">'
            f"{escape(f'{tick:g}{unit}')}</text>"
        )
    for p in (points[0], points[-1]):
        x, _ = xy(p)
        anchor = "start" if p is points[0] else "end"
        out.append(
            f'<text x="{x:.1f}" y="{height - 8}" class="tick" text-anchor="{anchor}">'
            f"{escape(p.at.strftime('%Y-%m-%d'))}</text>"
        )
    coords = [xy(p) for p in points]
    out.append(
        '<polyline class="series" fill="none" points="'
        + " ".join(f"{x:.1f},{y:.1f}" for x, y in coords)
        + '"/>'
    )
    trend = _trend(points)
    if trend is not None and len(points) > 2:
        slope, intercept = trend
        ends = [
            Point(at=p.at, value=max(0.0, intercept + slope * (p.at.timestamp() - t0)))
            for p in (points[0], points[-1])
        ]
        (x1, y1), (x2, y2) = xy(ends[0]), xy(ends[1])
        out.append(f'<line class="trend" x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}"/>')
    for p, (x, y) in zip(points, coords, strict=True):
        colour = STATUS_COLOURS.get(p.status, DEFAULT_COLOUR)
        title = f"{p.at:%Y-%m-%d %H:%M} {p.value:.2f}{unit} {p.label}".strip()
        out.append(
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" fill="{colour}"><title>'
            f"{escape(title)}</title></circle>"
        )
    out.append("</svg>")
    return mark_safe("".join(out))  # noqa: S308 - every text above is escaped


def _trend(points: Sequence[Point]) -> tuple[float, float] | None:
    """Least-squares slope (value per second) and intercept over the points."""
    n = len(points)
    if n < 2:
        return None
    t0 = points[0].at.timestamp()
    xs = [p.at.timestamp() - t0 for p in points]
    ys = [p.value for p in points]
    mean_x, mean_y = sum(xs) / n, sum(ys) / n
    var = sum((x - mean_x) ** 2 for x in xs)
    if var == 0:
        return None
    slope = sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys, strict=True)) / var
    return slope, mean_y - slope * mean_x


def trend_share(points: Sequence[Point]) -> float | None:
    """How much the trend line rises (or falls) from first to last point, as a share of its
    start: +0.25 is "25% slower over the window"."""
    points = sorted(points, key=lambda p: p.at)
    trend = _trend(points)
    if trend is None:
        return None
    slope, intercept = trend
    span = points[-1].at.timestamp() - points[0].at.timestamp()
    start = intercept
    if start <= 0:
        return None
    return (intercept + slope * span) / start - 1
