"""Data health tiles: what a dashboard built on an exposure needs to know about its data.

A tile rolls up the exposure's health signal (catalog.health), the freshness of every source
upstream of it, and the tests of its upstream models that fail or warn now.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.http import Http404
from django.utils.html import escape

from catalog.health import Health, health_of
from catalog.models import Environment, Node
from lineage.queries import walk

NOT_PASSING = ("fail", "error", "runtime error", "warn")


@dataclass
class Tile:
    unique_id: str
    name: str
    label: str
    health: Health
    sources: list[dict[str, Any]] = field(default_factory=list)
    failing_tests: list[dict[str, Any]] = field(default_factory=list)
    last_built: datetime | None = None

    def as_json(self) -> dict[str, Any]:
        def iso(value: Any) -> Any:
            return value.isoformat() if isinstance(value, datetime) else value

        return {
            "unique_id": self.unique_id,
            "name": self.name,
            "label": self.label,
            "health": self.health.state,
            "reasons": list(self.health.reasons),
            "last_built": iso(self.last_built),
            "sources": [{k: iso(v) for k, v in s.items()} for s in self.sources],
            "failing_tests": [{k: iso(v) for k, v in t.items()} for t in self.failing_tests],
        }


def tile_get(*, environment: Environment, unique_id: str) -> Tile:
    exposure = (
        Node.objects.filter(environment=environment, unique_id=unique_id, resource_type="exposure")
        .only("unique_id", "name", "data")
        .first()
    )
    if exposure is None:
        raise Http404(f"{unique_id} is not an exposure of this environment")
    health = health_of(environment=environment, unique_id=unique_id) or Health("unknown")
    distances, _ = walk(environment, {unique_id}, upward=True, depth=None)
    upstream = set(distances)
    sources = [
        {
            "unique_id": uid,
            "name": f"{source_name}.{name}",
            "status": status or "",
            "max_loaded_at": loaded,
            "checked_at": checked,
        }
        for uid, name, source_name, status, loaded, checked in Node.objects.filter(
            environment=environment, resource_type="source", unique_id__in=upstream
        )
        .values_list(
            "unique_id",
            "name",
            "source_name",
            "last_freshness__status",
            "last_freshness__max_loaded_at",
            "last_freshness__snapshotted_at",
        )
        .order_by("source_name", "name")
    ]
    models = Node.objects.filter(
        environment=environment, resource_type="model", unique_id__in=upstream
    )
    failing = [
        {
            "unique_id": uid,
            "name": test_name or name,
            "tests": tested,
            "column": column,
            "status": status,
            "failures": failures,
        }
        for uid, name, test_name, tested, column, status, failures in Node.objects.filter(
            environment=environment,
            resource_type__in=("test", "unit_test"),
            tested_unique_id__in=models.values("unique_id"),
            last_execution__status__in=NOT_PASSING,
        )
        .values_list(
            "unique_id",
            "name",
            "test_name",
            "tested_unique_id",
            "column_name",
            "last_execution__status",
            "last_execution__failures",
        )
        .order_by("tested_unique_id", "name")
    ]
    last_built = max(
        (t for t in models.values_list("last_success_execution__generated_at", flat=True) if t),
        default=None,
    )
    data = exposure.data if isinstance(exposure.data, dict) else {}
    return Tile(
        unique_id=exposure.unique_id,
        name=exposure.name,
        label=str(data.get("label") or exposure.name),
        health=health,
        sources=sources,
        failing_tests=failing,
        last_built=last_built,
    )


BADGE_COLOURS = {
    "healthy": "#2f8f4e",
    "caution": "#c58b00",
    "degraded": "#b42318",
    "unknown": "#8a8f9c",
}


def badge_svg(tile: Tile) -> str:
    """A shields-style SVG badge: "data health | <state>" (texts escaped)."""
    left, right = "data health", tile.health.state
    lw, rw = 6.5 * len(left) + 12, 6.5 * len(right) + 12
    colour = BADGE_COLOURS.get(tile.health.state, BADGE_COLOURS["unknown"])
    title = escape(f"{tile.label}: {tile.health.state}")
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{lw + rw:.0f}" height="20" role="img" '
        f'aria-label="{title}"><title>{title}</title>'
        f'<rect width="{lw:.0f}" height="20" fill="#1d2330"/>'
        f'<rect x="{lw:.0f}" width="{rw:.0f}" height="20" fill="{colour}"/>'
        '<g fill="#fff" font-family="Verdana,DejaVu Sans,sans-serif" font-size="11">'
        f'<text x="{lw / 2:.0f}" y="14" text-anchor="middle">{escape(left)}</text>'
        f'<text x="{lw + rw / 2:.0f}" y="14" text-anchor="middle">{escape(right)}</text>'
        "</g></svg>"
    )
