"""The layered layout: columns follow the edges, nothing overlaps, crossings are few."""

from __future__ import annotations

import itertools
import random

import pytest

from lineage.layout import NODE_HEIGHT, NODE_WIDTH, ROW_GAP, layout


def overlapping(result) -> list[tuple[str, str]]:
    boxes = list(result.boxes.values())
    clashes = []
    for a, b in itertools.combinations(boxes, 2):
        if a.x == b.x and abs(a.y - b.y) < NODE_HEIGHT + ROW_GAP - 0.01:
            clashes.append((a.id, b.id))
    return clashes


def test_it_places_parents_left_of_children_one_column_apart() -> None:
    edges = [
        ("source.p.raw", "model.p.stg"),
        ("model.p.stg", "model.p.int"),
        ("model.p.int", "model.p.mart"),
    ]
    result = layout(["model.p.mart", "model.p.int", "model.p.stg", "source.p.raw"], edges)
    xs = [result.boxes[n].x for n in ("source.p.raw", "model.p.stg", "model.p.int", "model.p.mart")]
    assert xs == sorted(xs)
    assert len(set(xs)) == 4
    assert result.layers == 4
    # a chain is drawn flat
    assert len({result.boxes[n].y for n in result.boxes}) == 1


def test_a_parentless_node_sits_next_to_its_child() -> None:
    edges = [("a", "b"), ("b", "c"), ("c", "d"), ("seed", "d")]
    result = layout(["a", "b", "c", "d", "seed"], edges)
    assert result.boxes["seed"].layer == result.boxes["d"].layer - 1


def test_long_edges_bend_through_the_columns_they_cross() -> None:
    result = layout(["a", "b", "c", "d"], [("a", "b"), ("b", "c"), ("c", "d"), ("a", "d")])
    long = next(line for line in result.lines if (line.source, line.target) == ("a", "d"))
    assert len(long.points) == 2 + 2 * 2  # two intermediate columns, two points each
    assert long.points[0][0] == result.boxes["a"].x + NODE_WIDTH
    assert long.points[-1][0] == result.boxes["d"].x


def test_a_tree_is_drawn_without_crossings_or_overlaps() -> None:
    rng = random.Random(3)
    nodes = ["root"]
    edges = []
    for i in range(1, 120):
        parent = nodes[rng.randrange(len(nodes))]
        nodes.append(f"n{i}")
        edges.append((parent, f"n{i}"))
    rng.shuffle(nodes)
    result = layout(nodes, edges)
    assert result.crossings == 0
    assert not overlapping(result)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_crossing_reduction_beats_the_input_order(seed: int) -> None:
    rng = random.Random(seed)
    layers = [[f"l{i}n{j}" for j in range(12)] for i in range(5)]
    edges = [
        (rng.choice(layers[i]), rng.choice(layers[i + 1])) for i in range(4) for _ in range(20)
    ]
    nodes = [n for layer in layers for n in layer]
    naive = layout(nodes, edges, sort_key={n: (n,) for n in nodes})
    assert not overlapping(naive)
    # the order before reduction, counted the same way: sort_key order, no sweeps
    from lineage import layout as module

    sweeps = module.SWEEPS
    module.SWEEPS = 0
    try:
        unordered = layout(nodes, edges, sort_key={n: (n,) for n in nodes})
    finally:
        module.SWEEPS = sweeps
    assert naive.crossings < unordered.crossings


def test_a_cycle_does_not_break_the_layout() -> None:
    result = layout(["a", "b", "c"], [("a", "b"), ("b", "c"), ("c", "a")])
    assert set(result.boxes) == {"a", "b", "c"}
    assert len(result.lines) == 3


def test_empty_input() -> None:
    result = layout([], [])
    assert result.boxes == {}
    assert result.lines == []
