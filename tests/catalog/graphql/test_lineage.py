"""applied/definition { lineage(filter:) }: dbt's selectors, as `dbt ls` lists them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.catalog.graphql import example
from tests.catalog.graphql.conftest import execute

CORPUS = json.loads(
    (Path(__file__).parents[2] / "fixtures" / "selectors" / "bikeshare.json").read_text()
)
# dbt ls lists analyses (and would list functions); the Discovery API has no lineage type
# for them.
NOT_IN_LINEAGE = ("analysis.", "function.")

LINEAGE = """
query Lineage($env: BigInt!, $filter: LineageFilter!) {
  environment(id: $env) {
    applied {
      lineage(filter: $filter) {
        __typename uniqueId name resourceType filePath projectId tags matchesMethod
        database schema alias materializationType access group version
        parentIds publicParentIds
        ... on LineageGraphNode { fqn }
        ... on LineageNodeExecutable { lastRunStatus }
        ... on LineageNodeTestable { worstTestStatus }
        ... on ModelLineageNode { modelingLayer }
        ... on SourceLineageNode { sourceName sourceRunStatus: lastRunStatus }
      }
    }
  }
}
"""


def lineage(gql, env: int, **filter: object) -> list[dict]:
    return gql(LINEAGE, env=env, filter=filter)["environment"]["applied"]["lineage"]


@pytest.fixture
def selected(demo, gql):
    """Run every corpus selector through one test's database (loading it once)."""

    def run(case: dict) -> list[str]:
        nodes = lineage(gql, demo.pk, select=case["select"], exclude=case["exclude"])
        return [n["uniqueId"] for n in nodes]

    return run


def test_it_selects_what_dbt_ls_lists_for_the_whole_corpus(selected) -> None:
    """Every selector of tests/fixtures/selectors/bikeshare.json (dbt ls on the example)."""
    assert len(CORPUS["cases"]) >= 100
    wrong = {}
    for case in CORPUS["cases"]:
        expected = sorted(u for u in case["expected"] if not u.startswith(NOT_IN_LINEAGE))
        got = selected(case)
        if got != expected:
            wrong[f"{case['select']} --exclude {case['exclude']}"] = (
                sorted(set(got) - set(expected)),
                sorted(set(expected) - set(got)),
            )
    assert wrong == {}


def test_it_answers_every_field_of_a_lineage_node_from_the_manifest(demo, gql) -> None:
    nodes = lineage(gql, demo.pk)
    lineage_types = ("model", "seed", "snapshot", "source", "test", "unit_test", "exposure")
    lineage_types += ("metric", "semantic_model", "saved_query")
    assert [n["uniqueId"] for n in nodes] == example.of_type(*lineage_types)
    names = {
        "model": "Model",
        "seed": "Seed",
        "snapshot": "Snapshot",
        "source": "Source",
        "test": "Test",
        "unit_test": "Test",
        "exposure": "Exposure",
        "metric": "Metric",
        "semantic_model": "SemanticModel",
        "saved_query": "SavedQuery",
    }
    for node in nodes:
        manifest = example.RESOURCES[node["uniqueId"]]
        kind = manifest["resource_type"]
        assert node["resourceType"] == names[kind]
        assert node["__typename"] == names[kind] + "LineageNode"
        assert node["name"] == manifest["name"]
        assert node["filePath"] == manifest["original_file_path"]
        assert node["matchesMethod"] is True  # no selector: every node matches
        assert node["projectId"] > 0
        assert set(node["tags"]) == example.tags(manifest)
        assert node["publicParentIds"] == []
        if "parentIds" in node:
            assert node["parentIds"] == sorted(example.MANIFEST["parent_map"][node["uniqueId"]])
        if "fqn" in node:
            assert node["fqn"] == manifest["fqn"]
        if kind in ("model", "seed", "snapshot"):
            assert node["database"] == manifest["database"]
            assert node["schema"] == manifest["schema"]
            assert node["alias"] == manifest["alias"]
            assert node["materializationType"] == manifest["config"]["materialized"]
        if kind == "model" and node["uniqueId"] in example.results():
            assert node["lastRunStatus"] == example.last(node["uniqueId"])[1]["status"]
        if kind == "source":
            assert node["sourceName"] == manifest["source_name"]
            assert node["sourceRunStatus"] is None
    failing = {
        uid: example.last(uid)[1]["status"]
        for uid in example.executed("test")
        if example.last(uid)[1]["status"] in ("fail", "warn")
    }
    assert set(failing.values()) == {"fail", "warn"}
    by_id = {n["uniqueId"]: n for n in nodes}
    for test, status in failing.items():
        target = example.RESOURCES[test].get("attached_node")
        assert by_id[target]["worstTestStatus"] in ("fail", status)


def test_it_marks_the_nodes_the_selector_matched_by_itself(demo, gql) -> None:
    nodes = lineage(gql, demo.pk, select="+fct_trips", types=["Model", "Source"])
    matched = {n["uniqueId"] for n in nodes if n["matchesMethod"]}
    assert matched == {"model.bikeshare.fct_trips"}
    expected = {"model.bikeshare.fct_trips"} | {
        u
        for u in example.upstream("model.bikeshare.fct_trips")
        if u.split(".")[0] in ("model", "source")
    }
    assert {n["uniqueId"] for n in nodes} == expected
    tests = lineage(gql, demo.pk, select="fct_trips", types=["Test"])
    assert tests
    assert all(not n["matchesMethod"] for n in tests)  # selected as tests of fct_trips
    tagged = lineage(gql, demo.pk, select="tag:staging,resource_type:model+1")
    assert {n["uniqueId"] for n in tagged if n["matchesMethod"]} == {
        u for u in example.of_type("model") if "staging" in example.tags(example.RESOURCES[u])
    }


@pytest.mark.parametrize(
    ("select", "exclude"),
    [
        ("--select +dim_bikes", "--exclude source:*"),
        ("-s +dim_bikes", ""),
        ("+dim_bikes", "source:*"),
    ],
)
def test_it_accepts_the_dbt_flags_clients_send(demo, gql, select: str, exclude: str) -> None:
    plain = lineage(gql, demo.pk, select="+dim_bikes", exclude="source:*" if exclude else "")
    assert lineage(gql, demo.pk, select=select, exclude=exclude) == plain
    assert plain


def test_it_narrows_by_types_unique_ids_and_tags(demo, gql) -> None:
    nodes = lineage(gql, demo.pk, types=["Seed", "Snapshot"])
    assert [n["uniqueId"] for n in nodes] == example.of_type("seed", "snapshot")
    wanted = ["model.bikeshare.fct_trips", "source.bikeshare.bike_ops.trips"]
    assert [n["uniqueId"] for n in lineage(gql, demo.pk, uniqueIds=wanted)] == wanted
    nodes = lineage(gql, demo.pk, select="+fct_revenue_daily", tags=["staging"])
    assert [n["uniqueId"] for n in nodes] == sorted(
        u
        for u in example.upstream("model.bikeshare.fct_revenue_daily")
        if "staging" in example.tags(example.RESOURCES[u])
    )


def test_it_lists_the_macros_of_the_nodes_when_asked(demo, gql) -> None:
    # The model and its tests (selected with it, as dbt ls does), then the macros they call.
    selected = [n["uniqueId"] for n in lineage(gql, demo.pk, select="fct_bike_maintenance")]
    assert len(selected) > 1
    macros = {m for uid in selected for m in example.RESOURCES[uid]["depends_on"]["macros"]}
    nodes = lineage(gql, demo.pk, select="fct_bike_maintenance", types=["Macro"])
    assert {n["uniqueId"] for n in nodes} == macros
    for node in nodes:
        assert node["parentIds"] == sorted(
            example.RESOURCES[node["uniqueId"]]["depends_on"]["macros"]
        )
    assert {n["__typename"] for n in nodes} == {"MacroLineageNode"}
    assert all(n["resourceType"] == "Macro" for n in nodes)


def test_it_answers_a_selector_error_with_its_position(demo) -> None:
    result = execute(LINEAGE, {"env": demo.pk, "filter": {"select": "tag:mart,,fct_trips"}})
    assert result.data == {"environment": {"applied": None}}
    error = result.errors[0]
    assert "a comma joins two selectors" in error.message
    assert error.extensions == {"code": "INVALID_SELECTOR", "field": "select", "position": 9}


def test_it_refuses_column_lineage_for_now(demo) -> None:
    result = execute(LINEAGE, {"env": demo.pk, "filter": {"columnNames": ["bike_id"]}})
    assert "column-level lineage is not supported yet" in result.errors[0].message


def test_definition_lineage_is_the_same_graph(demo, gql) -> None:
    query = """query($env: BigInt!) { environment(id: $env) {
      applied { lineage(filter: {select: "@stg_bike_ops__stations"}) { uniqueId } }
      definition { lineage(filter: {select: "@stg_bike_ops__stations"}) { uniqueId } } } }"""
    data = gql(query, env=demo.pk)["environment"]
    assert data["applied"]["lineage"] == data["definition"]["lineage"]
    case = next(c for c in CORPUS["cases"] if c["select"] == "@stg_bike_ops__stations")
    expected = sorted(u for u in case["expected"] if not u.startswith(NOT_IN_LINEAGE))
    assert [n["uniqueId"] for n in data["applied"]["lineage"]] == expected
