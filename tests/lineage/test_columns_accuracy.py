"""How right the column-lineage parser is, against hand-written labels of two projects.

tests/fixtures/column_lineage/expected.json labels the example project (examples/artifacts),
jaffle_shop_expected.json a project Lantern did not write (dbt-colibri's jaffle_shop test
project, tests/fixtures/dbt/samples); both were written by reading each node's compiled SQL.
Edges are (child node, child column, parent node, parent column); precision and recall are over
those edges, and either one below 95% fails. Kinds are compared on the columns both traced.
"""

from __future__ import annotations

import gzip
import json
from pathlib import Path
from typing import Any

import pytest

from lineage.columns.artifacts import parse_inputs
from lineage.columns.parse import ParseResult, parse_node

ROOT = Path(__file__).resolve().parents[2]
EXPECTED = ROOT / "tests" / "fixtures" / "column_lineage" / "expected.json"
ARTIFACTS = ROOT / "examples" / "artifacts"
SETS = {
    "bikeshare": (EXPECTED, ARTIFACTS),
    "jaffle_shop": (
        EXPECTED.with_name("jaffle_shop_expected.json"),
        ROOT / "tests" / "fixtures" / "dbt" / "samples" / "jaffle_shop_duckdb_1.10.6",
    ),
}
BUDGET = 0.95

Edge = tuple[str, str, str, str]


def _split(ref: str) -> tuple[str, str]:
    node, _, column = ref.rpartition(".")
    return node, column


def _artifact(folder: Path, name: str) -> Any:
    plain = folder / name
    if plain.exists():
        return json.loads(plain.read_text())
    return json.loads(gzip.decompress((folder / f"{name}.gz").read_bytes()))


@pytest.fixture(scope="module", params=sorted(SETS))
def project(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture(scope="module")
def labels(project: str) -> dict:
    return json.loads(SETS[project][0].read_text())


@pytest.fixture(scope="module")
def results(project: str) -> dict[str, ParseResult]:
    folder = SETS[project][1]
    manifest, catalog = _artifact(folder, "manifest.json"), _artifact(folder, "catalog.json")
    return {inp.unique_id: parse_node(inp) for inp in parse_inputs(manifest, catalog)}


def _expected_edges(labels: dict) -> set[Edge]:
    return {
        (child, column, *_split(ref))
        for child, columns in labels["edges"].items()
        for column, (_kind, upstream) in columns.items()
        for ref in upstream
    }


def _found_edges(results: dict[str, ParseResult], labelled: set[str]) -> set[Edge]:
    # Only the labelled nodes: every SQL node of the project is labelled (checked below).
    return {
        (uid, col.column, parent, parent_col)
        for uid, result in results.items()
        if uid in labelled
        for col in result.columns
        for parent, parent_col in col.upstream
    }


def test_it_labels_enough_edges_and_every_sql_node(
    project: str, labels: dict, results: dict
) -> None:
    assert len(_expected_edges(labels)) >= (150 if project == "bikeshare" else 100)
    sql_nodes = {
        uid
        for uid, r in results.items()
        if not uid.startswith("seed.") and r.category != "python_model"
    }
    # A model added to the example project without labels would silently escape the measure.
    assert sql_nodes == set(labels["edges"]), sql_nodes ^ set(labels["edges"])


def test_precision_and_recall_are_at_least_95_percent(
    project: str, labels: dict, results: dict
) -> None:
    expected = _expected_edges(labels)
    found = _found_edges(results, set(labels["edges"]))
    hits = expected & found
    precision = len(hits) / len(found) if found else 0.0
    recall = len(hits) / len(expected)

    kinds_right = kinds_compared = 0
    for child, columns in labels["edges"].items():
        traced = {c.column: c for c in results[child].columns}
        for column, (kind, _upstream) in columns.items():
            col = traced.get(column)
            if col is not None and not col.error:
                kinds_compared += 1
                kinds_right += col.kind == kind
    kind_accuracy = kinds_right / kinds_compared if kinds_compared else 0.0

    print(
        f"\ncolumn lineage on {project}: {len(expected)} labelled edges, "
        f"{len(found)} found; precision {precision:.1%}, recall {recall:.1%}, "
        f"kind accuracy {kind_accuracy:.1%} ({kinds_right}/{kinds_compared})"
    )
    for edge in sorted(found - expected):
        print("  extra  ", edge)
    for edge in sorted(expected - found):
        print("  missed ", edge)
    assert precision >= BUDGET, f"precision {precision:.1%} is below {BUDGET:.0%}"
    assert recall >= BUDGET, f"recall {recall:.1%} is below {BUDGET:.0%}"
    assert kind_accuracy >= BUDGET, f"kind accuracy {kind_accuracy:.1%} is below {BUDGET:.0%}"


def test_it_reports_the_columns_it_cannot_trace(labels: dict, results: dict) -> None:
    for uid, columns in labels["errors"].items():
        by_name = {c.column: c for c in results[uid].columns}
        for column, category in columns.items():
            assert by_name[column].error, (uid, column)
            assert by_name[column].error_category == category
            assert by_name[column].upstream == ()
            assert by_name[column].kind == ""
        assert results[uid].status == "partial"


def test_the_python_model_fails_with_its_reason(labels: dict, results: dict) -> None:
    for uid, category in labels["failed"].items():
        result = results[uid]
        assert (result.status, result.category) == ("failed", category)
        assert result.reason
        assert all(c.error and not c.upstream for c in result.columns)


def test_no_model_with_an_error_is_reported_parsed(results: dict) -> None:
    for uid, result in results.items():
        has_errors = any(c.error for c in result.columns)
        assert (result.status == "parsed") == (not has_errors), uid
        assert (result.category == "") == (result.status == "parsed"), uid
        for col in result.columns:
            # Traced columns have a kind and no error; untraced ones neither kind nor edges.
            assert bool(col.kind) != bool(col.error), (uid, col)
            assert not (col.error and col.upstream), (uid, col)


def test_every_labelled_construct_is_in_the_example_project() -> None:
    labels = json.loads(EXPECTED.read_text())
    manifest = json.loads((ARTIFACTS / "manifest.json").read_text())
    for construct, uid in labels["constructs"].items():
        assert uid in manifest["nodes"], construct
        assert uid in labels["edges"] or uid in labels["failed"], construct
    code = {uid: (n.get("compiled_code") or "").lower() for uid, n in manifest["nodes"].items()}
    assert "exclude (" in code["model.bikeshare.fct_bike_status_history"]
    assert "replace (" in code["model.bikeshare.fct_bike_status_history"]
    assert "union all" in code["model.bikeshare.fct_station_dock_events"]
    assert " over (" in code["model.bikeshare.fct_station_dock_events"]
    assert "__dbt__cte__int_trips_enriched" in code["model.bikeshare.fct_trips"]
