"""Every field of every served type answers without an error, on the example project.

Fields resolve by attribute name (catalog.graphql.types.base), so a field that Lantern's
objects do not answer would be an error here, not a silent null.
"""

from __future__ import annotations

from typing import Any

from graphql import GraphQLField, get_named_type, is_object_type

from catalog.graphql import coverage
from catalog.models import Run
from lantern.schema import schema
from tests.catalog.graphql.conftest import execute
from tests.catalog.graphql.selections import default_arguments, every_field

ALL_TYPES = (
    "[Exposure, Macro, Metric, Model, SavedQuery, Seed, SemanticModel, Snapshot, Source, Test]"
)


def arguments(type_name: str, name: str, field: GraphQLField) -> str:
    paged = {"first", "after"} <= set(field.args)
    if name == "resources" and type_name.endswith("State"):
        return f"(first: 40, filter: {{types: {ALL_TYPES}}})"
    if type_name == "ColumnQueryNode" and name == "lineage":
        return '(nodeUniqueId: "model.bikeshare.fct_trips")'
    if name == "lineage":
        select = "+fct_trips+ +fct_revenue_daily resource_type:snapshot"
        return f'(filter: {{select: "{select}", types: {ALL_TYPES}}})'
    if name == "exposureTile":
        return '(filter: {uniqueId: "exposure.bikeshare.fleet_operations_dashboard"})'
    if name == "modelHistoricalRuns":
        return (
            '(uniqueId: "model.bikeshare.stg_bike_ops__bikes", lastRunCount: 3, withCatalog: true)'
        )
    if type_name == "JobNode" and name in ("model", "seed", "snapshot", "test", "source"):
        return '(uniqueId: "{}")'.format(
            {
                "model": "model.bikeshare.stg_bike_ops__bikes",
                "seed": "seed.bikeshare.bike_models",
                "snapshot": "snapshot.bikeshare.bikes_snapshot",
                "test": "test.bikeshare.not_null_stg_bike_ops__bikes_bike_id.1114d3e327",
                "source": "source.bikeshare.bike_ops.bikes",
            }[name]
        )
    if type_name == "JobNode" and name in ("macro", "metric"):
        return '(uniqueId: "%s")' % (
            "macro.bikeshare.duration_minutes" if name == "macro" else "metric.bikeshare.trips"
        )
    if type_name == "JobNode" and name == "exposure":
        return '(name: "fleet_operations_dashboard")'
    if paged:
        return "(first: 6)" if name in ("macros", "tests") else "(first: 30)"
    return default_arguments(type_name, name, field)


def typenames(value: Any, found: set[str]) -> set[str]:
    if isinstance(value, dict):
        for key, item in value.items():
            if key.endswith("__typename"):
                found.add(item)
            else:
                typenames(item, found)
    elif isinstance(value, list):
        for item in value:
            typenames(item, found)
    return found


def test_every_field_of_every_type_answers(demo) -> None:
    s = schema.graphql_schema
    seen: set[str] = set()
    # Nested lists of nested lists: depth 5 below each state reaches every type with data
    # (6 for saved queries' where filters).
    for state, depth in (("applied", 5), ("definition", 6)):
        selection = every_field(s, state.capitalize() + "State", depth, arguments)
        result = execute(
            f"query($env: BigInt!) {{ environment(id: $env) {{ {state} {{ {selection} }} }} }}",
            {"env": demo.pk},
        )
        assert result.errors is None, {e.message for e in result.errors}
        typenames(result.data, seen)
    for run in Run.objects.filter(environment=demo):
        selection = every_field(s, "JobNode", 3, arguments)
        query = "query($job: BigInt!, $run: BigInt) { job(id: $job, runId: $run) { %s } }"
        result = execute(query % selection, {"job": demo.pk, "run": run.pk})
        assert result.errors is None, {e.message for e in result.errors}
        typenames(result.data, seen)
    selection = every_field(s, "ColumnQueryNode", 2, arguments)
    result = execute(
        f"query($env: BigInt!) {{ column(environmentId: $env) {{ {selection} }} }}",
        {"env": demo.pk},
    )
    assert result.errors is None, {e.message for e in result.errors}
    assert result.data["column"]["lineage"], "fct_trips has columns: each is in its lineage"
    typenames(result.data, seen)
    served = {
        name
        for name, kind in s.type_map.items()
        if is_object_type(kind) and not name.startswith("__") and name not in coverage.LEFT_OUT
    }
    # What the example project cannot show: no cross-project refs, and DuckDB reports no
    # catalog stats. The roots are never named by __typename here.
    unseen = served - seen - {"Query", "Environment", "AppliedState", "DefinitionState", "JobNode"}
    assert unseen == {"ExternalModelNode", "CatalogStat"}
    assert all(get_named_type(s.get_type(n)) for n in served)
