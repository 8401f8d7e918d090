"""Walks over stored column lineage: upstream, downstream, depth, errors, inherited
descriptions; a fixed number of queries at any depth."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from catalog.models import Column, Environment
from lineage.columns.queries import column_graph, column_impact, inherited_descriptions
from tests.catalog.conftest import demo  # noqa: F401  (the example project, loaded)
from tests.lineage.stored import BIKES, FAILED, FCT, INT, SRC, STG, USAGE, write_known_lineage

pytestmark = pytest.mark.django_db


@pytest.fixture
def known(demo: Environment) -> Environment:  # noqa: F811
    write_known_lineage(demo)
    return demo


def test_it_walks_a_column_upstream_to_the_source_and_downstream(known: Environment) -> None:
    graph = column_graph(environment=known, unique_id=FCT, column="trip_id")

    up = {(e.child, e.parent, e.kind, e.depth) for e in graph.upstream()}
    assert up == {
        ((FCT, "trip_id"), (INT, "trip_id"), "passthrough", 1),
        ((INT, "trip_id"), (STG, "trip_id"), "passthrough", 2),
        ((STG, "trip_id"), (SRC, "ride_id"), "rename", 3),
    }
    down = {(e.child, e.parent, e.kind, e.depth) for e in graph.downstream()}
    assert down == {
        ((USAGE, "trips"), (FCT, "trip_id"), "aggregated", 1),
        ((USAGE, "ebike_trips"), (FCT, "trip_id"), "aggregated", 1),
    }
    assert graph.start == [(FCT, "trip_id")]
    state = graph.columns[(FCT, "trip_id")]
    assert (state.kind, state.is_error, state.node_status) == ("passthrough", False, "partial")
    # a source column is where lineage starts: no status, no error
    source = graph.columns[(SRC, "ride_id")]
    assert (source.node_status, source.is_error, source.resource_type) == ("", False, "source")


def test_depth_limits_each_direction(known: Environment) -> None:
    graph = column_graph(
        environment=known, unique_id=FCT, column="trip_id", up_depth=1, down_depth=0
    )
    assert [(e.child, e.parent) for e in graph.edges] == [((FCT, "trip_id"), (INT, "trip_id"))]


def test_the_number_of_queries_does_not_grow_with_depth(known: Environment) -> None:
    counts = []
    for depth in (0, 1, 2, None):
        with CaptureQueriesContext(connection) as queries:
            column_graph(environment=known, unique_id=FCT, up_depth=depth, down_depth=depth)
        counts.append(len(queries))
    assert len(set(counts)) == 1, counts


def test_an_untraced_column_and_a_failed_model_are_errors_with_their_reason(
    known: Environment,
) -> None:
    graph = column_graph(environment=known, unique_id=FCT, column="trip_date")
    state = graph.columns[(FCT, "trip_date")]
    assert state.is_error
    assert state.error_category == "unsupported"
    assert not graph.edges

    failed = column_graph(environment=known, unique_id=BIKES)
    names = set(Column.objects.filter(node__unique_id=BIKES).values_list("name", flat=True))
    assert {ref[1] for ref in failed.start} == names
    for ref in failed.start:
        state = failed.columns[ref]
        assert state.is_error, ref
        assert (state.error, state.error_category) == (FAILED[2], FAILED[1])


def test_a_model_not_computed_yet_has_no_state_and_no_error_claimed(
    known: Environment,
) -> None:
    # dim_stations has no stored lineage at all: its columns are listed, none claims to be
    # traced (no kind), none has an upstream.
    graph = column_graph(environment=known, unique_id="model.bikeshare.dim_stations")
    assert graph.start
    assert graph.node_state is None
    assert all(not graph.columns[r].kind for r in graph.start)


def test_descriptions_are_inherited_through_passthrough_and_rename_only(
    known: Environment,
) -> None:
    Column.objects.filter(node__unique_id__in=[FCT, INT], name="trip_id").update(description="")
    Column.objects.filter(node__unique_id=USAGE, name="trips").update(description="")
    columns = list(Column.objects.filter(node__unique_id=FCT))

    inherited = inherited_descriptions(environment=known, unique_id=FCT, columns=columns)

    stg = Column.objects.get(node__unique_id=STG, name="trip_id")
    assert inherited["trip_id"].description == stg.description
    assert (inherited["trip_id"].unique_id, inherited["trip_id"].column) == (STG, "trip_id")
    # described columns keep their own
    assert "bike_id" not in inherited
    # aggregated: a count of trips is not a trip id
    usage = list(Column.objects.filter(node__unique_id=USAGE))
    assert "trips" not in inherited_descriptions(environment=known, unique_id=USAGE, columns=usage)


def test_the_impact_names_downstream_models_exposures_and_owners(known: Environment) -> None:
    graph = column_graph(environment=known, unique_id=STG, column="trip_id")
    impact = column_impact(environment=known, graph=graph)
    assert {m["unique_id"] for m in impact.models} == {INT, FCT, USAGE}
    assert {c.ref for c in impact.columns} == {
        (INT, "trip_id"),
        (FCT, "trip_id"),
        (USAGE, "trips"),
        (USAGE, "ebike_trips"),
    }
    # exposures on fct_trips (and none on the staging model itself)
    assert {x["unique_id"] for x in impact.exposures} == {
        "exposure.bikeshare.fleet_operations_dashboard",
        "exposure.bikeshare.rider_app_profile",
    }
    assert impact.owners
