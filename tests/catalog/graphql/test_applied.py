"""environment { applied { ... } } on the example project, against its artifact JSON."""

from __future__ import annotations

from datetime import datetime

import pytest

from catalog.models import Environment, Run
from tests.catalog.graphql import example
from tests.catalog.graphql.conftest import execute, walk
from tests.conftest import EXAMPLE, run_ingest

MODELS = """
query Models($env: BigInt!, $first: Int, $after: String, $filter: ModelAppliedFilter,
             $sort: AppliedModelSort) {
  environment(id: $env) {
    applied {
      models(first: $first, after: $after, filter: $filter, sort: $sort) {
        totalCount
        pageInfo { startCursor endCursor hasNextPage hasPreviousPage }
        edges { cursor node { uniqueId name alias resourceType } }
      }
    }
  }
}
"""

EXECUTION = """
query Execution($env: BigInt!, $ids: [String!]) {
  environment(id: $env) {
    applied {
      models(filter: {uniqueIds: $ids}) {
        edges {
          node {
            uniqueId
            executionInfo {
              lastRunId lastJobDefinitionId lastRunStatus lastRunError lastRunGeneratedAt
              lastSuccessRunId lastSuccessJobDefinitionId runGeneratedAt executionTime
              executeStartedAt executeCompletedAt compileStartedAt compileCompletedAt
              runElapsedTime
            }
          }
        }
      }
    }
  }
}
"""


def iso(value: str | None) -> datetime | None:
    """A timestamp, to the millisecond: the API writes them as JavaScript does (and as dbt
    Cloud does), 2026-12-03T20:31:35.500Z."""
    if not value:
        return None
    parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    return parsed.replace(microsecond=parsed.microsecond // 1000 * 1000)


def run_ids(environment: Environment) -> dict[str, int]:
    """A run's id in the API (Lantern's id: the artifacts carry no dbt Cloud ids), by the
    invocation id the run_results file names."""
    return dict(Run.objects.filter(environment=environment).values_list("invocation_id", "id"))


def test_it_lists_the_models_runs_executed(demo, gql) -> None:
    data = gql(MODELS, env=demo.pk)["environment"]["applied"]["models"]
    expected = example.executed("model")
    assert [e["node"]["uniqueId"] for e in data["edges"]] == expected
    assert data["totalCount"] == len(expected) == 26
    # The ephemeral model is defined, but no run executes it.
    assert "model.bikeshare.int_trips_enriched" not in expected
    assert {e["node"]["resourceType"] for e in data["edges"]} == {"model"}


def test_it_pages_through_every_model_exactly_once_in_a_stable_order(demo, gql) -> None:
    pages = walk(gql, MODELS, ("environment", "applied", "models"), {"env": demo.pk}, 5)
    seen = [edge["node"]["uniqueId"] for page in pages for edge in page]
    assert seen == example.executed("model")
    assert [len(page) for page in pages] == [5, 5, 5, 5, 5, 1]
    again = walk(gql, MODELS, ("environment", "applied", "models"), {"env": demo.pk}, 5)
    assert pages == again


def test_it_answers_an_empty_page_after_the_last_cursor(demo, gql) -> None:
    data = gql(MODELS, env=demo.pk)["environment"]["applied"]["models"]
    last = data["edges"][-1]["cursor"]
    assert data["pageInfo"]["endCursor"] == last
    assert data["pageInfo"]["startCursor"] == data["edges"][0]["cursor"]
    after = gql(MODELS, env=demo.pk, after=last)["environment"]["applied"]["models"]
    assert after["edges"] == []
    assert after["pageInfo"] == {
        "startCursor": None,
        "endCursor": None,
        "hasNextPage": False,
        "hasPreviousPage": True,
    }
    assert after["totalCount"] == 26


def test_it_starts_from_the_beginning_with_an_empty_after(demo, gql) -> None:
    # dbt-mcp's first request sends after: "".
    data = gql(MODELS, env=demo.pk, first=2, after="")["environment"]["applied"]["models"]
    assert [e["node"]["uniqueId"] for e in data["edges"]] == example.executed("model")[:2]


@pytest.mark.parametrize("cursor", ["nonsense", "Y3Vyc29yOnt9"])
def test_it_refuses_a_cursor_it_did_not_make(demo, cursor: str) -> None:
    result = execute(MODELS, {"env": demo.pk, "after": cursor})
    assert result.data == {"environment": {"applied": None}}  # models is non-null
    assert "is not a cursor of this list" in result.errors[0].message


def test_it_clamps_first_to_500_and_pages_on(demo, gql) -> None:
    query = """query($env: BigInt!, $first: Int, $after: String) { environment(id: $env) {
      definition { macros(first: $first, after: $after) {
        totalCount pageInfo { hasNextPage endCursor } edges { node { uniqueId } } } } } }"""
    macros = example.of_type("macro")
    assert len(macros) > 500
    for first in (1000, None):
        page = gql(query, env=demo.pk, first=first)["environment"]["definition"]["macros"]
        assert len(page["edges"]) == 500
        assert page["pageInfo"]["hasNextPage"] is True
        assert page["totalCount"] == len(macros)
    rest = gql(query, env=demo.pk, first=1000, after=page["pageInfo"]["endCursor"])
    rest = rest["environment"]["definition"]["macros"]
    ids = [e["node"]["uniqueId"] for e in page["edges"] + rest["edges"]]
    assert ids == macros
    assert rest["pageInfo"]["hasNextPage"] is False


def test_it_gives_an_empty_page_for_first_0_and_refuses_a_negative_first(demo, gql) -> None:
    page = gql(MODELS, env=demo.pk, first=0)["environment"]["applied"]["models"]
    assert page["edges"] == []
    assert page["pageInfo"]["hasNextPage"] is True
    result = execute(MODELS, {"env": demo.pk, "first": -1})
    assert result.errors[0].message == "first must be between 0 and 500, not -1"


@pytest.mark.parametrize("env", ["999999", "0", "-3", "99999999999999999999"])
def test_it_answers_no_data_for_an_unknown_environment(db, env: str) -> None:
    result = execute("{ environment(id: " + env + ") { dbtProjectName } }")
    assert result.data is None
    assert [e.message for e in result.errors] == ["There is no data available for this input"]
    assert result.errors[0].path == ["environment"]


def test_it_describes_the_environment(demo, gql) -> None:
    query = """query($env: BigInt!) { environment(id: $env) { dbtProjectName adapterType
      applied { lastUpdatedAt latestGitSha } definition { lastUpdatedAt } } }"""
    data = gql(query, env=demo.pk)["environment"]
    metadata = example.MANIFEST["metadata"]
    assert data["dbtProjectName"] == metadata["project_name"] == "bikeshare"
    assert data["adapterType"] == metadata["adapter_type"] == "duckdb"
    latest = max(
        [run["metadata"]["generated_at"] for _, run in example.RUNS]
        + [example.SOURCES["metadata"]["generated_at"]]
    )
    assert iso(data["applied"]["lastUpdatedAt"]) == iso(latest)
    assert iso(data["definition"]["lastUpdatedAt"]) == iso(metadata["generated_at"])
    assert data["applied"]["latestGitSha"] is None


@pytest.mark.parametrize(
    ("filter", "expected"),
    [
        # identifier is the relation's name (the alias), not the dbt name
        ({"identifier": "dim_riders_v1"}, ["model.bikeshare.dim_riders.v1"]),
        ({"identifier": "DIM_RIDERS_V1"}, ["model.bikeshare.dim_riders.v1"]),
        ({"identifier": "dim_riders"}, []),
        ({"uniqueIds": ["model.bikeshare.fct_trips", "model.bikeshare.nope"]}, None),
        ({"tags": ["pii", "high_volume"]}, None),
        ({"database": "bikeshare", "schema": "main_staging"}, None),
        ({"schema": "main"}, None),
        ({"access": "public"}, None),
        ({"packageName": "bikeshare"}, None),
        ({"packageName": "dbt"}, []),
        ({"modelingLayer": "marts"}, None),
        ({"group": "finance"}, None),
        ({"lastRunStatus": "success"}, None),
        ({"lastRunStatus": "error"}, []),
    ],
)
def test_it_filters_models(demo, gql, filter: dict, expected: list[str] | None) -> None:
    models = {uid: example.RESOURCES[uid] for uid in example.executed("model")}

    def where(uid: str, key: str, value: object) -> bool:
        node = models[uid]
        config = node["config"]
        return {
            "uniqueIds": lambda: uid in value,
            "tags": lambda: bool(example.tags(node) & set(value)),
            "database": lambda: node["database"] == value,
            "schema": lambda: node["schema"] == value,
            "access": lambda: (node.get("access") or config.get("access")) == value,
            "packageName": lambda: node["package_name"] == value,
            "modelingLayer": lambda: value in node["fqn"][1:-1],
            "group": lambda: (node.get("group") or config.get("group")) == value,
            "lastRunStatus": lambda: example.last(uid)[1]["status"] == value,
        }[key]()

    if expected is None:
        expected = sorted(uid for uid in models if all(where(uid, k, v) for k, v in filter.items()))
        assert expected, "a filter that matches nothing proves little"
    data = gql(MODELS, env=demo.pk, filter=filter)["environment"]["applied"]["models"]
    assert [e["node"]["uniqueId"] for e in data["edges"]] == expected
    assert data["totalCount"] == len(expected)


def test_it_sorts_models_by_their_last_successful_execution(demo, gql) -> None:
    sort = {"field": "executeCompletedAt", "direction": "desc"}
    pages = walk(
        gql, MODELS, ("environment", "applied", "models"), {"env": demo.pk, "sort": sort}, 7
    )
    seen = [edge["node"]["uniqueId"] for page in pages for edge in page]

    def completed(uid: str) -> str:
        success = example.last_success(uid)
        assert success is not None
        return example.timing(success[1], "execute", "completed") or ""

    expected = sorted(example.executed("model"), key=lambda uid: (completed(uid), uid))
    assert [completed(u) for u in seen] == [completed(u) for u in reversed(expected)]
    assert sorted(seen) == example.executed("model")
    # Ties (none here) and the other sorts fall back to uniqueId.
    for field in ("rowCount", "queryUsageCount", "uniqueId"):
        sort = {"field": field, "direction": "asc"}
        data = gql(MODELS, env=demo.pk, sort=sort)["environment"]["applied"]["models"]
        assert [e["node"]["uniqueId"] for e in data["edges"]] == example.executed("model")
    sort = {"field": "uniqueId", "direction": "desc"}
    data = gql(MODELS, env=demo.pk, sort=sort, first=3)["environment"]["applied"]["models"]
    assert [e["node"]["uniqueId"] for e in data["edges"]] == example.executed("model")[::-1][:3]


def test_it_keeps_the_last_attempt_apart_from_the_last_success(demo, gql) -> None:
    """stg_bike_ops__bikes errored in run 2 and was fixed in run 3: with the first two runs
    only, its last attempt is the error and its success fields stay on run 1; once run 3 is
    loaded, both are run 3."""
    # given: the manifest and the first two run_results files only
    first, second, third = (example.EXAMPLE / name for name, _ in example.RUNS[:3])
    run_ingest(str(EXAMPLE / "manifest.json"), str(first), str(second), "--environment", "early")
    early = Environment.objects.get(name="early")
    ids = run_ids(early)
    (run1, result1), (run2, result2) = example.results()[example.BROKEN][:2]
    assert (result1["status"], result2["status"]) == ("success", "error")
    # when
    info = gql(EXECUTION, env=early.pk, ids=[example.BROKEN])["environment"]["applied"]
    info = info["models"]["edges"][0]["node"]["executionInfo"]
    # then
    assert info["lastRunStatus"] == "error"
    assert info["lastRunId"] == ids[run2]
    assert info["lastJobDefinitionId"] == early.pk  # no dbt Cloud ids: one job per environment
    assert "frame_serial_number" in info["lastRunError"]
    assert info["lastRunError"] == result2["message"]
    assert info["lastSuccessRunId"] == ids[run1]
    assert info["lastSuccessJobDefinitionId"] == early.pk
    assert iso(info["executeCompletedAt"]) == iso(example.timing(result1, "execute", "completed"))
    assert iso(info["compileStartedAt"]) == iso(example.timing(result1, "compile", "started"))
    assert info["executionTime"] == pytest.approx(result1["execution_time"])
    generated = {run["metadata"]["invocation_id"]: run["metadata"] for _, run in example.RUNS}
    assert iso(info["runGeneratedAt"]) == iso(generated[run1]["generated_at"])
    assert iso(info["lastRunGeneratedAt"]) == iso(generated[run2]["generated_at"])
    failing = gql(MODELS, env=early.pk, filter={"lastRunStatus": "error"})
    assert [
        e["node"]["uniqueId"] for e in failing["environment"]["applied"]["models"]["edges"]
    ] == [example.BROKEN]
    skipped = gql(MODELS, env=early.pk, filter={"lastRunStatus": "skipped"})
    skipped = skipped["environment"]["applied"]["models"]["edges"]
    assert len(skipped) == sum(
        1
        for uid in example.executed("model")
        if example.results()[uid][1][1]["status"] == "skipped"
    )

    # when: the fix is loaded
    run_ingest(str(third), "--environment", "early", "--project", "bikeshare")
    run3 = example.RUNS[2][1]["metadata"]["invocation_id"]
    info = gql(EXECUTION, env=early.pk, ids=[example.BROKEN])["environment"]["applied"]
    info = info["models"]["edges"][0]["node"]["executionInfo"]
    # then
    assert info["lastRunStatus"] == "success"
    assert info["lastRunError"] is None
    assert info["lastRunId"] == info["lastSuccessRunId"] == run_ids(early)[run3]


def test_it_gives_the_execution_info_of_every_model(demo, gql) -> None:
    ids = run_ids(demo)
    data = gql(EXECUTION, env=demo.pk)["environment"]["applied"]["models"]["edges"]
    assert len(data) == 26
    for edge in data:
        uid, info = edge["node"]["uniqueId"], edge["node"]["executionInfo"]
        run, result = example.last(uid)
        assert info["lastRunStatus"] == result["status"]
        assert info["lastRunId"] == ids[run]
        success = example.last_success(uid)
        assert success is not None
        assert info["lastSuccessRunId"] == ids[success[0]]
        assert iso(info["executeStartedAt"]) == iso(
            example.timing(success[1], "execute", "started")
        )


TESTS = """
query Tests($env: BigInt!, $filter: TestAppliedFilter, $first: Int) {
  environment(id: $env) {
    applied {
      tests(filter: $filter, first: $first) {
        totalCount
        edges {
          node {
            uniqueId resourceType testType columnName testedNodeUniqueId lastKnownResult
            testMetadata { name namespace columnName kwargs }
            executionInfo { lastRunStatus lastRunFailures lastSuccessRunId lastRunError }
          }
        }
      }
    }
  }
}
"""


def test_it_lists_the_tests_with_their_latest_results(demo, gql) -> None:
    data = gql(TESTS, env=demo.pk)["environment"]["applied"]["tests"]
    expected = example.executed("test", "unit_test")
    assert [e["node"]["uniqueId"] for e in data["edges"]] == expected
    assert data["totalCount"] == len(expected) == 94
    kinds = {"generic": "GENERIC_DATA_TEST", "singular": "SINGULAR_DATA_TEST"}
    for edge in data["edges"]:
        node = edge["node"]
        manifest = example.RESOURCES[node["uniqueId"]]
        _, result = example.last(node["uniqueId"])
        info = node["executionInfo"]
        assert info["lastRunStatus"] == result["status"]
        assert node["lastKnownResult"] == result["status"]
        assert info["lastRunFailures"] == result.get("failures")
        assert (info["lastSuccessRunId"] is None) == (
            example.last_success(node["uniqueId"]) is None
        )
        if manifest["resource_type"] == "unit_test":
            assert node["testType"] == "UNIT_TEST"
            assert node["resourceType"] == "unit_test"
        else:
            kind = "generic" if manifest.get("test_metadata") else "singular"
            assert node["testType"] == kinds[kind]
            assert node["resourceType"] == "test"
            # dbt writes no attached_node for a source's tests: the one node it depends on.
            depends = manifest["depends_on"]["nodes"]
            tested = manifest.get("attached_node") or (depends[0] if len(depends) == 1 else None)
            assert node["testedNodeUniqueId"] == tested
            metadata = manifest.get("test_metadata") or {}
            assert node["testMetadata"]["name"] == metadata.get("name")
            # dbt 1.11 leaves column_name empty when the test's argument is an expression.
            column = manifest.get("column_name") or metadata.get("kwargs", {}).get("column_name")
            assert node["columnName"] == column


@pytest.mark.parametrize(
    ("filter", "statuses"),
    [
        ({"status": "fail"}, {"fail"}),
        ({"lastKnownResults": ["warn", "fail"]}, {"warn", "fail"}),
        ({"lastKnownResult": "warn"}, {"warn"}),
        # lastKnownResults wins over the deprecated lastKnownResult; [] is no filter
        ({"lastKnownResult": "warn", "lastKnownResults": ["fail"]}, {"fail"}),
        ({"lastKnownResults": []}, {"pass", "warn", "fail"}),
    ],
)
def test_it_filters_tests_by_their_latest_result(demo, gql, filter: dict, statuses: set) -> None:
    data = gql(TESTS, env=demo.pk, filter=filter)["environment"]["applied"]["tests"]
    expected = [
        uid
        for uid in example.executed("test", "unit_test")
        if example.last(uid)[1]["status"] in statuses
    ]
    assert [e["node"]["uniqueId"] for e in data["edges"]] == expected
    assert expected


def test_it_filters_tests_by_type(demo, gql) -> None:
    data = gql(TESTS, env=demo.pk, filter={"testTypes": ["UNIT_TEST"]})
    ids = [e["node"]["uniqueId"] for e in data["environment"]["applied"]["tests"]["edges"]]
    assert ids == example.executed("unit_test")
    data = gql(TESTS, env=demo.pk, filter={"testTypes": ["SINGULAR_DATA_TEST"]})
    ids = [e["node"]["uniqueId"] for e in data["environment"]["applied"]["tests"]["edges"]]
    singular = [
        uid for uid in example.executed("test") if not example.RESOURCES[uid].get("test_metadata")
    ]
    assert ids == singular
    assert singular


SOURCES = """
query Sources($env: BigInt!, $filter: SourceAppliedFilter) {
  environment(id: $env) {
    applied {
      sources(filter: $filter) {
        totalCount
        edges {
          node {
            uniqueId sourceName identifier loader database schema
            freshness {
              freshnessStatus freshnessChecked maxLoadedAt snapshottedAt maxLoadedAtTimeAgoInS
              freshnessRunId freshnessJobDefinitionId freshnessRunGeneratedAt
              criteria { warnAfter { count period } errorAfter { count period } }
            }
          }
        }
      }
    }
  }
}
"""


def test_it_gives_source_freshness_as_sources_json_says(demo, gql) -> None:
    data = gql(SOURCES, env=demo.pk)["environment"]["applied"]["sources"]
    assert [e["node"]["uniqueId"] for e in data["edges"]] == example.of_type("source")
    checks = {r["unique_id"]: r for r in example.SOURCES["results"]}
    run = run_ids(demo)[example.SOURCES["metadata"]["invocation_id"]]
    statuses = {"pass": "Pass", "warn": "Warn", "error": "Error"}
    assert set(statuses) <= {r["status"] for r in checks.values()}
    for edge in data["edges"]:
        node, freshness = edge["node"], edge["node"]["freshness"]
        manifest = example.RESOURCES[node["uniqueId"]]
        assert node["sourceName"] == manifest["source_name"]
        assert node["identifier"] == manifest["identifier"]
        assert node["loader"] == (manifest.get("loader") or None)
        check = checks.get(node["uniqueId"])
        if check is None:
            assert freshness["freshnessChecked"] is False
            assert freshness["maxLoadedAt"] is None
            continue
        assert freshness["freshnessChecked"] is True
        assert freshness["freshnessStatus"] == statuses[check["status"]]
        assert iso(freshness["maxLoadedAt"]) == iso(check["max_loaded_at"])
        assert iso(freshness["snapshottedAt"]) == iso(check["snapshotted_at"])
        assert freshness["maxLoadedAtTimeAgoInS"] == pytest.approx(
            check["max_loaded_at_time_ago_in_s"]
        )
        assert freshness["freshnessRunId"] == run
        assert freshness["freshnessJobDefinitionId"] == demo.pk
        for key, field in (("warn_after", "warnAfter"), ("error_after", "errorAfter")):
            expected = check["criteria"][key]
            if expected and expected.get("count") is not None:
                assert freshness["criteria"][field] == {
                    "count": expected["count"],
                    "period": expected["period"],
                }
    unchecked = [uid for uid in example.of_type("source") if uid not in checks]
    data = gql(SOURCES, env=demo.pk, filter={"freshnessChecked": False})
    ids = [e["node"]["uniqueId"] for e in data["environment"]["applied"]["sources"]["edges"]]
    assert ids == unchecked
    assert unchecked
    data = gql(SOURCES, env=demo.pk, filter={"freshnessStatus": "Warn"})
    ids = [e["node"]["uniqueId"] for e in data["environment"]["applied"]["sources"]["edges"]]
    assert ids == sorted(uid for uid, r in checks.items() if r["status"] == "warn")
    data = gql(
        SOURCES, env=demo.pk, filter={"sourceNames": ["weather"], "identifier": "DAILY_WEATHER"}
    )
    ids = [e["node"]["uniqueId"] for e in data["environment"]["applied"]["sources"]["edges"]]
    assert ids == [
        uid
        for uid in example.of_type("source")
        if example.RESOURCES[uid]["source_name"] == "weather"
        and example.RESOURCES[uid]["identifier"] == "daily_weather"
    ]


CATALOG = """
query Catalog($env: BigInt!) {
  environment(id: $env) {
    applied {
      models { edges { node { uniqueId catalog { ...catalog } } } }
      sources { edges { node { uniqueId catalog { ...catalog } } } }
      seeds { edges { node { uniqueId catalog { ...catalog } } } }
      snapshots { edges { node { uniqueId catalog { ...catalog } } } }
    }
  }
}
fragment catalog on CatalogNode {
  uniqueId type comment owner rowCountStat bytesStat
  columns { name type index comment description tags meta }
  stats { id label value include description }
}
"""


def test_it_gives_the_catalog_as_catalog_json_says(demo, gql) -> None:
    applied = gql(CATALOG, env=demo.pk)["environment"]["applied"]
    entries = {**example.CATALOG["nodes"], **example.CATALOG["sources"]}
    checked = 0
    for kind in ("models", "sources", "seeds", "snapshots"):
        for edge in applied[kind]["edges"]:
            uid, catalog = edge["node"]["uniqueId"], edge["node"]["catalog"]
            entry = entries.get(uid)
            if entry is None:
                assert catalog is None
                continue
            checked += 1
            assert catalog["uniqueId"] == uid
            assert catalog["type"] == entry["metadata"]["type"]
            assert catalog["comment"] == (entry["metadata"].get("comment") or None)
            columns = sorted(entry["columns"].values(), key=lambda c: c["index"])
            assert [(c["name"], c["type"], c["index"]) for c in catalog["columns"]] == [
                (c["name"], c["type"], c["index"]) for c in columns
            ]
            declared = {
                name.lower(): column.get("description") or None
                for name, column in (example.RESOURCES[uid].get("columns") or {}).items()
            }
            for column in catalog["columns"]:
                assert column["description"] == declared.get(column["name"].lower())
            stats = {
                k: v["value"]
                for k, v in entry["stats"].items()
                if v.get("include") and k != "has_stats"
            }
            assert {s["id"]: s["value"] for s in catalog["stats"]} == stats
    assert checked == len([uid for uid in entries if uid in example.RESOURCES])


def test_it_links_parents_children_ancestors_and_tests_as_the_manifest_does(demo, gql) -> None:
    query = """query($env: BigInt!) { environment(id: $env) { applied { models { edges { node {
      uniqueId
      parents { uniqueId resourceType }
      children { uniqueId resourceType }
      ancestors(types: [Model, Source, Seed, Snapshot]) { uniqueId }
      sourceAncestors: ancestors(types: [Source]) { uniqueId ...on SourceAppliedStateNestedNode {
        sourceName } }
      tests { uniqueId }
    } } } } } }"""
    edges = gql(query, env=demo.pk)["environment"]["applied"]["models"]["edges"]
    parent_map, child_map = example.MANIFEST["parent_map"], example.MANIFEST["child_map"]
    attached: dict[str, set[str]] = {}
    for uid in example.of_type("test", "unit_test"):
        node = example.RESOURCES[uid]
        target = node.get("attached_node") or (
            next(d for d in node["depends_on"]["nodes"] if d.endswith("." + node.get("model", "")))
            if node["resource_type"] == "unit_test"
            else None
        )
        if target:
            attached.setdefault(target, set()).add(uid)
    for edge in edges:
        node = edge["node"]
        uid = node["uniqueId"]
        assert [p["uniqueId"] for p in node["parents"]] == sorted(parent_map[uid])
        assert [c["uniqueId"] for c in node["children"]] == sorted(
            c for c in child_map[uid] if not c.startswith("analysis.")
        )
        for item in node["parents"] + node["children"]:
            assert item["resourceType"] == example.RESOURCES[item["uniqueId"]]["resource_type"]
        upstream = example.upstream(uid)
        types = ("model", "source", "seed", "snapshot")
        assert {a["uniqueId"] for a in node["ancestors"]} == {
            a for a in upstream if a.split(".")[0] in types
        }
        assert {a["uniqueId"] for a in node["sourceAncestors"]} == {
            a for a in upstream if a.startswith("source.")
        }
        assert {t["uniqueId"] for t in node["tests"]} == attached.get(uid, set())


def test_it_counts_the_resources_of_each_state(demo, gql) -> None:
    query = """query($env: BigInt!) { environment(id: $env) {
      applied { resourceCounts } definition { resourceCounts } } }"""
    data = gql(query, env=demo.pk)["environment"]
    counts: dict[str, int] = {}
    for node in example.RESOURCES.values():
        counts[node["resource_type"]] = counts.get(node["resource_type"], 0) + 1
    assert data["definition"]["resourceCounts"] == dict(sorted(counts.items()))
    applied = {
        **{t: counts[t] for t in ("source", "exposure", "macro", "metric", "semantic_model")},
        "saved_query": counts["saved_query"],
        **{t: len(example.executed(t)) for t in ("model", "seed", "snapshot", "test", "unit_test")},
    }
    assert data["applied"]["resourceCounts"] == dict(sorted(applied.items()))


def test_it_lists_resources_of_several_types(demo, gql) -> None:
    query = """query($env: BigInt!, $types: [ResourceNodeType!]!, $tags: [String!]) {
      environment(id: $env) { applied { resources(filter: {types: $types, tags: $tags}) {
        totalCount edges { node { __typename uniqueId resourceType } } } } } }"""
    data = gql(query, env=demo.pk, types=["Model", "Seed", "Metric"], tags=None)
    data = data["environment"]["applied"]["resources"]
    expected = example.executed("model", "seed") + example.of_type("metric")
    assert data["totalCount"] == len(expected)
    nodes = [e["node"] for e in data["edges"]]
    assert [n["uniqueId"] for n in nodes] == sorted(expected)
    kinds = {n["__typename"] for n in nodes}
    assert kinds == {"ModelAppliedStateNode", "SeedAppliedStateNode", "MetricDefinitionNode"}
    data = gql(query, env=demo.pk, types=["Model", "Snapshot"], tags=["mart"])
    ids = [e["node"]["uniqueId"] for e in data["environment"]["applied"]["resources"]["edges"]]
    assert ids == [
        uid
        for uid in example.executed("model", "snapshot")
        if "mart" in example.tags(example.RESOURCES[uid])
    ]


def test_it_lists_tags_packages_and_owners(demo, gql) -> None:
    query = """query($env: BigInt!) { environment(id: $env) {
      applied {
        tags { name }
        packages(resource: model)
        macroPackages: packages(resource: macro)
        owners(resource: exposure) { name email }
        groupOwners: owners(resource: group) { name email }
      }
      definition { tags { name } packages(resource: model) } } }"""
    data = gql(query, env=demo.pk)["environment"]
    applied = data["applied"]
    assert applied["packages"] == ["bikeshare"]
    assert applied["macroPackages"] == sorted(
        {example.RESOURCES[uid]["package_name"] for uid in example.of_type("macro")}
    )
    owners = {
        (n["owner"].get("name") or "", n["owner"].get("email") or "")
        for n in example.MANIFEST["exposures"].values()
    }
    assert [(o["name"], o["email"]) for o in applied["owners"]] == sorted(owners)
    groups = {
        (n["owner"].get("name") or "", n["owner"].get("email") or "")
        for n in example.MANIFEST["groups"].values()
    }
    assert [(o["name"], o["email"]) for o in applied["groupOwners"]] == sorted(groups)
    everything = set()
    for _uid, node in example.RESOURCES.items():
        if node["resource_type"] not in ("analysis",):
            everything |= example.tags(node)
    assert [t["name"] for t in data["definition"]["tags"]] == sorted(everything)
    assert {t["name"] for t in applied["tags"]} <= everything
    assert "mart" in {t["name"] for t in applied["tags"]}


def test_it_shows_an_exposure_tile_with_what_is_wrong_upstream(demo, gql) -> None:
    query = """query($env: BigInt!, $id: String) { environment(id: $env) { applied {
      exposureTile(filter: {uniqueId: $id}) {
        uniqueId name exposureType freshnessStatus quality healthIssues maxSnapshottedAt
        upstreamStats
      }
      nothing: exposureTile(filter: {autoBiProvider: tableau}) { uniqueId } } } }"""
    uid = "exposure.bikeshare.fleet_operations_dashboard"
    data = gql(query, env=demo.pk, id=uid)["environment"]["applied"]
    tile = data["exposureTile"]
    assert data["nothing"] is None
    upstream = example.upstream(uid)
    checks = {
        r["unique_id"]: r["status"]
        for r in example.SOURCES["results"]
        if r["unique_id"] in upstream
    }
    worst = (
        "Error" if "error" in checks.values() else "Warn" if "warn" in checks.values() else "Pass"
    )
    assert tile["freshnessStatus"] == worst
    models = {u for u in upstream if u.startswith("model.")}
    tests = {
        t
        for t in example.of_type("test")
        if set(example.RESOURCES[t]["depends_on"]["nodes"]) & models
    }
    statuses = {example.last(t)[1]["status"] for t in tests}
    assert tile["quality"] == (
        "Error" if "fail" in statuses else "Warn" if "warn" in statuses else "Pass"
    )
    assert ("FailedTestUpstreamModels" in tile["healthIssues"]) == ("fail" in statuses)
    assert ("DegradedUpstreamSources" in tile["healthIssues"]) == ("error" in checks.values())
    assert tile["exposureType"] == example.RESOURCES[uid]["type"]
