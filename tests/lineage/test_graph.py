"""Traversals of lineage.graph on small hand-built graphs (ids like dbt's: model.p.a)."""

from __future__ import annotations

import networkx as nx
import pytest

from lineage.graph import Dag, NodeInfo

#   source.p.raw.s -> model.p.a -> model.p.b -> model.p.d -> exposure.p.x
#                               \-> model.p.c -/
#   model.p.b -> test.p.not_null_b.1         model.p.b, model.p.c -> test.p.rel_b_c.2
#   model.p.d -> model.p.e -> model.p.f      model.p.lonely
EDGES = [
    ("source.p.raw.s", "model.p.a"),
    ("model.p.a", "model.p.b"),
    ("model.p.a", "model.p.c"),
    ("model.p.b", "model.p.d"),
    ("model.p.c", "model.p.d"),
    ("model.p.d", "exposure.p.x"),
    ("model.p.d", "model.p.e"),
    ("model.p.e", "model.p.f"),
    ("model.p.b", "test.p.not_null_b.1"),
    ("model.p.b", "test.p.rel_b_c.2"),
    ("model.p.c", "test.p.rel_b_c.2"),
]
S, A, B, C, D, E, F = (
    "source.p.raw.s",
    "model.p.a",
    "model.p.b",
    "model.p.c",
    "model.p.d",
    "model.p.e",
    "model.p.f",
)
X, T1, T2, LONELY = "exposure.p.x", "test.p.not_null_b.1", "test.p.rel_b_c.2", "model.p.lonely"


def info(uid: str, **fields: object) -> NodeInfo:
    derived = NodeInfo.placeholder_for(uid)
    values = {
        "unique_id": uid,
        "resource_type": derived.resource_type,
        "name": derived.name,
        "package_name": derived.package_name,
        "fqn": derived.fqn,
        "source_name": derived.source_name,
    }
    values.update(fields)
    return NodeInfo(**values)  # type: ignore[arg-type]


@pytest.fixture
def dag() -> Dag:
    ids = {uid for edge in EDGES for uid in edge} | {LONELY}
    nodes = [
        info(uid, test_type="generic") if uid.startswith("test.") else info(uid) for uid in ids
    ]
    return Dag.build(nodes, EDGES)


@pytest.mark.parametrize(
    ("start", "depth", "expected"),
    [
        ([D], None, {S, A, B, C}),
        ([D], 1, {B, C}),
        ([D], 2, {A, B, C}),
        ([D], 0, set()),
        ([S], None, set()),
        ([B, D], None, {S, A, B, C}),  # b is upstream of d: counted
        ([B, C], 1, {A}),  # neither is upstream of the other: not counted
        (["model.p.unknown"], None, set()),
        ([T2], None, {S, A, B, C}),
    ],
)
def test_it_walks_upstream_with_dbt_depths(
    dag: Dag, start: list[str], depth: int | None, expected: set[str]
) -> None:
    assert dag.upstream(start, depth) == expected


@pytest.mark.parametrize(
    ("start", "depth", "expected"),
    [
        ([A], None, {B, C, D, E, F, X, T1, T2}),
        ([A], 1, {B, C}),
        ([A], 2, {B, C, D, T1, T2}),
        ([D], None, {E, F, X}),
        ([F], None, set()),
        ([A, D], 1, {B, C, E, X}),
    ],
)
def test_it_walks_downstream_with_dbt_depths(
    dag: Dag, start: list[str], depth: int | None, expected: set[str]
) -> None:
    assert dag.downstream(start, depth) == expected


def test_it_selects_childrens_parents_for_the_at_operator(dag: Dag) -> None:
    # c, everything below it, and everything above any of those (b comes in through d and
    # the relationships test; b's own test is neither).
    assert dag.childrens_parents([C]) == {S, A, B, C, D, E, F, X, T2}
    assert dag.childrens_parents([E]) == {S, A, B, C, D, E, F}
    assert dag.childrens_parents([LONELY]) == {LONELY}
    assert dag.childrens_parents(["model.p.unknown"]) == set()


def test_it_finds_the_tests_of_nodes(dag: Dag) -> None:
    assert dag.tests_of([B]) == {T1, T2}
    assert dag.tests_of([C]) == {T2}
    assert dag.tests_of([A, D, "model.p.unknown"]) == set()


def test_it_collapses_to_kept_nodes_with_bridging_edges(dag: Dag) -> None:
    collapsed = dag.collapse([S, A, D, F, X])

    assert set(collapsed) == {S, A, D, F, X}
    assert sorted(collapsed.graph.edges(data="bridged")) == [
        (A, D, True),  # through b and c
        (D, X, False),
        (D, F, True),  # through e
        (S, A, False),
    ]
    assert collapsed.infos[A] is dag.infos[A]


def test_it_keeps_a_direct_edge_unbridged_when_a_path_also_joins_the_nodes() -> None:
    dag = Dag(nx.DiGraph([("model.p.a", "model.p.b"), ("model.p.b", "model.p.c")]))
    dag.graph.add_edge("model.p.a", "model.p.c")

    collapsed = dag.collapse(["model.p.a", "model.p.c"])

    assert list(collapsed.graph.edges(data="bridged")) == [("model.p.a", "model.p.c", False)]


def test_collapse_drops_chains_that_lead_nowhere_kept(dag: Dag) -> None:
    collapsed = dag.collapse([B, C])
    assert set(collapsed) == {B, C}
    assert list(collapsed.graph.edges) == []


def test_it_finds_the_shortest_path_either_way(dag: Dag) -> None:
    assert dag.shortest_path(A, X) == [A, B, D, X] or dag.shortest_path(A, X) == [A, C, D, X]
    assert dag.shortest_path(F, S) == [S, A, B, D, E, F] or dag.shortest_path(F, S) == [
        S,
        A,
        C,
        D,
        E,
        F,
    ]
    assert dag.shortest_path(B, C) is None
    assert dag.shortest_path(A, "model.p.unknown") is None
    assert dag.shortest_path(A, A) == [A]


def test_it_finds_every_node_between_two(dag: Dag) -> None:
    assert dag.between(A, D) == {A, B, C, D}
    assert dag.between(X, S) == {S, A, B, C, D, X}
    assert dag.between(B, C) == set()
    assert dag.between(E, E) == {E}


def test_it_finds_a_cycle_only_when_there_is_one(dag: Dag) -> None:
    assert dag.find_cycle() is None

    cyclic = Dag(nx.DiGraph([("model.p.a", "model.p.b"), ("model.p.b", "model.p.a")]))
    cycle = cyclic.find_cycle()

    assert cycle is not None
    assert cycle[0] == cycle[-1]
    assert set(cycle) == {"model.p.a", "model.p.b"}


def test_it_views_a_subgraph_without_copying(dag: Dag) -> None:
    sub = dag.subgraph([A, B, D, "model.p.unknown"])

    assert set(sub) == {A, B, D}
    assert set(sub.graph.edges) == {(A, B), (B, D)}
    assert sub.upstream([D]) == {A, B}
    assert sub.infos[B] is dag.infos[B]


@pytest.mark.parametrize(
    ("unique_id", "expected"),
    [
        ("model.other.orders", ("model", "other", "orders", ("other", "orders"), "", "")),
        (
            "model.other.orders.v2",
            ("model", "other", "orders", ("other", "orders", "v2"), "2", ""),
        ),
        (
            "source.other.stripe.payments",
            ("source", "other", "payments", ("other", "payments"), "", "stripe"),
        ),
        ("seed.other.zones", ("seed", "other", "zones", ("other", "zones"), "", "")),
        ("metric.other.revenue", ("metric", "other", "revenue", ("other", "revenue"), "", "")),
    ],
)
def test_it_derives_a_placeholder_from_its_id(unique_id: str, expected: tuple) -> None:
    placeholder = NodeInfo.placeholder_for(unique_id)
    fields = (
        placeholder.resource_type,
        placeholder.package_name,
        placeholder.name,
        placeholder.fqn,
        placeholder.version,
        placeholder.source_name,
    )
    assert fields == expected
    assert placeholder.placeholder


def test_referenced_nodes_missing_from_the_environment_keep_lineage_connected() -> None:
    # A model of another project (a cross-project ref) and a disabled seed are referenced
    # but were not loaded.
    nodes = [info("model.p.orders"), info("exposure.p.dash")]
    edges = [
        ("model.upstream.customers", "model.p.orders"),
        ("seed.p.disabled_zones", "model.p.orders"),
        ("model.p.orders", "exposure.p.dash"),
    ]

    dag = Dag.build(nodes, edges)

    assert dag.placeholders == {"model.upstream.customers", "seed.p.disabled_zones"}
    assert dag.infos["model.upstream.customers"].resource_type == "model"
    assert dag.infos["model.upstream.customers"].package_name == "upstream"
    assert dag.upstream(["exposure.p.dash"]) == {
        "model.p.orders",
        "model.upstream.customers",
        "seed.p.disabled_zones",
    }
    assert not dag.infos["model.p.orders"].placeholder


def test_a_dag_gives_every_graph_node_an_info() -> None:
    dag = Dag(nx.DiGraph([("model.p.a", "model.p.b")]), {"model.p.a": info("model.p.a")})

    assert dag.infos["model.p.a"].placeholder is False
    assert dag.infos["model.p.b"].placeholder is True
    assert len(dag) == 2
    assert "model.p.a" in dag
    assert dag.parents("model.p.b") == ["model.p.a"]
    assert dag.children("model.p.a") == ["model.p.b"]
    assert dag.parents("model.p.unknown") == []
