"""job(id, runId), the deprecated job roots and modelHistoricalRuns on the example project.

Its runs were loaded from files, with no dbt Cloud ids: each is a run of the environment's one
job (job id = environment id), with Lantern's id of the run as run id.
"""

from __future__ import annotations

import base64

import pytest

from catalog.models import Run
from tests.catalog.graphql import example
from tests.catalog.graphql.conftest import execute

JOB = """
query Job($job: BigInt!, $run: BigInt, $first: Int, $after: String) {
  job(id: $job, runId: $run) {
    id runId
    models(first: $first, after: $after) {
      uniqueId name status error skip executionTime threadId runId jobId environmentId
      executeStartedAt executeCompletedAt runGeneratedAt runElapsedTime invocationId
      database schema alias materializedType paginationCursor dependsOn childrenL1
      runResults { status executionTime }
      tests { uniqueId status state }
      parentsModels { uniqueId status }
      parentsSources { uniqueId state }
    }
  }
}
"""


def runs(environment) -> dict[str, Run]:
    return {r.invocation_id: r for r in Run.objects.filter(environment=environment)}


def invocation(index: int) -> str:
    return example.RUNS[index][1]["metadata"]["invocation_id"]


def test_it_lists_what_a_run_executed(demo, gql) -> None:
    # given: run 3 is `dbt run --select stg_bike_ops__bikes+`
    name, run3 = example.RUNS[2]
    loaded = runs(demo)[run3["metadata"]["invocation_id"]]
    # when
    job = gql(JOB, job=demo.pk, run=loaded.pk)["job"]
    # then
    assert (job["id"], job["runId"]) == (demo.pk, loaded.pk)
    results = {r["unique_id"]: r for r in run3["results"] if r["unique_id"].startswith("model.")}
    assert [m["uniqueId"] for m in job["models"]] == sorted(results)
    assert len(results) == 12
    for model in job["models"]:
        result = results[model["uniqueId"]]
        assert model["status"] == result["status"] == "success"
        assert model["skip"] is False
        assert model["error"] is None
        assert model["executionTime"] == pytest.approx(result["execution_time"])
        assert model["threadId"] == result["thread_id"]
        assert (model["runId"], model["jobId"], model["environmentId"]) == (
            loaded.pk,
            demo.pk,
            demo.pk,
        )
        assert model["invocationId"] == run3["metadata"]["invocation_id"]
        assert model["runElapsedTime"] == pytest.approx(run3["elapsed_time"])
        assert model["runResults"] == [
            {"status": "success", "executionTime": pytest.approx(result["execution_time"])}
        ]
        assert model["dependsOn"] == sorted(example.MANIFEST["parent_map"][model["uniqueId"]])
        assert model["childrenL1"] == sorted(example.MANIFEST["child_map"][model["uniqueId"]])
        assert model["tests"] == []  # `dbt run` runs no tests
        parents = {p["uniqueId"]: p["status"] for p in model["parentsModels"]}
        assert set(parents) == {
            p for p in example.MANIFEST["parent_map"][model["uniqueId"]] if p.startswith("model.")
        }
        for parent, status in parents.items():
            assert status == (results[parent]["status"] if parent in results else None)
        assert base64.b64decode(model["paginationCursor"]).decode() == (
            f"cursor:{model['uniqueId']}"
        )


def test_it_gives_the_latest_run_without_a_run_id(demo, gql) -> None:
    query = """query($job: BigInt!) { job(id: $job) { runId models { uniqueId }
      tests { uniqueId status state fail warn error } } }"""
    job = gql(query, job=demo.pk)["job"]
    latest = example.RUNS[-1][1]  # dbt test
    assert job["runId"] == runs(demo)[latest["metadata"]["invocation_id"]].pk
    assert job["models"] == []
    results = {r["unique_id"]: r for r in latest["results"]}
    assert [t["uniqueId"] for t in job["tests"]] == sorted(results)
    for test in job["tests"]:
        result = results[test["uniqueId"]]
        assert test["state"] == result["status"]
        assert test["fail"] is (result["status"] == "fail")
        assert test["warn"] is (result["status"] == "warn")
        assert test["status"] == str(result["failures"])
        assert test["error"] == (result["message"] if result["status"] == "fail" else None)


def test_it_pages_job_lists_with_pagination_cursors(demo, gql) -> None:
    query = """query($job: BigInt!, $first: Int, $after: String) {
      job(id: $job) { tests(first: $first, after: $after) { uniqueId paginationCursor } } }"""
    seen: list[str] = []
    after = None
    while True:
        page = gql(query, job=demo.pk, first=25, after=after)["job"]["tests"]
        seen += [t["uniqueId"] for t in page]
        if len(page) < 25:
            break
        after = page[-1]["paginationCursor"]
    expected = sorted(r["unique_id"] for r in example.RUNS[-1][1]["results"])
    assert seen == expected
    everything = gql(query, job=demo.pk)["job"]["tests"]
    assert [t["uniqueId"] for t in everything] == expected
    rest = gql(query, job=demo.pk, after=everything[0]["paginationCursor"])["job"]["tests"]
    assert [t["uniqueId"] for t in rest] == expected[1:]
    result = execute(query, {"job": demo.pk, "first": 5, "after": "bm9wZQ=="})
    assert "is not a paginationCursor" in result.errors[0].message


def test_it_caps_job_lists_at_100(demo, gql) -> None:
    query = """query($job: BigInt!, $first: Int) { job(id: $job) { macros(first: $first) {
      uniqueId } all: macros { uniqueId } } }"""
    job = gql(query, job=demo.pk, first=500)["job"]
    assert len(job["macros"]) == 100
    assert [m["uniqueId"] for m in job["all"]] == example.of_type("macro")


def test_it_gives_the_run_freshness_of_sources(demo, gql) -> None:
    query = """query($job: BigInt!, $run: BigInt) { job(id: $job, runId: $run) {
      sources { uniqueId state freshnessChecked maxLoadedAt maxLoadedAtTimeAgoInS
                criteria { errorAfter { count period } } }
      source(uniqueId: "source.bikeshare.bike_ops.trips") { uniqueId state } } }"""
    freshness_run = runs(demo)[example.SOURCES["metadata"]["invocation_id"]]
    job = gql(query, job=demo.pk, run=freshness_run.pk)["job"]
    checks = {r["unique_id"]: r["status"] for r in example.SOURCES["results"]}
    statuses = {"pass": "Pass", "warn": "Warn", "error": "Error"}
    assert [s["uniqueId"] for s in job["sources"]] == example.of_type("source")
    for source in job["sources"]:
        check = checks.get(source["uniqueId"])
        assert source["state"] == (statuses[check] if check else None)
        assert source["freshnessChecked"] is (check is not None)
    assert job["source"]["state"] == statuses[checks["source.bikeshare.bike_ops.trips"]]
    # Another run of the job did not check freshness.
    other = gql(query, job=demo.pk, run=runs(demo)[invocation(0)].pk)["job"]
    assert {s["state"] for s in other["sources"]} == {None}


def test_it_finds_single_nodes_of_a_run(demo, gql) -> None:
    query = """query($job: BigInt!, $run: BigInt) { job(id: $job, runId: $run) {
      model(uniqueId: "model.bikeshare.stg_bike_ops__bikes") { uniqueId status error }
      missing: model(uniqueId: "model.bikeshare.int_trips_enriched") { uniqueId }
      seed(uniqueId: "seed.bikeshare.bike_models") { uniqueId status thread_id }
      exposure(name: "fleet_operations_dashboard") { uniqueId exposureType parents { uniqueId } }
      macro(uniqueId: "macro.bikeshare.duration_minutes") { uniqueId macroSql }
      metric(uniqueId: "metric.bikeshare.trips") { uniqueId calculation_method } } }"""
    run2 = runs(demo)[invocation(1)]
    job = gql(query, job=demo.pk, run=run2.pk)["job"]
    broken = {r["unique_id"]: r for r in example.RUNS[1][1]["results"]}[example.BROKEN]
    assert job["model"] == {
        "uniqueId": example.BROKEN,
        "status": "error",
        "error": broken["message"],
    }
    assert job["missing"] is None  # ephemeral: no run executes it
    assert job["seed"]["status"] == "success"
    assert job["seed"]["thread_id"]
    exposure = example.RESOURCES["exposure.bikeshare.fleet_operations_dashboard"]
    assert job["exposure"]["exposureType"] == exposure["type"]
    assert [p["uniqueId"] for p in job["exposure"]["parents"]] == sorted(
        exposure["depends_on"]["nodes"]
    )
    assert "duration" in job["macro"]["macroSql"]
    assert (
        job["metric"]["calculation_method"] == example.RESOURCES["metric.bikeshare.trips"]["type"]
    )


def test_it_answers_null_for_an_unknown_job_or_run(demo, gql) -> None:
    assert gql("{ job(id: 987654) { id } }") == {"job": None}
    assert gql("{ job(id: 99999999999999999999) { id } }") == {"job": None}
    assert gql("query($j: BigInt!) { job(id: $j, runId: 987654) { id } }", j=demo.pk) == {
        "job": None
    }


def test_it_serves_the_deprecated_job_roots(demo, gql) -> None:
    run3 = runs(demo)[invocation(2)]
    query = """query($job: Int!, $run: Int) {
      models(jobId: $job, runId: $run, schema: "MAIN") { uniqueId status }
      model(jobId: $job, runId: $run, uniqueId: "model.bikeshare.dim_bikes") { uniqueId }
      tests(jobId: $job) { uniqueId }
      exposure(jobId: $job, name: "van_routing_optimiser") { uniqueId }
      modelByEnvironment(environmentId: $job, uniqueId: "model.bikeshare.dim_bikes",
                         lastRunCount: 2) { runId status } }"""
    data = gql(query, job=demo.pk, run=run3.pk)
    results = example.RUNS[2][1]["results"]
    expected = sorted(
        r["unique_id"]
        for r in results
        if r["unique_id"].startswith("model.")
        and example.RESOURCES[r["unique_id"]]["schema"] == "main"
    )
    assert [m["uniqueId"] for m in data["models"]] == expected
    assert data["model"] == {"uniqueId": "model.bikeshare.dim_bikes"}
    assert len(data["tests"]) == 94
    assert data["exposure"] == {"uniqueId": "exposure.bikeshare.van_routing_optimiser"}
    assert [r["status"] for r in data["modelByEnvironment"]] == ["success", "skipped"]


HISTORY = """
query History($env: BigInt!, $id: String, $identifier: String, $count: Int, $catalog: Boolean) {
  environment(id: $env) {
    applied {
      modelHistoricalRuns(uniqueId: $id, identifier: $identifier, lastRunCount: $count,
                          withCatalog: $catalog) {
        uniqueId runId jobId status error executionTime runGeneratedAt executeCompletedAt
        compiledCode tests { uniqueId status } runResults { status } columns { name } stats { id }
      }
    }
  }
}
"""


def test_it_gives_a_models_history_newest_first(demo, gql) -> None:
    history = gql(HISTORY, env=demo.pk, id=example.BROKEN, count=20)
    history = history["environment"]["applied"]["modelHistoricalRuns"]
    loaded = runs(demo)
    expected = list(reversed(example.results()[example.BROKEN]))
    assert [(h["runId"], h["status"]) for h in history] == [
        (loaded[i].pk, r["status"]) for i, r in expected
    ]
    assert [h["status"] for h in history] == ["success", "error", "success"]
    assert history[1]["error"] == expected[1][1]["message"]
    assert all(h["jobId"] == demo.pk for h in history)
    assert all(h["columns"] is None and h["stats"] == [] for h in history)
    # The tests of the model in each run: run 1 (build) ran them, run 2 skipped them.
    tests = {t["uniqueId"]: t["status"] for t in history[2]["tests"]}
    run1 = {r["unique_id"]: r for r in example.RUNS[0][1]["results"]}
    assert tests == {uid: str(run1[uid]["failures"]) for uid in tests}
    assert tests
    assert {t["status"] for t in history[1]["tests"]} == {None}
    assert history[0]["tests"] == []


def test_it_gives_one_run_by_default_and_the_catalog_when_asked(demo, gql) -> None:
    one = gql(HISTORY, env=demo.pk, identifier="DIM_BIKES", catalog=True)
    one = one["environment"]["applied"]["modelHistoricalRuns"]
    assert len(one) == 1
    assert one[0]["uniqueId"] == "model.bikeshare.dim_bikes"
    columns = example.CATALOG["nodes"]["model.bikeshare.dim_bikes"]["columns"]
    assert [c["name"] for c in one[0]["columns"]] == sorted(
        columns, key=lambda c: columns[c]["index"]
    )
    result = execute(HISTORY, {"env": demo.pk})
    assert result.errors[0].message == "modelHistoricalRuns needs a uniqueId or an identifier"
