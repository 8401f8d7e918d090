"""What the pages show of column-level lineage: column pages, model pages, the coverage table.

Reads go through lineage.columns.queries; this module shapes them for templates and CSV.
Everywhere, a node that was not parsed, or a column that was not traced, says so where the
lineage would be: an empty list is only ever shown for a column that truly has no upstream
(a source or seed column) or no downstream.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from catalog.models import Column, Environment, Node
from catalog.tables import Col, Table
from lineage.columns.compute import PARSED_TYPES
from lineage.columns.queries import (
    ColumnGraph,
    column_graph,
    column_impact,
    coverage_rows,
    inherited_descriptions,
    node_columns_traced,
    node_lineage_get,
)
from lineage.layout import NODE_HEIGHT, NODE_WIDTH, layout

# The column page's graph: this many hops each way unless the URL asks for more.
DEFAULT_DEPTH = 3
MAX_DEPTH = 20
# Above this many columns the graph is not drawn (the list and CSV still hold everything).
MAX_BOXES = 300
KIND_LABELS = {
    "passthrough": "passthrough",
    "rename": "renamed",
    "transformed": "transformed",
    "aggregated": "aggregated",
}


def _depth(params: Any, name: str) -> int:
    try:
        value = int(params.get(name, DEFAULT_DEPTH))
    except (TypeError, ValueError):
        value = DEFAULT_DEPTH
    return max(0, min(value, MAX_DEPTH))


@dataclass
class SvgBox:
    x: float
    y: float
    label: str
    node_name: str
    column: str
    unique_id: str
    css: str
    title: str


@dataclass
class SvgLine:
    path: str
    kind: str


def _svg(graph: ColumnGraph, focus: tuple[str, str]) -> dict[str, Any]:
    refs = set(graph.columns) | {e.child for e in graph.edges} | {e.parent for e in graph.edges}
    # Only the focused column and what its walk reached: the node's other columns stay out.
    refs = {r for r in refs if r[0] != graph.unique_id or r == focus} | {focus}
    if len(refs) > MAX_BOXES:
        return {"too_large": len(refs)}
    ids = {r: f"{r[0]}.{r[1]}" for r in refs}
    pairs = {
        (ids[e.parent], ids[e.child]) for e in graph.edges if e.parent in ids and e.child in ids
    }
    kinds = {
        (ids[e.parent], ids[e.child]): e.kind
        for e in graph.edges
        if e.parent in ids and e.child in ids
    }
    placed = layout(sorted(ids.values()), sorted(pairs))
    boxes = []
    for ref, key in ids.items():
        box = placed.boxes.get(key)
        if box is None:
            continue
        state = graph.columns.get(ref)
        css = "focus" if ref == focus else ("error" if state and state.is_error else "")
        boxes.append(
            SvgBox(
                x=box.x,
                y=box.y,
                label=f"{state.node_name if state else ref[0]}.{ref[1]}",
                node_name=state.node_name if state else ref[0],
                column=ref[1],
                unique_id=ref[0],
                css=css,
                title=(state.error if state and state.error else ref[0]),
            )
        )
    lines = [
        SvgLine(
            path="M" + " L".join(f"{x:.0f},{y:.0f}" for x, y in line.points),
            kind=kinds.get((line.source, line.target), ""),
        )
        for line in placed.lines
    ]
    return {
        "boxes": boxes,
        "lines": lines,
        "width": placed.width,
        "height": placed.height,
        "box_width": NODE_WIDTH,
        "box_height": NODE_HEIGHT,
    }


def lineage_table(graph: ColumnGraph, name: str) -> Table:
    """Every edge of a column's lineage, upstream then downstream, with its kind."""
    rows = []
    for edge in graph.edges:
        child = graph.columns.get(edge.child)
        parent = graph.columns.get(edge.parent)
        rows.append(
            {
                "direction": "upstream" if edge.direction == "up" else "downstream",
                "depth": edge.depth,
                "column": f"{child.node_name if child else edge.child[0]}.{edge.child[1]}",
                "column_node": edge.child[0],
                "column_name": edge.child[1],
                "kind": KIND_LABELS.get(edge.kind, edge.kind),
                "from": f"{parent.node_name if parent else edge.parent[0]}.{edge.parent[1]}",
                "from_node": edge.parent[0],
                "from_name": edge.parent[1],
            }
        )
    return Table(
        name="column-lineage",
        title="Column lineage",
        columns=(
            Col("direction", "Direction"),
            Col("depth", "Hops", "number"),
            Col("column", "Column"),
            Col("kind", "Transformation"),
            Col("from", "Made from"),
            Col("column_node", "Column node"),
            Col("from_node", "Made from node"),
        ),
        rows=rows,
        default_sort="",
    )


def column_page(
    *, environment: Environment, node: Node, column: Column, params: Any
) -> dict[str, Any]:
    """The column page's lineage: status, graph, edge list, impact, inherited description."""
    up, down = _depth(params, "up"), _depth(params, "down")
    graph = column_graph(
        environment=environment,
        unique_id=node.unique_id,
        column=column.name,
        up_depth=up,
        down_depth=down,
        node=node,
    )
    focus = next((r for r in graph.start if r[1].lower() == column.name.lower()), None)
    focus = focus or (node.unique_id, column.name)
    state = graph.columns.get(focus)
    node_state = (
        dict(zip(("status", "category", "reason"), graph.node_state, strict=True))
        if graph.node_state
        else None
    )
    parsed_type = node.resource_type in PARSED_TYPES
    inherited = (
        inherited_descriptions(environment=environment, unique_id=node.unique_id, columns=[column])
        if not column.description.strip()
        else {}
    )
    table = lineage_table(graph, column.name)
    return {
        "graph": graph,
        "upstream": [r for r in table.rows if r["direction"] == "upstream"],
        "downstream": [r for r in table.rows if r["direction"] == "downstream"],
        "up": up,
        "down": down,
        "state": state,
        "node_state": node_state,
        "parsed_type": parsed_type,
        # A model not computed yet, or failed, or this column not traced: its upstream is not
        # known, whatever the (empty) list would say.
        "upstream_known": (not parsed_type)
        or (node_state is not None and state is not None and not state.is_error),
        "svg": _svg(graph, focus),
        "table": table,
        "impact": column_impact(environment=environment, graph=graph),
        "inherited": inherited.get(column.name.lower()),
    }


def model_page(*, environment: Environment, node: Node, columns: list[Column]) -> dict[str, Any]:
    """A model page's lineage status and, per column, how it is traced (three queries; one
    when there is nothing traced to show)."""
    if node.resource_type not in PARSED_TYPES:
        return {}
    lineage = node_lineage_get(environment=environment, unique_id=node.unique_id)
    if lineage is None or lineage.status == "failed":
        return {"column_lineage": lineage or "pending", "column_traced": {}, "column_inherited": {}}
    return {
        "column_lineage": lineage,
        "column_traced": node_columns_traced(environment=environment, unique_id=node.unique_id),
        "column_inherited": inherited_descriptions(
            environment=environment, unique_id=node.unique_id, columns=columns
        ),
    }


def coverage_table(*, environment: Environment) -> Table:
    rows = coverage_rows(environment=environment)
    counts: dict[str, int] = {}
    for row in rows:
        counts[row["status"]] = counts.get(row["status"], 0) + 1
    note = ", ".join(f"{counts.get(s, 0)} {s}" for s in ("parsed", "partial", "failed"))
    return Table(
        name="column-lineage-coverage",
        title="Column lineage coverage",
        columns=(
            Col("node", "Model", "node"),
            Col("type", "Type"),
            Col("status", "Status"),
            Col("category", "Category"),
            Col("reason", "Reason"),
            Col("columns", "Columns", "number"),
            Col("traced", "Traced", "number"),
            Col("untraced", "Not traced", "number"),
            Col("parsed_at", "Parsed", "date"),
        ),
        rows=rows,
        default_sort="status",
        note=f"{len(rows)} models and snapshots: {note}" if rows else "",
        extra={
            "counts": counts,
            "badges": [
                (status, counts.get(status, 0), css)
                for status, css in (("parsed", "ok"), ("partial", "warn"), ("failed", "bad"))
            ],
        },
    )
