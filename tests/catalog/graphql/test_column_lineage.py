"""column(environmentId:) { lineage(nodeUniqueId:, filters:) }: dbt's column-lineage query,
answered from the stored column lineage."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from catalog.models import Column, Environment
from lineage.columns.compute import column_lineage_compute
from lineage.models import ColumnEdge, ColumnLineage
from tests.catalog.graphql.conftest import execute
from tests.lineage.stored import BIKES, FAILED, FCT, INT, SRC, STG, USAGE, write_known_lineage

pytestmark = pytest.mark.django_db

QUERY = """
query($env: BigInt!, $node: String!, $filters: ColumnLineageFilter) {
  column(environmentId: $env) {
    lineage(nodeUniqueId: $node, filters: $filters) {
      uniqueId name nodeUniqueId parentColumns childColumns relationship
      isError error errorCategory environmentId projectId accountId runId
    }
  }
}
"""


def lineage(env: Environment, node: str, **filters) -> dict[str, dict]:
    result = execute(QUERY, {"env": env.pk, "node": node, "filters": filters or None})
    assert result.errors is None, [e.message for e in result.errors]
    return {row["uniqueId"]: row for row in result.data["column"]["lineage"]}


@pytest.fixture
def known(demo: Environment) -> Environment:
    write_known_lineage(demo)
    return demo


def test_one_node_per_column_in_the_lineage_with_parents_children_and_kind(
    known: Environment,
) -> None:
    rows = lineage(known, FCT, columnName="trip_id")

    assert set(rows) == {
        f"{FCT}.trip_id",
        f"{INT}.trip_id",
        f"{STG}.trip_id",
        f"{SRC}.ride_id",
        f"{USAGE}.trips",
        f"{USAGE}.ebike_trips",
    }
    me = rows[f"{FCT}.trip_id"]
    assert me["parentColumns"] == [f"{INT}.trip_id"]
    assert me["childColumns"] == [f"{USAGE}.ebike_trips", f"{USAGE}.trips"]
    assert (me["relationship"], me["isError"], me["name"], me["nodeUniqueId"]) == (
        "passthrough",
        False,
        "trip_id",
        FCT,
    )
    assert rows[f"{STG}.trip_id"]["relationship"] == "rename"
    assert rows[f"{STG}.trip_id"]["parentColumns"] == [f"{SRC}.ride_id"]
    assert rows[f"{USAGE}.trips"]["relationship"] == "aggregated"
    source = rows[f"{SRC}.ride_id"]
    assert (source["relationship"], source["isError"], source["parentColumns"]) == (
        None,
        False,
        [],
    )
    assert me["environmentId"] == known.pk
    assert me["runId"] is None


def test_max_depth_and_is_error_filter(known: Environment) -> None:
    near = lineage(known, FCT, columnName="trip_id", maxDepth=1)
    assert set(near) == {
        f"{FCT}.trip_id",
        f"{INT}.trip_id",
        f"{USAGE}.trips",
        f"{USAGE}.ebike_trips",
    }
    assert set(lineage(known, FCT, columnName="trip_id", maxDepth=0)) == {f"{FCT}.trip_id"}

    errors = lineage(known, FCT, isError=True)
    assert errors[f"{FCT}.trip_date"]["errorCategory"] == "unsupported"
    # the partial model's columns the parser did not report are errors too, never "traced"
    names = set(Column.objects.filter(node__unique_id=FCT).values_list("name", flat=True))
    assert set(errors) == {f"{FCT}.{n}" for n in names - {"trip_id", "bike_id"}}
    assert all(not r["isError"] for r in lineage(known, FCT, isError=False).values())


def test_every_column_of_a_failed_model_is_an_error_with_the_reason(
    known: Environment,
) -> None:
    rows = lineage(known, BIKES)
    names = set(Column.objects.filter(node__unique_id=BIKES).values_list("name", flat=True))
    assert set(rows) == {f"{BIKES}.{n}" for n in names}
    for row in rows.values():
        assert row["isError"] is True
        assert (row["error"], row["errorCategory"]) == (FAILED[2], FAILED[1])
        assert row["relationship"] is None


def test_the_number_of_queries_does_not_grow_with_depth(known: Environment) -> None:
    counts = []
    for depth in (0, 1, 3, None):
        filters = {"maxDepth": depth} if depth is not None else {}
        with CaptureQueriesContext(connection) as queries:
            lineage(known, STG, **filters)
        counts.append(len(queries))
    assert len(set(counts)) == 1, counts


def test_answers_equal_the_stored_edges_of_a_computed_project(demo: Environment) -> None:
    column_lineage_compute(environment=demo)
    for uid in (
        ColumnLineage.objects.filter(environment=demo)
        .values_list("unique_id", flat=True)
        .distinct()
    ):
        rows = lineage(demo, uid, maxDepth=1)
        for column, kind, error in ColumnLineage.objects.filter(
            environment=demo, unique_id=uid
        ).values_list("column", "kind", "error"):
            row = rows[f"{uid}.{column}"]
            parents = sorted(
                f"{p}.{c}"
                for p, c in ColumnEdge.objects.filter(
                    environment=demo, child_unique_id=uid, child_column=column
                ).values_list("parent_unique_id", "parent_column")
            )
            assert row["parentColumns"] == parents
            assert row["isError"] is bool(error)
            assert row["relationship"] == (kind or None)


def test_an_unknown_environment_is_the_no_data_error(known: Environment) -> None:
    result = execute(QUERY, {"env": known.pk + 1000, "node": FCT})
    assert result.errors
