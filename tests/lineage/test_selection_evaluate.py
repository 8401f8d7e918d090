"""Evaluating specs on a small hand-built Dag: operators, indirect tests, placeholders.

What dbt itself selects on a real project is tested in test_selection_dbt.py; this covers
what the example project cannot show (other packages, placeholders, versions as strings).
"""

from __future__ import annotations

import pytest

from lineage.graph import Dag, NodeInfo
from lineage.selection import Indirect, evaluate, parse, select

NODES = [
    NodeInfo("source.p.raw.s", "source", "s", "p", ("p", "raw", "s"), source_name="raw"),
    NodeInfo(
        "model.p.a",
        "model",
        "a",
        "p",
        ("p", "staging", "a"),
        original_file_path="models/staging/a.sql",
        tags=("nightly",),
    ),
    NodeInfo(
        "model.p.b",
        "model",
        "b",
        "p",
        ("p", "marts", "b"),
        original_file_path="models/marts/b.sql",
        patch_path="p://models/marts/_marts.yml",
        config={"materialized": "table", "meta": {"owner": "ana"}},
    ),
    NodeInfo(
        "model.p.orders.v1",
        "model",
        "orders",
        "p",
        ("p", "marts", "orders", "v1"),
        version="1",
        latest_version="10",
    ),
    NodeInfo(
        "model.p.orders.v10",
        "model",
        "orders",
        "p",
        ("p", "marts", "orders", "v10"),
        version="10",
        latest_version="10",
    ),
    NodeInfo(
        "model.p.orders.vbeta",
        "model",
        "orders",
        "p",
        ("p", "marts", "orders", "vbeta"),
        version="beta",
        latest_version="10",
    ),
    NodeInfo(
        "test.p.not_null_b_id.1",
        "test",
        "not_null_b_id",
        "p",
        ("p", "marts", "not_null_b_id"),
        original_file_path="models/marts/_marts.yml",
        test_type="generic",
        test_name="not_null",
        config={"severity": "ERROR"},
    ),
    NodeInfo(
        "test.p.assert_b.2",
        "test",
        "assert_b",
        "p",
        ("p", "assert_b"),
        original_file_path="tests/assert_b.sql",
        test_type="singular",
        test_name="assert_b",
    ),
    NodeInfo("model.q.c", "model", "c", "q", ("q", "c"), original_file_path="models/c.sql"),
]
EDGES = [
    ("source.p.raw.s", "model.p.a"),
    ("model.p.a", "model.p.b"),
    ("model.p.b", "test.p.not_null_b_id.1"),
    ("model.p.b", "test.p.assert_b.2"),
    ("model.other.upstream", "model.p.a"),  # a placeholder: another project's model
    ("model.p.b", "model.q.c"),
]


@pytest.fixture
def dag() -> Dag:
    return Dag.build(NODES, EDGES, projects=["p"])


@pytest.mark.parametrize(
    ("select_text", "exclude", "expected"),
    [
        ("b", "", {"model.p.b", "test.p.not_null_b_id.1", "test.p.assert_b.2"}),
        ("+a", "", {"model.p.a", "source.p.raw.s", "model.other.upstream"}),
        ("model.other.upstream", "", set()),  # an fqn is not a unique_id
        ("other.upstream", "", {"model.other.upstream"}),  # placeholders have an fqn
        ("package:other", "", {"model.other.upstream"}),
        ("package:this", "", {n.unique_id for n in NODES if n.package_name == "p"}),
        ("resource_type:source", "", {"source.p.raw.s"}),
        ("upstream+1", "", {"model.other.upstream", "model.p.a"}),
        ("orders", "", {"model.p.orders.v1", "model.p.orders.v10", "model.p.orders.vbeta"}),
        ("orders_v10", "", {"model.p.orders.v10"}),
        ("version:latest", "", {"model.p.orders.v10"}),
        ("version:old", "", {"model.p.orders.v1"}),  # 1 < 10 as numbers, not as strings
        ("version:prerelease", "", {"model.p.orders.vbeta"}),  # "beta" > "10" as strings
        ("version:none,a", "", {"model.p.a"}),
        ("version:none", "path:models", {"model.other.upstream"}),  # placeholders too
        ("config.meta.owner:ana", "", {"model.p.b", "test.p.not_null_b_id.1", "test.p.assert_b.2"}),
        ("config.severity:error", "", {"test.p.not_null_b_id.1"}),
        ("test_name:not_null", "", {"test.p.not_null_b_id.1"}),
        ("test_name:assert_b", "", set()),  # singular tests have no test name
        ("test_type:singular", "", {"test.p.assert_b.2"}),
        (
            "path:models/marts/_marts.yml",
            "",
            {"model.p.b", "test.p.not_null_b_id.1", "test.p.assert_b.2"},
        ),
        ("path:models", "b+", {"model.p.a"}),
        ("path:tests", "", {"test.p.assert_b.2"}),
        # The exclude takes b's tests with b, the singular test in tests/ too.
        ("path:**", "path:models", set()),
        ("file:a", "", {"model.p.a"}),
        ("a b", "", {"model.p.a", "model.p.b", "test.p.not_null_b_id.1", "test.p.assert_b.2"}),
        ("+b,tag:nightly", "", {"model.p.a"}),
        ("nothing_at_all", "", set()),
    ],
)
def test_it_evaluates(dag: Dag, select_text: str, exclude: str, expected: set[str]) -> None:
    assert select(dag, select_text, exclude) == expected


def test_without_indirect_selection_tests_stay_out(dag: Dag) -> None:
    assert select(dag, "b", indirect=Indirect.EMPTY) == {"model.p.b"}
    assert select(dag, "b+", indirect=Indirect.EMPTY) == {
        "model.p.b",
        "test.p.not_null_b_id.1",
        "test.p.assert_b.2",
        "model.q.c",
    }


def test_resource_types_filter_after_selecting(dag: Dag) -> None:
    spec = parse("+b")
    assert evaluate(dag, spec, resource_types=["source", "model"]) == {
        "source.p.raw.s",
        "model.other.upstream",
        "model.p.a",
        "model.p.b",
    }


def test_the_default_includes_select_every_node(dag: Dag) -> None:
    assert select(dag) == set(dag)
