"""The SQL a Discovery query costs does not grow with `first`, nor with how many nodes each
level of nesting brings (catalog/graphql/loaders.py says how): at most one query per level
and kind of related rows. Each representative query runs for one node, a few, and every node
(dozens, each with related rows: an N+1 would cost far more than the pin) and must stay within
the count pinned here. Counts vary by a query or two with the page: a level whose rows
another level already loaded is answered from the request's cache.
A count going up is a reviewed diff (STYLE.md §3.7)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from catalog.graphql.loaders import Batch, Ctx
from catalog.models import Run
from lantern.schema import schema
from lineage.queries import dag_get
from tests.catalog.graphql import example
from tests.catalog.graphql.conftest import execute
from tests.catalog.graphql.selections import every_field
from tests.catalog.graphql.test_every_field import arguments

NESTED = """
query($env: BigInt!, $first: Int) { environment(id: $env) { applied {
  models(first: $first) { totalCount edges { node {
    uniqueId rawCode
    executionInfo { lastRunStatus lastRunId executeCompletedAt lastSuccessRunId }
    catalog { rowCountStat columns { name type description } stats { id value } }
    tests { uniqueId testType executionInfo { lastRunStatus lastRunFailures } }
    parents { uniqueId
      ... on ModelAppliedStateNestedNode { modelInfo: executionInfo { lastRunStatus } testStatuses }
      ... on SourceAppliedStateNestedNode { freshness { freshnessStatus } }
      ... on SeedAppliedStateNestedNode { seedInfo: executionInfo { lastRunStatus } } }
    children { uniqueId }
    ancestors(types: [Model, Source, Seed, Snapshot]) { uniqueId
      ... on ModelAppliedStateNestedNode { modelInfo: executionInfo { lastRunStatus } } }
    versions { name }
  } } } } } }
"""
SOURCES = """
query($env: BigInt!, $first: Int) { environment(id: $env) { applied {
  sources(first: $first) { edges { node { uniqueId
    freshness { freshnessStatus maxLoadedAt freshnessRunId criteria { warnAfter { count } } }
    catalog { columns { name } }
    tests { uniqueId executionInfo { lastRunStatus } }
    children { uniqueId ... on ModelAppliedStateNestedNode { testStatuses } }
  } } } } } }
"""
TESTS = """
query($env: BigInt!, $first: Int) { environment(id: $env) { applied {
  tests(first: $first) { edges { node { uniqueId lastKnownResult
    testMetadata { name kwargs }
    executionInfo { lastRunStatus lastSuccessRunId runElapsedTime }
    parents { uniqueId }
  } } } } } }
"""
DEFINITION = """
query($env: BigInt!, $first: Int) { environment(id: $env) { definition {
  models(first: $first) { edges { node { uniqueId runId
    parents { uniqueId } children { uniqueId } tests { uniqueId }
    ancestors(types: [Source]) { uniqueId }
  } } }
  exposures(first: $first) { edges { node { freshnessStatus parents { uniqueId } } } }
  groups(first: $first) { edges { node { modelCount models { uniqueId } } } }
  metrics(first: $first) { edges { node { parents { uniqueId } children { uniqueId } } } }
} } }
"""
JOB = """
query($job: BigInt!, $run: BigInt, $first: Int) { job(id: $job, runId: $run) {
  models(first: $first) { uniqueId status rawCode dependsOn childrenL1
    columns { name } stats { id }
    tests { uniqueId status }
    parentsModels { uniqueId status tests { uniqueId } }
    parentsSources { uniqueId state }
  }
  sources(first: $first) { uniqueId state tests { uniqueId } }
} }
"""
HISTORY = """
query($env: BigInt!, $first: Int) { environment(id: $env) { applied {
  modelHistoricalRuns(uniqueId: "model.bikeshare.stg_bike_ops__bikes", lastRunCount: $first,
                      withCatalog: true) {
    runId status columns { name } tests { uniqueId status } parentsSources { uniqueId state }
  } } } }
"""
LINEAGE = """
query($env: BigInt!, $select: String) { environment(id: $env) { applied {
  lineage(filter: {select: $select}) { uniqueId database projectId matchesMethod
    ... on LineageNodeWithParents { parentIds } ... on LineageNodeTestable { worstTestStatus } }
} } }
"""


def count(query: str, variables: dict) -> int:
    with CaptureQueriesContext(connection) as queries:
        result = execute(query, variables)
    assert result.errors is None, [e.message for e in result.errors]
    return len(queries.captured_queries)


def counts(query: str, variables: dict, firsts: tuple[int, ...]) -> dict[int, int]:
    return {first: count(query, {**variables, "first": first}) for first in firsts}


@pytest.mark.parametrize(
    ("query", "pinned"),
    [(NESTED, 18), (SOURCES, 11), (TESTS, 6), (DEFINITION, 21)],
    ids=["models-nested", "sources", "tests", "definition"],
)
def test_it_costs_no_more_for_every_node_than_for_one(
    demo, django_assert_max_num_queries, query: str, pinned: int
) -> None:
    dag_get(demo)  # the DAG is built once per load and process: not the query's cost
    found = counts(query, {"env": demo.pk}, (1, 3, 500))
    assert max(found.values()) <= pinned, found
    with django_assert_max_num_queries(pinned):
        execute(query, {"env": demo.pk, "first": 500})


def test_a_job_run_costs_no_more_for_every_node_than_for_one(
    demo, django_assert_max_num_queries
) -> None:
    invocation = example.RUNS[0][1]["metadata"]["invocation_id"]
    run = Run.objects.get(environment=demo, invocation_id=invocation)
    found = counts(JOB, {"job": demo.pk, "run": run.pk}, (1, 3, 100))
    assert max(found.values()) <= 24, found
    with django_assert_max_num_queries(24):
        execute(JOB, {"job": demo.pk, "run": run.pk, "first": 100})


def test_history_costs_no_more_for_every_run_than_for_one(
    demo, django_assert_max_num_queries
) -> None:
    found = counts(HISTORY, {"env": demo.pk}, (1, 20))
    assert max(found.values()) <= 13, found
    with django_assert_max_num_queries(13):
        execute(HISTORY, {"env": demo.pk, "first": 20})


def test_lineage_costs_one_query_on_top_of_the_dag(demo, django_assert_max_num_queries):
    dag_get(demo)
    small = count(LINEAGE, {"env": demo.pk, "select": "fct_trips"})
    everything = count(LINEAGE, {"env": demo.pk, "select": ""})
    assert small == everything
    with django_assert_max_num_queries(3):  # environment, projects, relation fields
        execute(LINEAGE, {"env": demo.pk, "select": ""})


@pytest.mark.parametrize(("state", "pinned"), [("applied", 80), ("definition", 70)])
def test_every_field_of_every_nested_type_stays_flat(
    demo, django_assert_max_num_queries, state: str, pinned: int
) -> None:
    """Every field of every type, nested four levels, 30 nodes a list: one query per list
    and kind of related rows. A field that read a column its loader leaves out (nested rows
    come without code, config, meta, tags) would cost a query per node."""
    dag_get(demo)
    selection = every_field(schema.graphql_schema, state.capitalize() + "State", 4, arguments)
    query = "query($env: BigInt!) { environment(id: $env) { " + state
    query += " { " + selection + " } } }"
    with django_assert_max_num_queries(pinned):
        execute(query, {"env": demo.pk})


def test_a_batch_of_nested_nodes_belongs_to_its_siblings_alone(demo) -> None:
    """A list's batch may be freed before the request ends, and a new list's batch may then
    get its id(): the new list must still get its own nested batch (a job's parents were
    answered from another list's, hence empty, and the definition query cost three more)."""
    ctx = Ctx(demo)
    made = [Batch() for _ in range(20)]
    loads = 0

    def load() -> Batch:
        nonlocal loads
        loads += 1
        return made[loads - 1]

    for _ in range(20):
        siblings = Batch()
        wave = ctx.wave("parents", siblings, load)
        assert ctx.wave("parents", siblings, load) is wave
        del siblings  # CPython gives the next Batch() the memory, hence the id, of this one
    assert loads == 20
