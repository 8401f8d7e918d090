"""Layered left-to-right layout of a lineage graph: a pure function, no Django.

The Sugiyama method, kept simple enough to lay out 2,000 nodes within a request:

1. layers: each node one column right of its furthest parent (topological generations); nodes
   without parents are then pulled right, next to their nearest child, so that a seed used by
   one mart does not sit in column 0 with an edge across the page;
2. an edge that spans several columns gets a dummy node in each column it crosses, so it can be
   ordered (and drawn) like a short one;
3. order within columns: sweeps of the barycenter heuristic, right then left, keeping the order
   with the fewest crossings seen (counted exactly, in O(E log V) per pair of columns);
4. heights: every node wants the median height of its neighbours; a few passes move it there
   as far as the order and the spacing of its column allow.

Edges come out as a list of points (their two ends and their dummies); the page draws a smooth
curve through them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from statistics import median

import networkx as nx

NODE_WIDTH = 190.0
NODE_HEIGHT = 40.0
COLUMN_GAP = 110.0
ROW_GAP = 14.0
DUMMY_HEIGHT = 6.0
SWEEPS = 12
PLACEMENT_PASSES = 6


@dataclass(frozen=True, slots=True)
class Box:
    id: str
    x: float
    y: float
    layer: int


@dataclass(frozen=True, slots=True)
class Line:
    source: str
    target: str
    points: tuple[tuple[float, float], ...]

    @property
    def x1(self) -> float:
        return self.points[0][0]

    @property
    def y1(self) -> float:
        return self.points[0][1]

    @property
    def x2(self) -> float:
        return self.points[-1][0]

    @property
    def y2(self) -> float:
        return self.points[-1][1]


@dataclass(slots=True)
class Layout:
    boxes: dict[str, Box] = field(default_factory=dict)
    lines: list[Line] = field(default_factory=list)
    width: float = 0.0
    height: float = 0.0
    layers: int = 0
    crossings: int = 0


def layers_of(graph: nx.DiGraph[str]) -> dict[str, int]:
    """Column of each node: one right of its furthest parent; parentless nodes next to their
    nearest child. A cycle (never in a valid dbt project) is broken by dropping back edges."""
    if not nx.is_directed_acyclic_graph(graph):
        graph = _acyclic(graph)
    layer: dict[str, int] = {}
    for depth, generation in enumerate(nx.topological_generations(graph)):
        for node in generation:
            layer[node] = depth
    for node in graph.nodes:
        if graph.in_degree(node) == 0 and graph.out_degree(node):
            nearest = min(layer[c] for c in graph.successors(node))
            layer[node] = max(layer[node], nearest - 1)
    return layer


def _acyclic(graph: nx.DiGraph[str]) -> nx.DiGraph[str]:
    copy: nx.DiGraph[str] = nx.DiGraph(graph)
    while True:
        try:
            cycle = nx.find_cycle(copy)
        except nx.NetworkXNoCycle:
            return copy
        copy.remove_edge(*cycle[-1][:2])


def _crossings(upper: list[str], lower_pos: dict[str, int], down: dict[str, list[str]]) -> int:
    """Crossings between two adjacent columns (an inversion count, with a Fenwick tree)."""
    targets = [lower_pos[t] for n in upper for t in sorted(down[n], key=lower_pos.__getitem__)]
    size = len(lower_pos) + 1
    tree = [0] * (size + 1)
    crossings = 0
    for seen, value in enumerate(targets):
        # how many earlier targets are greater than this one
        i, smaller_or_equal = value + 1, 0
        while i > 0:
            smaller_or_equal += tree[i]
            i -= i & -i
        crossings += seen - smaller_or_equal
        i = value + 1
        while i <= size:
            tree[i] += 1
            i += i & -i
    return crossings


def layout(
    nodes: Sequence[str],
    edges: Iterable[tuple[str, str]],
    *,
    sort_key: dict[str, tuple[str, ...]] | None = None,
) -> Layout:
    """Positions for `nodes` and point lists for `edges` (upstream -> downstream).

    `sort_key` gives the order of a column before crossing reduction (e.g. resource type and
    name), so that the same graph is laid out the same way on every request.
    """
    result = Layout()
    if not nodes:
        return result
    graph: nx.DiGraph[str] = nx.DiGraph()
    graph.add_nodes_from(nodes)
    graph.add_edges_from((a, b) for a, b in edges if a in graph and b in graph and a != b)
    layer = layers_of(graph)
    keys = sort_key or {}

    # 2. Dummies: each long edge becomes a chain through the columns it crosses.
    down: dict[str, list[str]] = {n: [] for n in graph.nodes}
    up: dict[str, list[str]] = {n: [] for n in graph.nodes}
    chains: dict[tuple[str, str], list[str]] = {}
    for a, b in graph.edges:
        if layer[b] <= layer[a]:  # a dropped back edge of a cycle: drawn, not ordered
            chains[(a, b)] = [a, b]
            continue
        chain = [a]
        for between in range(layer[a] + 1, layer[b]):
            dummy = f"\0{a}\0{b}\0{between}"
            layer[dummy] = between
            down[dummy], up[dummy] = [], []
            chain.append(dummy)
        chain.append(b)
        for s, t in zip(chain, chain[1:], strict=False):
            down[s].append(t)
            up[t].append(s)
        chains[(a, b)] = chain

    # 3. Order within columns.
    count = max(layer.values()) + 1
    columns: list[list[str]] = [[] for _ in range(count)]
    for n in sorted(graph.nodes, key=lambda n: keys.get(n, (n,))):
        columns[layer[n]].append(n)
    for dummy in (d for chain in chains.values() for d in chain[1:-1]):
        columns[layer[dummy]].append(dummy)
    position = {n: i for column in columns for i, n in enumerate(column)}

    def total_crossings() -> int:
        return sum(
            _crossings(columns[i], {n: j for j, n in enumerate(columns[i + 1])}, down)
            for i in range(count - 1)
        )

    def sweep(indexes: Iterable[int], neighbours: dict[str, list[str]]) -> None:
        for i in indexes:
            column = columns[i]
            centre = {
                n: (
                    sum(position[m] for m in neighbours[n]) / len(neighbours[n])
                    if neighbours[n]
                    else float(position[n])
                )
                for n in column
            }
            column.sort(key=lambda n: (centre[n], position[n]))
            for j, n in enumerate(column):
                position[n] = j

    best = total_crossings()
    best_columns = [list(c) for c in columns]
    for i in range(SWEEPS):
        if not best:
            break
        if i % 2 == 0:
            sweep(range(1, count), up)  # left to right, by parents
        else:
            sweep(range(count - 2, -1, -1), down)  # right to left, by children
        crossings = total_crossings()
        if crossings < best:
            best, best_columns = crossings, [list(c) for c in columns]
    columns = best_columns
    result.crossings = best

    # 4. Heights: toward the median of neighbours, within the column's order and spacing.
    def height(n: str) -> float:
        return DUMMY_HEIGHT if n.startswith("\0") else NODE_HEIGHT

    y: dict[str, float] = {}
    for column in columns:
        at = 0.0
        for n in column:
            y[n] = at
            at += height(n) + ROW_GAP
    for rnd in range(PLACEMENT_PASSES):
        order = range(count) if rnd % 2 == 0 else range(count - 1, -1, -1)
        for i in order:
            column = columns[i]
            want = []
            for n in column:
                near = up[n] + down[n]
                centre = height(n) / 2
                want.append(median(y[m] + height(m) / 2 for m in near) - centre if near else y[n])
            _place(column, want, y, height)
    top = min(y.values())
    for n in graph.nodes:
        result.boxes[n] = Box(
            id=n, x=layer[n] * (NODE_WIDTH + COLUMN_GAP), y=y[n] - top, layer=layer[n]
        )
    for (a, b), chain in chains.items():
        points = [(result.boxes[a].x + NODE_WIDTH, result.boxes[a].y + NODE_HEIGHT / 2)]
        for dummy in chain[1:-1]:
            x = layer[dummy] * (NODE_WIDTH + COLUMN_GAP)
            middle = y[dummy] - top + DUMMY_HEIGHT / 2
            points += [(x, middle), (x + NODE_WIDTH, middle)]
        points.append((result.boxes[b].x, result.boxes[b].y + NODE_HEIGHT / 2))
        result.lines.append(Line(source=a, target=b, points=tuple(points)))
    result.layers = count
    result.width = max(b.x for b in result.boxes.values()) + NODE_WIDTH
    result.height = max(
        max(b.y for b in result.boxes.values()) + NODE_HEIGHT,
        max(
            (y[d] - top + DUMMY_HEIGHT for c in columns for d in c if d.startswith("\0")), default=0
        ),
    )
    return result


def _place(
    column: list[str], want: list[float], y: dict[str, float], height: Callable[[str], float]
) -> None:
    """Set heights as near `want` as the column's order and spacing allow.

    A forward pass keeps each node below its predecessor, a backward pass keeps it above its
    successor, and the two are averaged: simple, and good enough for lineage graphs.
    """
    n = len(column)
    if not n:
        return
    forward = [0.0] * n
    for i in range(n):
        lowest = forward[i - 1] + height(column[i - 1]) + ROW_GAP if i else float("-inf")
        forward[i] = max(want[i], lowest)
    backward = [0.0] * n
    for i in range(n - 1, -1, -1):
        highest = backward[i + 1] - height(column[i]) - ROW_GAP if i < n - 1 else float("inf")
        backward[i] = min(want[i], highest)
    for i in range(n):
        y[column[i]] = (forward[i] + backward[i]) / 2
    # The average can still overlap where both passes moved a node: push down to resolve.
    for i in range(1, n):
        lowest = y[column[i - 1]] + height(column[i - 1]) + ROW_GAP
        if y[column[i]] < lowest:
            y[column[i]] = lowest
