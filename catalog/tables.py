"""Report tables: one shape for every sortable, filterable, CSV-exportable table of the pages.

A view builds a `Table` (columns and plain-dict rows), then `table_apply` sorts and filters it
from the URL (`sort=`, `q=`) and `table_csv` exports it. The template draws any Table.
"""

from __future__ import annotations

import csv
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from django.core.paginator import Paginator
from django.http import HttpResponse


@dataclass(frozen=True)
class Col:
    key: str
    label: str
    # text, number, percent, date, node (a dict with unique_id/name), nodes (a list of those)
    kind: str = "text"


@dataclass
class Table:
    name: str
    title: str
    columns: Sequence[Col]
    rows: list[dict[str, Any]]
    default_sort: str = ""
    note: str = ""
    # Filled by table_apply:
    sort: str = ""
    query: str = ""
    total: int = 0
    extra: dict[str, Any] = field(default_factory=dict)
    # The rows of the page shown (a Django Page); CSV exports take every row.
    page: Any = None


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dict):
        return str(value.get("name") or value.get("unique_id") or "")
    if isinstance(value, list | tuple):
        return ", ".join(_text(v) for v in value)
    if isinstance(value, float):
        return f"{value:.4g}"
    return str(value)


def _sort_key(value: Any) -> tuple[int, Any]:
    # Missing values sort last whatever the direction; lists sort by their length.
    if value is None or value == "":
        return (1, 0)
    if isinstance(value, list | tuple):
        return (0, len(value))
    if isinstance(value, dict):
        return (0, _text(value).lower())
    if isinstance(value, str):
        return (0, value.lower())
    return (0, value)


PAGE_SIZE = 100


def table_apply(table: Table, params: Mapping[str, str]) -> Table:
    """A copy of `table` filtered by `q` (a substring of any cell) and sorted by `sort` (a
    column key, "-" first for descending)."""
    total = len(table.rows)
    query = params.get("q", "").strip()
    rows = table.rows
    if query:
        needle = query.lower()
        rows = [
            r for r in rows if any(needle in _text(r.get(c.key)).lower() for c in table.columns)
        ]
    sort = params.get("sort") or table.default_sort
    key = sort.lstrip("-")
    if key in {c.key for c in table.columns}:
        present = [r for r in rows if _sort_key(r.get(key))[0] == 0]
        missing = [r for r in rows if _sort_key(r.get(key))[0] == 1]
        present.sort(key=lambda r: _sort_key(r.get(key)), reverse=sort.startswith("-"))
        rows = present + missing
    else:
        sort = ""
    page = Paginator(rows, PAGE_SIZE).get_page(params.get("page"))
    return replace(table, rows=rows, sort=sort, query=query, total=total, page=page)


def table_csv(table: Table, filename: str) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    writer = csv.writer(response)
    writer.writerow([c.label for c in table.columns])
    for row in table.rows:
        cells = []
        for c in table.columns:
            value = row.get(c.key)
            if c.kind in {"node", "nodes"}:
                items = value if isinstance(value, list) else [value] if value else []
                value = " ".join(str(v.get("unique_id", "")) for v in items if v)
            elif c.kind == "percent" and value is not None:
                value = f"{value:.1f}"
            elif isinstance(value, date):
                value = value.isoformat()
            cells.append(_csv_safe(_text(value) if not isinstance(value, str) else value))
        writer.writerow(cells)
    return response


def _csv_safe(value: str) -> str:
    """Spreadsheets run cells that start with = + - @ as formulas; dbt names and descriptions
    come from many hands, so such a cell is quoted with a leading apostrophe."""
    if value and value[0] in "=+-@\t\r":
        try:
            float(value)
        except ValueError:
            return "'" + value
    return value
