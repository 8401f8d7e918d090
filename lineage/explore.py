"""What a lineage graph on a page shows: from a Dag and the page's state to positioned nodes.

The state comes from the URL (`View`), so a graph can be shared and reloaded as it was:
a selector or a focus node with depths, nodes expanded or hidden one level at a time, tests
and sources shown or not, folders / packages / groups collapsed into one node, and a path to
highlight. `explore()` turns it into a `Graph` the page draws; plain Python, no Django.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from lineage.graph import Dag, NodeInfo
from lineage.layout import NODE_HEIGHT, NODE_WIDTH, layout
from lineage.selection import InvalidSelector, select

# Beyond this many nodes a graph is not drawn: the page gives the count and asks for a
# narrower selector instead of freezing the browser tab.
MAX_NODES = 2000
TYPE_ORDER = (
    "source",
    "seed",
    "snapshot",
    "model",
    "analysis",
    "test",
    "unit_test",
    "semantic_model",
    "metric",
    "saved_query",
    "exposure",
)
COLLAPSE_KINDS = ("folder", "package", "group")
COLORS = ("type", "layer", "status", "health")


@dataclass(frozen=True)
class View:
    """A lineage graph's state, as the URL carries it."""

    focus: str = ""  # a node page's node; its neighbourhood is shown up/down levels deep
    up: int = 1
    down: int = 1
    select: str = ""  # the explorer's dbt selector (used when there is no focus)
    exclude: str = ""
    expand: tuple[str, ...] = ()  # "+uid" shows uid's parents, "uid+" its children
    hide: tuple[str, ...] = ()  # "+uid" hides uid's parents, "uid+" its children, "uid" uid
    tests: bool = False
    sources: bool = True
    collapse: tuple[str, ...] = ()  # "folder:pkg/marts", "package:dbt_utils", "group:finance"
    path: tuple[str, ...] = ()  # two unique_ids whose connecting paths are highlighted
    color: str = "type"

    @classmethod
    def from_params(cls, params: Mapping[str, str], *, focus: str = "") -> View:
        """Read the state from URL parameters, ignoring what does not parse."""

        def depth(name: str, default: int) -> int:
            try:
                return max(0, min(20, int(params.get(name, default))))
            except (TypeError, ValueError):
                return default

        def items(name: str) -> tuple[str, ...]:
            return tuple(p for p in (params.get(name) or "").split(",") if p.strip())

        color = params.get("color", "type")
        return cls(
            focus=focus,
            up=depth("up", 1),
            down=depth("down", 1),
            select=(params.get("select") or "").strip(),
            exclude=(params.get("exclude") or "").strip(),
            expand=items("expand"),
            hide=items("hide"),
            tests=params.get("tests") in ("1", "true", "on"),
            sources=params.get("sources") not in ("0", "false", "off"),
            collapse=tuple(
                c for c in items("collapse") if c.split(":", 1)[0] in COLLAPSE_KINDS and ":" in c
            ),
            path=items("path")[:2],
            color=color if color in COLORS else "type",
        )


@dataclass
class GraphNode:
    id: str
    label: str
    resource_type: str
    x: float
    y: float
    layer: str = ""
    status: str = ""
    materialized: str = ""
    access: str = ""
    folder: str = ""
    package: str = ""
    group: str = ""
    version: str = ""
    focus: bool = False
    matched: bool = True  # matched the selector itself (not only pulled in by an operator)
    placeholder: bool = False
    members: int = 0  # a collapsed folder / package / group: how many nodes it stands for
    hidden_parents: int = 0  # parents in the project that this graph does not show
    hidden_children: int = 0
    on_path: bool = False
    health: str = ""  # healthy, caution, degraded, unknown (models, sources, exposures)

    def as_dict(self) -> dict[str, Any]:
        # Empty and false fields are left out to keep 2,000-node graphs small on the wire.
        kept = ("x", "y", "matched")
        return {k: v for k, v in self.__dict__.items() if k in kept or v not in ("", 0, False)}


@dataclass
class Graph:
    view: View
    nodes: list[GraphNode] = field(default_factory=list)
    edges: list[dict[str, Any]] = field(default_factory=list)
    width: float = 0.0
    height: float = 0.0
    crossings: int = 0
    total: int = 0  # nodes the state selects, before the size limit
    too_big: bool = False
    error: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {
            "nodes": [n.as_dict() for n in self.nodes],
            "edges": self.edges,
            "width": self.width,
            "height": self.height,
            "nodeWidth": NODE_WIDTH,
            "nodeHeight": NODE_HEIGHT,
            "total": self.total,
            "tooBig": self.too_big,
            "maxNodes": MAX_NODES,
            "error": self.error,
            "color": self.view.color,
        }


def _shown(dag: Dag, view: View) -> tuple[set[str], set[str]]:
    """(nodes to show, nodes the selector itself matched)."""
    matched: set[str] | None
    if view.focus:
        if view.focus not in dag:
            return set(), set()
        chosen = {view.focus} | dag.upstream([view.focus], view.up)
        chosen |= dag.downstream([view.focus], view.down)
        matched = None  # around a node, everything shown is what was asked for
    else:
        chosen = select(dag, view.select, view.exclude)
        matched = set(chosen)
    if matched is None:
        matched = chosen
    for item in view.expand:
        uid = item.strip("+")
        if item.startswith("+"):
            chosen |= set(dag.parents(uid)) | {uid}
        if item.endswith("+"):
            chosen |= set(dag.children(uid)) | {uid}
    for item in view.hide:
        uid = item.strip("+")
        if item.startswith("+"):
            chosen -= set(dag.parents(uid)) - {view.focus}
        elif item.endswith("+"):
            chosen -= set(dag.children(uid)) - {view.focus}
        elif uid != view.focus:
            chosen.discard(uid)
    infos = dag.infos
    keep = {
        uid
        for uid in chosen
        if uid in infos
        and (view.tests or not infos[uid].is_test)
        and (view.sources or infos[uid].resource_type != "source" or uid == view.focus)
    }
    return keep, (keep if view.focus else matched & keep)


def _group_key(info: NodeInfo, collapse: Iterable[str]) -> str:
    """The collapsed group a node falls in ("folder:pkg/marts"), or "" when none."""
    for spec in collapse:
        kind, _, value = spec.partition(":")
        if kind == "folder" and (info.folder == value or info.folder.startswith(value + "/")):
            return spec
        if kind == "package" and info.package_name == value:
            return spec
        if kind == "group" and info.group == value:
            return spec
    return ""


def _sort_key(info: NodeInfo) -> tuple[str, ...]:
    rank = TYPE_ORDER.index(info.resource_type) if info.resource_type in TYPE_ORDER else 99
    return (f"{rank:02d}", info.folder, info.name, info.unique_id)


def explore(dag: Dag, view: View) -> Graph:
    """The graph `view` asks for: nodes with positions, edges, or why there is none."""
    graph = Graph(view=view)
    try:
        shown, matched = _shown(dag, view)
    except InvalidSelector as e:
        graph.error = str(e)
        return graph
    graph.total = len(shown)
    if len(shown) > MAX_NODES:
        graph.too_big = True
        return graph

    infos = dag.infos
    focus = view.focus
    # Collapsed groups stand in for their members (never for the focus node).
    group_of = {
        uid: key for uid in shown if uid != focus and (key := _group_key(infos[uid], view.collapse))
    }
    members: dict[str, int] = {}
    for key in group_of.values():
        members[key] = members.get(key, 0) + 1

    def vertex(uid: str) -> str:
        return group_of.get(uid, uid)

    vertices = {vertex(uid) for uid in shown}
    edges: set[tuple[str, str]] = set()
    succ = dag.graph.succ
    for uid in shown:
        for child in succ[uid]:
            if child in shown:
                a, b = vertex(uid), vertex(child)
                if a != b:
                    edges.add((a, b))

    on_path: set[str] = set()
    if len(view.path) == 2:
        on_path = {vertex(uid) for uid in dag.between(*view.path) if uid in shown}

    sort_keys = {uid: _sort_key(infos[uid]) for uid in shown if uid not in group_of}
    sort_keys.update({key: ("50", key) for key in members})
    positions = layout(sorted(vertices), sorted(edges), sort_key=sort_keys)
    pred = dag.graph.pred
    for vid, box in positions.boxes.items():
        if vid in members:
            kind, _, value = vid.partition(":")
            node = GraphNode(
                id=vid,
                label=value.rsplit("/", 1)[-1] or value,
                resource_type=kind,
                x=box.x,
                y=box.y,
                members=members[vid],
                folder=value if kind == "folder" else "",
                package=value if kind == "package" else "",
                group=value if kind == "group" else "",
            )
        else:
            info = infos[vid]
            node = GraphNode(
                id=vid,
                label=f"{info.name} v{info.version}" if info.version else info.name,
                resource_type=info.resource_type,
                x=box.x,
                y=box.y,
                layer=info.modeling_layer,
                status=info.status,
                materialized=info.materialized,
                access=info.access,
                folder=info.folder,
                package=info.package_name,
                group=info.group,
                version=info.version,
                focus=vid == focus,
                matched=vid in matched,
                placeholder=info.placeholder,
                hidden_parents=sum(
                    1 for p in pred[vid] if p not in shown and _visible(infos[p], view)
                ),
                hidden_children=sum(
                    1 for c in succ[vid] if c not in shown and _visible(infos[c], view)
                ),
            )
        node.on_path = vid in on_path
        graph.nodes.append(node)
    graph.edges = [
        {
            "source": line.source,
            "target": line.target,
            "points": [[round(x, 1), round(y, 1)] for x, y in line.points],
            **({"onPath": True} if line.source in on_path and line.target in on_path else {}),
        }
        for line in positions.lines
    ]
    graph.width, graph.height = positions.width, positions.height
    graph.crossings = positions.crossings
    return graph


def _visible(info: NodeInfo, view: View) -> bool:
    """Whether a node would be drawn if it were selected (tests and sources may be off)."""
    if info.is_test and not view.tests:
        return False
    return view.sources or info.resource_type != "source"


@dataclass
class Impact:
    """Everything downstream of a node, by distance, and the exposures' owners."""

    levels: list[tuple[int, list[NodeInfo]]]
    exposures: list[NodeInfo]
    owners: list[str]
    total: int


def impact(dag: Dag, unique_id: str, *, tests: bool = False) -> Impact:
    """Downstream of `unique_id` grouped by distance (shortest number of edges)."""
    distance: dict[str, int] = {}
    frontier = [unique_id] if unique_id in dag else []
    level = 0
    succ = dag.graph.succ
    while frontier:
        level += 1
        nxt = []
        for uid in frontier:
            for child in succ[uid]:
                if child not in distance and child != unique_id:
                    distance[child] = level
                    nxt.append(child)
        frontier = nxt
    infos = dag.infos
    by_level: dict[int, list[NodeInfo]] = {}
    for uid, d in distance.items():
        info = infos[uid]
        if info.is_test and not tests:
            continue
        by_level.setdefault(d, []).append(info)
    levels = [(d, sorted(nodes, key=_sort_key)) for d, nodes in sorted(by_level.items())]
    exposures = sorted(
        (infos[u] for u in distance if infos[u].resource_type == "exposure"), key=_sort_key
    )
    owners = sorted({i.owner for n in levels for i in n[1] if i.owner})
    return Impact(
        levels=levels,
        exposures=exposures,
        owners=owners,
        total=sum(len(nodes) for _, nodes in levels),
    )
