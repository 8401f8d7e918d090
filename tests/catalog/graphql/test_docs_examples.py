"""The example queries of dbt's Discovery API documentation, run against Lantern.

tests/fixtures/discovery/docs/ holds every example query of the docs pages (see its README), each
with the outcome the reference schema gives it. Each one is checked twice:

- against the reference SDL with graphql-core, so the known-bad examples (shared
  discovery-api.md §9) are exactly the ones the reference itself rejects;
- against Lantern's /graphql endpoint, over HTTP with a Bearer token from `createtoken`, on the
  example project (examples/artifacts): the valid ones answer without errors and with the values
  read straight from the artifact JSON (artifact_facts.py); the invalid ones get a 400 with the
  reference's validation message, as the real service refuses them.

The docs' ids (environment 834 or 123, job 123 or 940, `model.marketing.customers`, database
"analytics"…) are swapped for the example project's, textually or through variables: `CASES`
says how for each query, next to the check of its answer. Artifact-loaded runs have no dbt
Cloud ids: Lantern numbers them itself (a run's id is its row's, the job's the environment's).
"""

from __future__ import annotations

import io
import re
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.test import Client
from graphql import GraphQLError, build_schema, parse, validate

from catalog.models import Environment, Run
from tests.catalog.graphql import artifact_facts as facts
from tests.conftest import EXAMPLE, run_ingest

FIXTURES = Path(__file__).parent.parent.parent / "fixtures" / "discovery"
DOCS = FIXTURES / "docs"
REFERENCE = build_schema((FIXTURES / "reference-schema.graphql").read_text())
QUERIES = {path.stem: path.read_text() for path in sorted(DOCS.glob("*.graphql"))}


def expected_error(text: str) -> str | None:
    """The message the header promises for a known-bad example, or None for `# Expect: ok`."""
    match = re.search(r'^# Expect: (ok|invalid "(.*)")$', text, re.MULTILINE)
    assert match, "every docs query says what to expect"
    return match.group(2).replace('\\"', '"') if match.group(2) else None


def reference_errors(text: str) -> list[str]:
    try:
        return [error.message for error in validate(REFERENCE, parse(text))]
    except GraphQLError as error:  # a syntax error
        return [error.message]


def test_it_has_the_examples_of_every_docs_page() -> None:
    sources = {
        m.group(1) for text in QUERIES.values() for m in re.finditer(r"dbt-apis/(\S+?),", text)
    }
    assert len(QUERIES) >= 60
    for page in (
        "discovery-querying.md",
        "discovery-use-cases-and-examples.md",
        "project-state.md",
        "schema-discovery-environment.mdx",
        "schema-discovery-environment-applied.mdx",
        "schema-discovery-environment-definition.mdx",
        "schema-discovery-job.mdx",
    ):
        assert page in sources
    assert sum("applied-" in s for s in sources) >= 12
    assert sum("job-" in s for s in sources) >= 10


@pytest.mark.parametrize("name", QUERIES)
def test_it_validates_like_the_reference_schema(name: str) -> None:
    text = QUERIES[name]
    expected = expected_error(text)
    errors = reference_errors(text)
    if expected is None:
        assert errors == []
    else:
        assert any(expected in error for error in errors), errors


def test_it_keeps_a_fixed_copy_of_each_known_bad_example() -> None:
    bad = {name for name, text in QUERIES.items() if expected_error(text)}
    assert bad == {
        "querying-fragments",  # fields conflict (executionInfo of different types)
        "environment-example",  # a missing brace...
        "environment-example-closed",  # ...and an impossible fragment spread
        "applied-lineage",  # JSON where GraphQL is expected
        "applied-packages",  # a string for an enum
        "applied-seeds",  # unused variables
        "project-state-compare",  # Int! for a BigInt! id
    }
    for name in bad - {"environment-example-closed"}:
        assert f"{name}-fixed" in QUERIES


# -- Against Lantern ---------------------------------------------------------------------------

# The runs of examples/artifacts by what they were (examples/README.md), oldest first.
BUILD, BROKEN, FIX, TEST = (facts.run_of(run) for run in facts.RUNS)
FRESHNESS = str(facts.FRESHNESS["metadata"]["invocation_id"])

STG_BIKES = "model.bikeshare.stg_bike_ops__bikes"
FCT_TRIPS = "model.bikeshare.fct_trips"
DIM_BIKES = "model.bikeshare.dim_bikes"
FAILING_TEST = (
    "test.bikeshare.relationships_fct_bike_maintenance_bike_id__bike_id__ref_dim_bikes_.7c2988ba62"
)
DASHBOARD = "exposure.bikeshare.fleet_operations_dashboard"


@dataclass(frozen=True)
class Lantern:
    environment_id: int
    token: str
    job_id: int
    run_ids: dict[str, int]  # by invocation id


@pytest.fixture(scope="module")
def lantern(django_db_setup, django_db_blocker) -> Iterator[Lantern]:
    """The example project in an environment of its own, and a token, once for the module."""
    # pytest-django makes the test database only when a selected test asks for one (every
    # test below does); never write to the developer's database.
    assert facts.on_test_database(), "no test database: select a test that uses `db` too"
    with django_db_blocker.unblock():
        run_ingest(str(EXAMPLE), "--environment", "docs-examples")
        environment = Environment.objects.get(name="docs-examples")
        user = User.objects.create_user("docs-reader")
        out = io.StringIO()
        call_command("createtoken", "docs-reader", stdout=out, stderr=io.StringIO())
        runs = Run.objects.filter(environment=environment)
        # Artifacts carry no dbt Cloud ids: a run is then known by its own row, and all the
        # runs of an environment make one job, numbered as the environment.
        run_ids = {run.invocation_id: run.run_id or run.pk for run in runs}
        assert {BUILD, BROKEN, FIX, TEST, FRESHNESS} <= set(run_ids)
        try:
            yield Lantern(environment.pk, out.getvalue().strip(), environment.pk, run_ids)
        finally:
            environment.delete()
            user.delete()


@dataclass
class Answer:
    """What one docs query gave, and the means to ask more (the next page…)."""

    data: dict[str, Any]
    lantern: Lantern
    ask: Callable[[str, dict[str, Any]], dict[str, Any]]

    def run(self, invocation: str) -> int:
        return self.lantern.run_ids[invocation]


@dataclass
class Case:
    check: Callable[[Answer], None]
    variables: dict[str, Any] = field(default_factory=dict)
    # Textual replacements of the doc's ids and names, made after the generic ones below.
    replace: dict[str, str] = field(default_factory=dict)
    # The run that `job(id: …)` is pinned to (the docs leave runId out: "latest run").
    run: str = BUILD


CASES: dict[str, Case] = {}


def case(*names: str, variables: dict[str, Any] | None = None, **kwargs: Any) -> Callable:
    def register(check: Callable[[Answer], None]) -> Callable[[Answer], None]:
        for name in names:
            CASES[name] = Case(check, variables or {}, **kwargs)
        return check

    return register


def substitute(text: str, spec: Case, lantern: Lantern) -> str:
    env = lantern.environment_id
    text = re.sub(r"environment\(id: ?\d+\)", f"environment(id: {env})", text)
    text = re.sub(r"environmentId: 834\b", f"environmentId: {env}", text)
    run_id = lantern.run_ids[spec.run]
    text = re.sub(r"job\(id: ?\d+\)", f"job(id: {lantern.job_id}, runId: {run_id})", text)
    text = text.replace('after: "{somePaginationCursorValue}"', "after: null")
    for old, new in spec.replace.items():
        assert old in text, f"{old!r} is not in the query"
        text = text.replace(old, new)
    return text


def variables_for(spec: Case, lantern: Lantern) -> dict[str, Any]:
    values = {"environmentId": lantern.environment_id, "jobId": lantern.job_id}
    values.update(spec.variables)
    for key, value in values.items():
        if isinstance(value, str) and value in lantern.run_ids:
            values[key] = lantern.run_ids[value]
    return values


def post(client: Client, token: str, query: str, variables: dict[str, Any]) -> Any:
    return client.post(
        "/graphql",
        {"query": query, "variables": variables},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )


def test_it_has_a_check_for_every_docs_query() -> None:
    assert set(CASES) == {name for name, text in QUERIES.items() if not expected_error(text)}


@pytest.mark.django_db
@pytest.mark.parametrize("name", QUERIES)
def test_it_answers_the_docs_query_as_the_artifacts_say(
    name: str, lantern: Lantern, client: Client
) -> None:
    text = QUERIES[name]
    expected = expected_error(text)
    spec = CASES.get(name) or Case(lambda answer: None)
    response = post(
        client, lantern.token, substitute(text, spec, lantern), variables_for(spec, lantern)
    )
    body = response.json()
    if expected is not None:
        # Refused as a spec-compliant server (and the real service) refuses it.
        assert response.status_code == 400, body
        assert "data" not in body
        assert any(expected in error["message"] for error in body["errors"]), body["errors"]
        return
    assert response.status_code == 200, body
    assert "errors" not in body, body["errors"]

    def ask(query: str, more: dict[str, Any]) -> dict[str, Any]:
        answer = post(client, lantern.token, query, variables_for(spec, lantern) | more).json()
        assert "errors" not in answer, answer["errors"]
        return answer["data"]

    spec.check(Answer(body["data"], lantern, ask))


# -- What each answer must say --------------------------------------------------------------------


def nodes(connection_: dict[str, Any]) -> list[dict[str, Any]]:
    return [edge["node"] for edge in connection_["edges"]]


def applied(answer: Answer, what: str) -> list[dict[str, Any]]:
    return nodes(answer.data["environment"]["applied"][what])


def definition(answer: Answer, what: str) -> list[dict[str, Any]]:
    return nodes(answer.data["environment"]["definition"][what])


def models_named(rows: list[dict[str, Any]]) -> Counter[str]:
    return Counter(row["name"] for row in rows)


def resource_names(uids: set[str] | list[str]) -> Counter[str]:
    return Counter(facts.RESOURCES[uid]["name"] for uid in uids)


MODELS = facts.of_type("model")
PUBLIC = {uid for uid, model in MODELS.items() if model["access"] == "public"}
APPLIED = set(facts.applied("model"))  # all but the ephemeral model


def last_status(uid: str) -> str | None:
    found = facts.last_result(uid)
    return found[1]["status"] if found else None


def executed(uid: str, invocation: str) -> dict[str, Any] | None:
    """The node's result in one run."""
    for run, result in facts.results(uid):
        if facts.run_of(run) == invocation:
            return result
    return None


def generated_at(invocation: str) -> Any:
    for run in [*facts.RUNS, facts.FRESHNESS]:
        if facts.run_of(run) == invocation:
            return facts.ts(run["metadata"]["generated_at"])
    raise KeyError(invocation)


def check_applied_execution(answer: Answer, uid: str, info: dict[str, Any]) -> None:
    """executionInfo: lastRun* is the latest attempt, the rest the latest success."""
    run, result = facts.last_result(uid)
    if "lastRunStatus" in info:
        assert info["lastRunStatus"] == result["status"], uid
    if "lastRunId" in info:
        assert info["lastRunId"] == answer.run(facts.run_of(run)), uid
    if "lastRunGeneratedAt" in info:
        assert facts.ts(info["lastRunGeneratedAt"]) == facts.ts(run["metadata"]["generated_at"])
    if "lastJobDefinitionId" in info:
        assert info["lastJobDefinitionId"] == answer.lantern.job_id
    if "lastRunError" in info and result["status"] in ("success", "pass"):
        assert info["lastRunError"] is None, uid
    success = (
        facts.last_success(uid)
        if uid.startswith(("model.", "seed.", "snapshot."))
        else (
            run,
            result,
        )
    )
    assert success is not None, uid
    success_run, success_result = success
    if "lastSuccessRunId" in info:
        assert info["lastSuccessRunId"] == answer.run(facts.run_of(success_run)), uid
    if "lastSuccessJobDefinitionId" in info:
        assert info["lastSuccessJobDefinitionId"] == answer.lantern.job_id
    if "runGeneratedAt" in info:
        assert facts.ts(info["runGeneratedAt"]) == facts.ts(success_run["metadata"]["generated_at"])
    if "executionTime" in info:
        assert info["executionTime"] == pytest.approx(success_result["execution_time"]), uid
    for key, (step, index) in {
        "compileStartedAt": ("compile", 0),
        "compileCompletedAt": ("compile", 1),
        "executeStartedAt": ("execute", 0),
        "executeCompletedAt": ("execute", 1),
    }.items():
        if key in info:
            assert facts.ts(info[key]) == facts.timing(success_result, step)[index], (uid, key)


def check_models_execution(answer: Answer, rows: list[dict[str, Any]]) -> None:
    """Every applied model once (by uniqueId), with its executionInfo as the runs say."""
    assert sorted(row["uniqueId"] for row in rows) == sorted(APPLIED)
    for row in rows:
        uid = row["uniqueId"]
        if "materializedType" in row:
            assert row["materializedType"] == MODELS[uid]["config"]["materialized"]
        check_applied_execution(answer, uid, row["executionInfo"])


def check_freshness(uid: str, fresh: dict[str, Any], answer: Answer | None = None) -> None:
    """A source's freshness as sources.json has it (null fields for an unchecked source)."""
    checked = facts.freshness(uid)
    if checked is None:
        assert fresh.get("maxLoadedAt") is None, uid
        assert fresh.get("freshnessStatus") in (None, "Unknown"), uid
        if "freshnessChecked" in fresh:
            assert fresh["freshnessChecked"] is False
        return
    expected = {
        "freshnessStatus": facts.FRESHNESS_STATUS[checked["status"]],
        "freshnessChecked": True,
        "maxLoadedAt": facts.ts(checked["max_loaded_at"]),
        "snapshottedAt": facts.ts(checked["snapshotted_at"]),
        "freshnessRunGeneratedAt": facts.ts(facts.FRESHNESS["metadata"]["generated_at"]),
    }
    for key, value in expected.items():
        if key in fresh:
            got = fresh[key] if not key.endswith("At") else facts.ts(fresh[key])
            assert got == value, (uid, key)
    if "maxLoadedAtTimeAgoInS" in fresh:
        assert fresh["maxLoadedAtTimeAgoInS"] == pytest.approx(
            checked["max_loaded_at_time_ago_in_s"]
        )
    if answer is not None and "freshnessRunId" in fresh:
        assert fresh["freshnessRunId"] == answer.run(FRESHNESS)
    if answer is not None and "freshnessJobDefinitionId" in fresh:
        assert fresh["freshnessJobDefinitionId"] == answer.lantern.job_id
    if "criteria" in fresh:
        check_criteria(uid, fresh["criteria"])


def check_criteria(uid: str, criteria: dict[str, Any]) -> None:
    config = facts.RESOURCES[uid]["freshness"] or {}
    for key, name in (("warnAfter", "warn_after"), ("errorAfter", "error_after")):
        rule = config.get(name) or {}
        assert (criteria[key]["count"], criteria[key]["period"]) == (
            rule.get("count"),
            rule.get("period"),
        ), (uid, key)


def source_uid(row: dict[str, Any]) -> str:
    return f"source.{facts.PROJECT}.{row['sourceName']}.{row['name']}"


# -- discovery-querying.md ---------------------------------------------------------------------


@case(
    "querying-fragments-fixed",
    variables={"first": 500},
    replace={"MODEL.PROJECT.MODEL_NAME": DIM_BIKES},
)
def _ancestors_with_freshness(answer: Answer) -> None:
    (model,) = applied(answer, "models")
    assert model["name"] == "dim_bikes"
    kinds = ("model", "source", "seed", "snapshot")
    upstream = {
        u for u in facts.upstream(DIM_BIKES) if facts.RESOURCES[u]["resource_type"] in kinds
    }
    assert models_named(model["ancestors"]) == resource_names(upstream)
    for ancestor in model["ancestors"]:
        kind = ancestor["resourceType"]
        if kind == "source":
            check_freshness(source_uid(ancestor), ancestor["freshness"])
            continue
        (uid,) = [u for u in upstream if facts.RESOURCES[u]["name"] == ancestor["name"]]
        info = ancestor[{"model": "modelExecutionInfo", "seed": "seedExecutionInfo"}[kind]]
        success = facts.last_success(uid)
        completed = facts.timing(success[1], "execute")[1] if success else None
        assert facts.ts((info or {}).get("executeCompletedAt")) == completed, uid
        if kind == "model":
            assert ancestor["materializedType"] == MODELS[uid]["config"]["materialized"]


def check_job_models_pages(answer: Answer, field_: str = "models") -> None:
    """Page through the job's list as the docs say: `after` = the last row's cursor, until a
    page is shorter than `first`. Every model that ran is there once, with its execution time."""
    first = 10
    rows = answer.data["job"][field_]
    assert len(rows) == first
    seen = list(rows)
    query = QUERIES["querying-job-models-page"]
    while len(rows) == first:
        rows = answer.ask(query, {"after": rows[-1]["paginationCursor"]})["job"][field_]
        seen += rows
    uids = [row["uniqueId"] for row in seen]
    assert len(uids) == len(set(uids))
    ran = {r["unique_id"] for r in facts.RUNS[0]["results"] if r["unique_id"].startswith("model.")}
    assert ran <= set(uids)
    for row in seen:
        if "executionTime" in row and row["uniqueId"] in ran:
            result = executed(row["uniqueId"], BUILD)
            assert row["executionTime"] == pytest.approx(result["execution_time"])


@case("querying-job-models-page", variables={"runId": BUILD, "first": 10, "after": None})
def _job_models_page(answer: Answer) -> None:
    check_job_models_pages(answer)


@case("querying-models-and-tests", variables={"first": 500})
def _failed_models_and_tests(answer: Answer) -> None:
    # stg_bike_ops__bikes errored in run 02 and was fixed in 03: no model's latest run errored.
    assert applied(answer, "models") == []
    failed = applied(answer, "tests")
    assert [t["name"] for t in failed] == [facts.RESOURCES[FAILING_TEST]["name"]]
    assert failed[0]["executionInfo"]["lastRunId"] == answer.run(TEST)


# -- discovery-use-cases-and-examples.md ---------------------------------------------------------


@case("usecases-model-execution-times", variables={"first": 500})
def _execution_times(answer: Answer) -> None:
    check_models_execution(answer, applied(answer, "models"))


def check_history(answer: Answer, rows: list[dict[str, Any]], uid: str) -> None:
    """modelHistoricalRuns: one row per run of the model, newest first."""
    history = facts.results(uid)
    assert len(rows) == len(history)
    for row, (run, result) in zip(rows, history, strict=True):
        if "uniqueId" in row:
            assert row["uniqueId"] == uid
        if "name" in row:
            assert row["name"] == facts.RESOURCES[uid]["name"]
        if "runId" in row:
            assert row["runId"] == answer.run(facts.run_of(run))
        if "status" in row:
            assert row["status"] == result["status"]
        if "runGeneratedAt" in row:
            assert facts.ts(row["runGeneratedAt"]) == facts.ts(run["metadata"]["generated_at"])
        if "runElapsedTime" in row:
            assert row["runElapsedTime"] == pytest.approx(run["elapsed_time"])
        if "executionTime" in row:
            assert row["executionTime"] == pytest.approx(result["execution_time"])
        for key, (step, index) in {
            "executeStartedAt": ("execute", 0),
            "executeCompletedAt": ("execute", 1),
        }.items():
            if key in row:
                assert facts.ts(row[key]) == facts.timing(result, step)[index]
        if "tests" in row:
            ran = {r["unique_id"]: r for r in run["results"]}
            tests = [t for t in facts.attached_tests(uid) if t in ran]
            assert models_named(row["tests"]) == resource_names(tests)
            for test in row["tests"]:
                (tid,) = [t for t in tests if facts.RESOURCES[t]["name"] == test["name"]]
                if "status" in test:  # "ERROR" or the number of failing rows
                    assert test["status"] == facts.test_status(ran[tid]), tid
                if "executeCompletedAt" in test:
                    completed = facts.timing(ran[tid], "execute")[1]
                    assert facts.ts(test["executeCompletedAt"]) == completed


@case(
    "usecases-model-historical-runs",
    variables={"uniqueId": STG_BIKES, "lastRunCount": 20},
)
def _historical_runs(answer: Answer) -> None:
    rows = answer.data["environment"]["applied"]["modelHistoricalRuns"]
    assert [row["status"] for row in rows] == ["success", "error", "success"]
    check_history(answer, rows, STG_BIKES)


@case("usecases-latest-model-state", variables={"first": 500})
def _latest_state(answer: Answer) -> None:
    rows = applied(answer, "models")
    check_models_execution(answer, rows)
    for row in rows:
        model = MODELS[row["uniqueId"]]
        assert (row["database"], row["schema"], row["alias"]) == (
            model["database"],
            model["schema"],
            model["alias"],
        )
        assert row["compiledCode"] == model.get("compiled_code")


def check_job_models(answer: Answer, rows: list[dict[str, Any]], invocation: str) -> None:
    """A job run's models: those with a result in the run carry its status, and their tests."""
    run = next(r for r in facts.RUNS if facts.run_of(r) == invocation)
    results = {r["unique_id"]: r for r in run["results"]}
    ran = [uid for uid in MODELS if uid in results]
    # The rows have no uniqueId, and the versions of dim_riders share a name: compare the
    # (name, status, tests) of every row that has a status with those of the run's results.
    assert Counter(
        (row["name"], row["status"], tuple(sorted((t["name"], t["status"]) for t in row["tests"])))
        for row in rows
        if row["status"]
    ) == Counter(
        (
            MODELS[uid]["name"],
            results[uid]["status"],
            tuple(
                sorted(
                    (facts.RESOURCES[t]["name"], facts.test_status(results[t]))
                    for t in facts.attached_tests(uid)
                    if t in results
                )
            ),
        )
        for uid in ran
    )


@case("usecases-job-run-deprecated", variables={"runId": BROKEN})
def _job_run_legacy(answer: Answer) -> None:
    check_job_models(answer, answer.data["models"], BROKEN)


@case("usecases-job-run", variables={"runId": BROKEN})
def _job_run(answer: Answer) -> None:
    check_job_models(answer, answer.data["job"]["models"], BROKEN)
    statuses = Counter(row["status"] for row in answer.data["job"]["models"])
    assert (statuses["error"], statuses["skipped"]) == (1, 11)


@case(
    "usecases-changed-since-last-run",
    variables={"first": 500},
    replace={"MODEL.PROJECT.MODEL_NAME": STG_BIKES},
)
def _changed_since_last_run(answer: Answer) -> None:
    model = MODELS[STG_BIKES]
    (now,) = applied(answer, "models")
    assert now["rawCode"] == model["raw_code"]
    assert now["materializedType"] == "view"
    (source,) = now["ancestors"]
    check_freshness("source.bikeshare.bike_ops.bikes", source["freshness"])
    check_applied_execution(answer, STG_BIKES, now["executionInfo"])
    assert facts.ts(now["executionInfo"]["runGeneratedAt"]) == generated_at(FIX)
    (logical,) = definition(answer, "models")
    assert (logical["rawCode"], logical["materializedType"]) == (model["raw_code"], "view")
    assert facts.ts(logical["runGeneratedAt"]) == facts.ts(
        facts.MANIFEST["metadata"]["generated_at"]
    )


@case("usecases-model-test-history", variables={"uniqueId": STG_BIKES, "lastRunCount": 20})
def _test_history(answer: Answer) -> None:
    rows = answer.data["environment"]["applied"]["modelHistoricalRuns"]
    check_history(answer, rows, STG_BIKES)
    assert rows[0]["tests"] == []  # `dbt run` runs no test


@case(
    "usecases-source-freshness",
    variables={"first": 500},
    replace={'database: "production"': 'database: "bikeshare"'},
)
def _source_freshness(answer: Answer) -> None:
    rows = applied(answer, "sources")
    checked = {r["unique_id"] for r in facts.FRESHNESS["results"]}
    assert {source_uid(row) for row in rows} == checked
    for row in rows:
        uid = source_uid(row)
        source = facts.RESOURCES[uid]
        assert (row["identifier"], row["loader"]) == (source["identifier"], source["loader"])
        check_freshness(uid, row["freshness"], answer)
    statuses = Counter(row["freshness"]["freshnessStatus"] for row in rows)
    assert statuses == Counter({"Pass": 4, "Warn": 1, "Error": 1})


@case("usecases-test-coverage", variables={"first": 500})
def _test_coverage(answer: Answer) -> None:
    rows = applied(answer, "tests")
    tests = facts.of_type("test", "unit_test")
    assert models_named(rows) == resource_names(list(tests))
    by_name = {t["name"]: uid for uid, t in tests.items()}
    for row in rows:
        uid = by_name[row["name"]]
        test = tests[uid]
        assert row["columnName"] == facts.column_of(test), uid
        assert Counter((p["name"], p["resourceType"]) for p in row["parents"]) == Counter(
            (facts.RESOURCES[p]["name"], facts.RESOURCES[p]["resource_type"])
            for p in facts.parents(uid)
        ), uid
        if uid.startswith("unit_test."):
            continue  # a unit test runs in `dbt build` only as an execution of its own
        info = row["executionInfo"]
        run, result = facts.last_result(uid)
        assert info["lastRunStatus"] == result["status"], uid
        if result["status"] == "pass":
            assert info["lastRunError"] is None
            assert facts.ts(info["executeCompletedAt"]) == facts.timing(result, "execute")[1]
            assert info["executionTime"] == pytest.approx(result["execution_time"])


def check_catalog_columns(uid: str, columns: list[dict[str, Any]]) -> None:
    expected = facts.catalog_columns(uid)
    assert {c["name"]: c["type"] for c in columns} == {n: t for n, (t, _) in expected.items()}
    described = facts.RESOURCES[uid]["columns"]
    for column in columns:
        if "description" in column and column["name"] in described:
            # An undocumented column: "" in the manifest, null in the answer.
            expected = described[column["name"]]["description"] or None
            assert (column["description"] or None) == expected, column["name"]


@case("usecases-contracts-versions")
def _contracts_and_versions(answer: Answer) -> None:
    rows = applied(answer, "models")
    assert models_named(rows) == resource_names(PUBLIC)
    for row in rows:
        (uid,) = [u for u in PUBLIC if MODELS[u]["name"] == row["name"]][:1]
        if row["name"] == "dim_riders":
            assert row["latestVersion"] == "2"
            continue
        model = MODELS[uid]
        assert row["contractEnforced"] is model["contract"]["enforced"]
        assert [(c["name"], c["type"], c["expression"]) for c in row["constraints"]] == [
            (c["name"], c["type"], c["expression"]) for c in model["constraints"]
        ]
        check_catalog_columns(uid, row["catalog"]["columns"])
    (trips,) = [row for row in rows if row["name"] == "fct_trips"]
    assert trips["contractEnforced"] is True
    assert [c["type"] for c in trips["constraints"]] == ["check"]


@case(
    "usecases-dataset-columns",
    variables={"first": 500},
    replace={'"analytics"': '"bikeshare"', '"prod"': '"main"', '"customers"': '"fct_trips"'},
)
def _dataset_columns(answer: Answer) -> None:
    (row,) = applied(answer, "models")
    model = MODELS[FCT_TRIPS]
    assert (row["name"], row["description"]) == ("fct_trips", model["description"])
    assert sorted(row["tags"]) == sorted(model["tags"])
    assert row["meta"] == model["config"]["meta"]
    check_catalog_columns(FCT_TRIPS, row["catalog"]["columns"])


def check_relatives(rows: list[dict[str, Any]], resource_type: str, key: str) -> None:
    """parents/children of definition nodes, as the manifest's parent_map/child_map have them."""
    expected = facts.of_type(resource_type)
    assert sorted(row["uniqueId"] for row in rows) == sorted(expected)
    relatives = facts.parents if key == "parents" else facts.children
    for row in rows:
        assert row["resourceType"] == resource_type
        assert {r["uniqueId"] for r in row[key]} == set(relatives(row["uniqueId"])), (
            row["uniqueId"],
            key,
        )
        for relative in row[key]:
            other = facts.RESOURCES[relative["uniqueId"]]
            assert (relative["name"], relative["resourceType"]) == (
                other["name"],
                other["resource_type"],
            )


@case("usecases-definition-lineage", variables={"first": 500})
def _definition_lineage(answer: Answer) -> None:
    check_relatives(definition(answer, "sources"), "source", "children")
    check_relatives(definition(answer, "seeds"), "seed", "children")
    check_relatives(definition(answer, "snapshots"), "snapshot", "parents")
    check_relatives(definition(answer, "snapshots"), "snapshot", "children")
    check_relatives(definition(answer, "models"), "model", "parents")
    check_relatives(definition(answer, "models"), "model", "children")
    check_relatives(definition(answer, "exposures"), "exposure", "parents")


@case("usecases-model-lineage", variables={"first": 500})
def _model_lineage(answer: Answer) -> None:
    rows = applied(answer, "models")
    assert models_named(rows) == resource_names(APPLIED)
    for row in rows:
        candidates = [u for u in APPLIED if MODELS[u]["name"] == row["name"]]
        named = Counter(a["name"] for a in row["ancestors"] if "name" in a)
        # Only the model and source fragments select a name; seeds and snapshots come back {}.
        assert any(
            named
            == resource_names(
                [
                    a
                    for a in facts.upstream(uid)
                    if facts.RESOURCES[a]["resource_type"] in ("model", "source")
                ]
            )
            for uid in candidates
        ), row["name"]


@case("usecases-metrics", variables={"first": 500})
def _metrics(answer: Answer) -> None:
    rows = definition(answer, "metrics")
    metrics = facts.of_type("metric")
    assert models_named(rows) == resource_names(list(metrics))
    for row in rows:
        metric = facts.by_name("metric", row["name"])
        assert (row["description"], row["type"]) == (metric["description"], metric["type"])
        assert row["formula"] == metric["type_params"].get("expr")
        assert sorted(row["tags"]) == sorted(metric["tags"])
        assert models_named(row["parents"]) == resource_names(metric["depends_on"]["nodes"])
    (derived,) = [row for row in rows if row["name"] == "net_revenue"]
    assert derived["formula"] == "gross_revenue - refunds"


@case(
    "usecases-model-owner",
    variables={"first": 500},
    replace={"MODEL.PROJECT.NAME": FCT_TRIPS},
)
def _model_owner(answer: Answer) -> None:
    (row,) = applied(answer, "models")
    model = MODELS[FCT_TRIPS]
    assert (row["name"], row["description"], row["resourceType"]) == (
        "fct_trips",
        model["description"],
        "model",
    )
    assert (row["access"], row["group"]) == ("public", "operations")
    groups = definition(answer, "groups")
    assert {g["name"] for g in groups} == {g["name"] for g in facts.of_type("group").values()}
    for group in groups:
        spec = facts.by_name("group", group["name"])
        assert group["resourceType"] == "group"
        assert (group["ownerName"], group["ownerEmail"]) == (
            spec["owner"]["name"],
            spec["owner"]["email"],
        )
        members = [uid for uid, m in MODELS.items() if m.get("group") == group["name"]]
        assert models_named(group["models"]) == resource_names(members)


@case("usecases-model-access", variables={"first": 500})
def _model_access(answer: Answer) -> None:
    rows = definition(answer, "models")
    assert Counter((row["name"], row["access"]) for row in rows) == Counter(
        (m["name"], m["access"]) for m in MODELS.values()
    )


@case("usecases-public-models", "definition-example", variables={"first": 500})
def _public_models(answer: Answer) -> None:
    rows = definition(answer, "models")
    if "name" in rows[0]:
        assert models_named(rows) == resource_names(PUBLIC)
        return
    # definition-example: code, run and governance of the public models.
    assert len(rows) == len(PUBLIC)
    codes = Counter(MODELS[uid]["raw_code"] for uid in PUBLIC)
    assert Counter(row["rawCode"] for row in rows) == codes
    for row in rows:
        # The manifest comes from `dbt docs generate`, which wrote no run_results: no run, no job.
        assert row["jobDefinitionId"] is None
        assert facts.ts(row["runGeneratedAt"]) == facts.ts(
            facts.MANIFEST["metadata"]["generated_at"]
        )
    assert Counter((r["group"], r["contractEnforced"], r["version"]) for r in rows) == Counter(
        (
            MODELS[uid]["group"],
            MODELS[uid]["contract"]["enforced"],
            None if MODELS[uid].get("version") is None else str(MODELS[uid]["version"]),
        )
        for uid in PUBLIC
    )


@case("usecases-exposures", variables={"first": 500})
def _exposures(answer: Answer) -> None:
    rows = applied(answer, "exposures")
    exposures = facts.of_type("exposure")
    assert models_named(rows) == resource_names(list(exposures))
    for row in rows:
        exposure = facts.by_name("exposure", row["name"])
        assert (row["description"], row["ownerName"], row["url"]) == (
            exposure["description"],
            exposure["owner"]["name"],
            exposure["url"],
        )
        parents = exposure["depends_on"]["nodes"]
        assert Counter((p["name"], p["resourceType"]) for p in row["parents"]) == Counter(
            (facts.RESOURCES[p]["name"], facts.RESOURCES[p]["resource_type"]) for p in parents
        )
        for parent in row["parents"]:
            if parent["resourceType"] == "model":
                (uid,) = [
                    p
                    for p in parents
                    if facts.RESOURCES[p]["name"] == parent["name"]
                    and last_status(p) == parent["executionInfo"]["lastRunStatus"]
                ][:1]
                check_applied_execution(answer, uid, parent["executionInfo"])


@case(
    "usecases-model-over-time",
    variables={"uniqueId": FCT_TRIPS, "lastRunCount": 20, "withCatalog": True},
)
def _model_over_time(answer: Answer) -> None:
    rows = answer.data["environment"]["applied"]["modelHistoricalRuns"]
    check_history(answer, rows, FCT_TRIPS)
    newest = rows[0]
    assert newest["compiledCode"] == MODELS[FCT_TRIPS]["compiled_code"]
    assert {c["name"] for c in newest["columns"]} == set(facts.catalog_columns(FCT_TRIPS))


@case(
    "usecases-source-children",
    variables={"first": 500},
    replace={"SOURCE_NAME.TABLE_NAME": "source.bikeshare.bike_ops.bikes"},
)
def _source_children(answer: Answer) -> None:
    uid = "source.bikeshare.bike_ops.bikes"
    (row,) = applied(answer, "sources")
    assert row["loader"] == "airbyte"
    assert Counter((c["uniqueId"], c["resourceType"]) for c in row["children"]) == Counter(
        (c, facts.RESOURCES[c]["resource_type"]) for c in facts.children(uid)
    )
    models = [c for c in row["children"] if c["resourceType"] == "model"]
    assert len(models) == 2  # stg_bike_ops__bikes, and fct_bike_status_history reads it too
    for model in models:
        node = MODELS[model["uniqueId"]]
        assert (model["database"], model["schema"], model["alias"]) == (
            node["database"],
            node["schema"],
            node["alias"],
        )


# -- project-state.md, schema-discovery-environment*.mdx ---------------------------------------


@case("project-state-compare-fixed", variables={"first": 500})
def _compare_states(answer: Answer) -> None:
    logical = definition(answer, "models")
    actual = applied(answer, "models")
    code = Counter((m["name"], m["raw_code"]) for m in MODELS.values())
    assert Counter((row["name"], row["rawCode"]) for row in logical) == code
    assert Counter((row["name"], row["rawCode"]) for row in actual) == Counter(
        (MODELS[uid]["name"], MODELS[uid]["raw_code"]) for uid in APPLIED
    )
    completed = Counter(
        facts.timing(facts.last_success(uid)[1], "execute")[1] if facts.last_success(uid) else None
        for uid in APPLIED
    )
    assert Counter(
        facts.ts((r["executionInfo"] or {}).get("executeCompletedAt")) for r in actual
    ) == (completed)


def check_model_overview(answer: Answer) -> None:
    """applied.models(first: 100) of the environment and applied pages."""
    connection_ = answer.data["environment"]["applied"]["models"]
    assert connection_["totalCount"] == len(APPLIED)
    rows = nodes(connection_)
    assert sorted(row["uniqueId"] for row in rows) == sorted(APPLIED)
    for row in rows:
        uid = row["uniqueId"]
        model = MODELS[uid]
        assert (row["name"], row["description"], row["rawCode"]) == (
            model["name"],
            model["description"],
            model["raw_code"],
        )
        assert row["compiledCode"] == model.get("compiled_code")
        assert (row["database"], row["schema"], row["alias"]) == (
            model["database"],
            model["schema"],
            model["alias"],
        )
        if facts.last_success(uid):
            check_applied_execution(answer, uid, row["executionInfo"])
        tests = facts.attached_tests(uid)
        assert models_named(row["tests"]) == resource_names(tests), uid
        for test in row["tests"]:
            (tid,) = [t for t in tests if facts.RESOURCES[t]["name"] == test["name"]]
            if tid.startswith("test."):
                assert test["executionInfo"]["lastRunStatus"] == last_status(tid)
        if facts.catalog_entry(uid):
            check_catalog_columns(uid, row["catalog"]["columns"])
        sources = [a for a in facts.upstream(uid) if a.startswith("source.")]
        assert models_named(row["ancestors"]) == resource_names(sources), uid
        for ancestor in row["ancestors"]:
            (sid,) = [s for s in sources if facts.RESOURCES[s]["name"] == ancestor["name"]]
            check_freshness(sid, ancestor["freshness"])
        assert Counter((c["name"], c["resourceType"]) for c in row["children"]) == Counter(
            (facts.RESOURCES[c]["name"], facts.RESOURCES[c]["resource_type"])
            for c in facts.children(uid)
        ), uid


@case("environment-example-fixed")
def _environment_example(answer: Answer) -> None:
    check_model_overview(answer)
    answer.data["environment"]["applied"].clear()
    _public_models(answer)


@case("applied-example")
def _applied_example(answer: Answer) -> None:
    check_model_overview(answer)


@case("environment-bigint", variables={"first": 500})
def _last_run_ids(answer: Answer) -> None:
    rows = applied(answer, "models")
    assert sorted(row["uniqueId"] for row in rows) == sorted(APPLIED)
    for row in rows:
        run, _ = facts.last_result(row["uniqueId"])
        assert row["executionInfo"]["lastRunId"] == answer.run(facts.run_of(run))


@case("environment-model-historical-runs", variables={"uniqueId": STG_BIKES})
def _latest_historical_run(answer: Answer) -> None:
    (row,) = answer.data["environment"]["applied"]["modelHistoricalRuns"]  # lastRunCount = 1
    _, result = facts.results(STG_BIKES)[0]
    assert row["uniqueId"] == STG_BIKES
    assert row["executionTime"] == pytest.approx(result["execution_time"])
    assert facts.ts(row["executeCompletedAt"]) == facts.timing(result, "execute")[1]


# -- schema-discovery-environment-applied-*.mdx --------------------------------------------------


@case("applied-models")
def _applied_models(answer: Answer) -> None:
    rows = applied(answer, "models")
    # No uniqueId is asked for, and the versions of dim_riders share a name and description.
    assert Counter(
        (
            row["name"],
            row["description"],
            row["access"],
            row["config"]["materialized"],
            tuple(sorted(t["name"] for t in row["tests"])),
        )
        for row in rows
    ) == Counter(
        (
            MODELS[uid]["name"],
            MODELS[uid]["description"],
            MODELS[uid]["access"],
            MODELS[uid]["config"]["materialized"],
            tuple(sorted(facts.RESOURCES[t]["name"] for t in facts.attached_tests(uid))),
        )
        for uid in APPLIED
    )
    for row in rows:
        assert row["environmentId"] == answer.lantern.environment_id
        assert isinstance(row["accountId"], int)
        # duckdb's catalog names no owner.
        assert row["catalog"]["owner"] is None


@case("applied-sources", replace={'database: "analytics"': 'database: "bikeshare"'})
def _applied_sources(answer: Answer) -> None:
    rows = applied(answer, "sources")
    sources = facts.of_type("source")
    assert sorted(source_uid(row) for row in rows) == sorted(sources)
    for row in rows:
        uid = source_uid(row)
        source = sources[uid]
        assert row["fqn"] == source["fqn"]
        assert row["filePath"] == source["original_file_path"]
        assert (row["description"], row["sourceDescription"]) == (
            source["description"],
            source["source_description"],
        )
        check_freshness(uid, row["freshness"])
        tests = facts.attached_tests(uid)
        assert models_named(row["tests"]) == resource_names(tests), uid
        for test in row["tests"]:
            (tid,) = [t for t in tests if facts.RESOURCES[t]["name"] == test["name"]]
            assert test["testType"] == "GENERIC_DATA_TEST"
            assert test["executionInfo"]["lastRunStatus"] == last_status(tid)


@case("applied-tests-last-known-results", "applied-tests-test-types")
def _failing_tests(answer: Answer) -> None:
    (row,) = applied(answer, "tests")
    test = facts.RESOURCES[FAILING_TEST]
    assert (row["name"], row["description"], row["resourceType"]) == (
        test["name"],
        test["description"],
        "test",
    )
    assert (row["testType"], row["lastKnownResult"]) == ("GENERIC_DATA_TEST", "fail")
    # model, expect and given describe unit tests; this is a data test.
    assert (row["model"], row["expect"], row["given"]) == (None, None, None)


@case("applied-exposures", replace={"model.marketing.customers": DASHBOARD})
def _applied_exposures(answer: Answer) -> None:
    (row,) = applied(answer, "exposures")
    exposure = facts.RESOURCES[DASHBOARD]
    assert (row["exposureType"], row["fqn"], row["url"]) == (
        "dashboard",
        exposure["fqn"],
        exposure["url"],
    )
    assert isinstance(row["accountId"], int)
    assert isinstance(row["projectId"], int)


@case("applied-model-historical-runs", replace={"model.marketing.customers": STG_BIKES})
def _applied_historical_runs(answer: Answer) -> None:
    check_history(answer, answer.data["environment"]["applied"]["modelHistoricalRuns"], STG_BIKES)


@case("applied-lineage-fixed")
def _lineage(answer: Answer) -> None:
    rows = answer.data["environment"]["applied"]["lineage"]
    assert sorted(row["uniqueId"] for row in rows) == sorted(MODELS)
    for row in rows:
        model = MODELS[row["uniqueId"]]
        assert (row["name"], row["resourceType"]) == (model["name"], "Model")
        assert row["filePath"] == model["original_file_path"]
        assert row["materializationType"] == model["config"]["materialized"]
        assert sorted(row["parentIds"]) == sorted(facts.parents(row["uniqueId"]))
        assert sorted(row["tags"]) == sorted(model["tags"])
        assert isinstance(row["projectId"], int)


@case("applied-owners")
def _owners(answer: Answer) -> None:
    rows = answer.data["environment"]["applied"]["owners"]
    owners = {(e["owner"]["email"], e["owner"]["name"]) for e in facts.of_type("exposure").values()}
    assert sorted((row["email"], row["name"]) for row in rows) == sorted(owners)


@case("applied-packages-fixed")
def _packages(answer: Answer) -> None:
    assert answer.data["environment"]["applied"]["packages"] == [facts.PROJECT]


@case("applied-resources")
def _resources(answer: Answer) -> None:
    rows = applied(answer, "resources")
    assert sorted(row["uniqueId"] for row in rows) == sorted(APPLIED)
    for row in rows:
        model = MODELS[row["uniqueId"]]
        assert (row["name"], row["description"], row["resourceType"]) == (
            model["name"],
            model["description"],
            "model",
        )
        assert row["filePath"] == model["original_file_path"]
        assert row["meta"] == model["config"]["meta"]
        assert sorted(row["tags"]) == sorted(model["tags"])
        assert row["environmentId"] == answer.lantern.environment_id


@case("applied-seeds-fixed", replace={'database: "analytics"': 'database: "bikeshare"'})
def _seeds(answer: Answer) -> None:
    rows = applied(answer, "seeds")
    seeds = facts.of_type("seed")
    assert sorted(row["uniqueId"] for row in rows) == sorted(seeds)
    for row in rows:
        seed = seeds[row["uniqueId"]]
        assert (row["name"], row["description"], row["resourceType"]) == (
            seed["name"],
            seed["description"],
            "seed",
        )
        assert (row["filePath"], row["fqn"]) == (seed["original_file_path"], seed["fqn"])
        assert sorted(row["tags"]) == sorted(seed["tags"])


@case("applied-snapshots", replace={'database: "analytics"': 'database: "bikeshare"'})
def _snapshots(answer: Answer) -> None:
    (row,) = applied(answer, "snapshots")
    uid = "snapshot.bikeshare.bikes_snapshot"
    assert (row["name"], row["fqn"]) == ("bikes_snapshot", facts.RESOURCES[uid]["fqn"])
    check_applied_execution(answer, uid, row["executionInfo"])
    assert row["executionInfo"]["lastRunId"] == answer.run(BROKEN)


@case("applied-tags")
def _tags(answer: Answer) -> None:
    tags = {t for r in facts.RESOURCES.values() for t in facts.tags(r)}
    assert sorted(row["name"] for row in answer.data["environment"]["applied"]["tags"]) == sorted(
        tags
    )


@case("applied-exposure-tile", replace={"model.marketing.customers": DASHBOARD})
def _exposure_tile(answer: Answer) -> None:
    tile = answer.data["environment"]["applied"]["exposureTile"]
    exposure = facts.RESOURCES[DASHBOARD]
    assert (tile["exposureType"], tile["filePath"]) == ("dashboard", exposure["original_file_path"])
    assert tile["environmentId"] == answer.lantern.environment_id
    # A parent of the dashboard, fct_bike_maintenance, has a failing test.
    assert tile["quality"] == "Error"


# -- schema-discovery-job*.mdx -------------------------------------------------------------------


@case(
    "job-example",
    replace={
        'schema: "analytics"': 'schema: "main_staging"',
        "source.jaffle_shop.snowplow.event": "source.bikeshare.bike_ops.trips",
    },
)
def _job_example(answer: Answer) -> None:
    job = answer.data["job"]
    staging = {uid for uid, m in MODELS.items() if m["schema"] == "main_staging"}
    assert {row["uniqueId"] for row in job["models"]} == staging
    for row in job["models"]:
        assert row["executionTime"] == pytest.approx(
            executed(row["uniqueId"], BUILD)["execution_time"]
        )
        assert row["paginationCursor"]
    source = job["source"]
    uid = "source.bikeshare.bike_ops.trips"
    assert (source["uniqueId"], source["sourceName"], source["name"]) == (uid, "bike_ops", "trips")
    check_criteria(uid, source["criteria"])
    # No freshness in the build: its run's artifacts are all that job-level data says.
    assert (source["state"], source["maxLoadedAt"]) == (None, None)


@case("job-model-parents", replace={"model.jaffle_shop.dim_user": DIM_BIKES})
def _job_model_parents(answer: Answer) -> None:
    model = answer.data["job"]["model"]
    parents = facts.parents(DIM_BIKES)
    models = [p for p in parents if p.startswith("model.")]
    assert sorted(p["uniqueId"] for p in model["parentsModels"]) == sorted(models)
    for parent in model["parentsModels"]:
        assert parent["runId"] == answer.run(BUILD)
        result = executed(parent["uniqueId"], BUILD)
        assert parent["executionTime"] == pytest.approx(result["execution_time"])
    assert model["parentsSources"] == []


@case("job-model-timing", replace={"model.jaffle_shop.dim_user": FCT_TRIPS})
def _job_model_timing(answer: Answer) -> None:
    model = answer.data["job"]["model"]
    result = executed(FCT_TRIPS, BUILD)
    assert (model["uniqueId"], model["name"], model["resourceType"]) == (
        FCT_TRIPS,
        "fct_trips",
        "model",
    )
    assert model["runId"] == answer.run(BUILD)
    assert model["executionTime"] == pytest.approx(result["execution_time"])
    started, completed = facts.timing(result, "execute")
    assert facts.ts(model["executeStartedAt"]) == started
    assert facts.ts(model["executeCompletedAt"]) == completed


@case("job-model-columns", replace={"model.jaffle_shop.dim_user": FCT_TRIPS})
def _job_model_columns(answer: Answer) -> None:
    columns = answer.data["job"]["model"]["columns"]
    check_catalog_columns(FCT_TRIPS, columns)
    expected = facts.catalog_columns(FCT_TRIPS)
    assert {c["name"]: c["index"] for c in columns} == {n: i for n, (_, i) in expected.items()}


@case(
    "job-models-by-identifier",
    replace={
        'database: "analytics"': 'database: "bikeshare"',
        'schema: "analytics"': 'schema: "main"',
        '"dim_customers"': '"dim_bikes"',
    },
)
def _job_model_by_identifier(answer: Answer) -> None:
    (row,) = answer.data["job"]["models"]
    assert row["uniqueId"] == DIM_BIKES
    assert row["paginationCursor"]


@case("job-models-by-schema", replace={'schema: "analytics"': 'schema: "main_staging"'})
def _job_models_by_schema(answer: Answer) -> None:
    rows = answer.data["job"]["models"]
    staging = {uid for uid, m in MODELS.items() if m["schema"] == "main_staging"}
    assert {row["uniqueId"] for row in rows} == staging


@case("job-models-page", variables={"runId": BUILD, "first": 10, "after": None})
def _job_models_page_with_times(answer: Answer) -> None:
    check_job_models_pages(answer)


@case(
    "job-source",
    run=FRESHNESS,
    replace={"source.jaffle_shop.snowplow.event": "source.bikeshare.bike_ops.maintenance_events"},
)
def _job_source(answer: Answer) -> None:
    source = answer.data["job"]["source"]
    uid = "source.bikeshare.bike_ops.maintenance_events"
    checked = facts.freshness(uid)
    assert (source["uniqueId"], source["sourceName"], source["name"]) == (
        uid,
        "bike_ops",
        "maintenance_events",
    )
    assert source["state"] == "Error"
    assert facts.ts(source["maxLoadedAt"]) == facts.ts(checked["max_loaded_at"])
    assert source["maxLoadedAtTimeAgoInS"] == pytest.approx(checked["max_loaded_at_time_ago_in_s"])
    check_criteria(uid, source["criteria"])
    assert source["criteria"]["errorAfter"] == {"period": "day", "count": 5}


@case(
    "job-sources-by-identifier",
    run=FRESHNESS,
    replace={
        'database: "analytics"': 'database: "bikeshare"',
        'schema: "analytics"': 'schema: "raw_ops"',
        '"dim_customers"': '"trips"',
    },
)
def _job_source_by_identifier(answer: Answer) -> None:
    (row,) = answer.data["job"]["sources"]
    assert row["uniqueId"] == "source.bikeshare.bike_ops.trips"


@case(
    "job-sources-by-schema", run=FRESHNESS, replace={'schema: "analytics"': 'schema: "raw_billing"'}
)
def _job_sources_by_schema(answer: Answer) -> None:
    rows = answer.data["job"]["sources"]
    assert {row["uniqueId"]: row["state"] for row in rows} == {
        uid: facts.FRESHNESS_STATUS[facts.freshness(uid)["status"]]
        for uid, s in facts.of_type("source").items()
        if s["schema"] == "raw_billing"
    }


@case("job-test", run=TEST, replace={"test.internal_analytics.not_null_metrics_id": FAILING_TEST})
def _job_test(answer: Answer) -> None:
    test = answer.data["job"]["test"]
    assert (test["uniqueId"], test["columnName"], test["state"]) == (
        FAILING_TEST,
        "bike_id",
        "fail",
    )
    assert test["name"] == facts.RESOURCES[FAILING_TEST]["name"]
    assert test["runId"] == answer.run(TEST)
    assert isinstance(test["accountId"], int)


@case("job-tests", run=TEST)
def _job_tests(answer: Answer) -> None:
    rows = answer.data["job"]["tests"]
    assert len(rows) == 10
    results = {r["unique_id"]: r for r in facts.RUNS[3]["results"]}
    for row in rows:
        assert row["state"] == results[row["uniqueId"]]["status"]
        assert row["runId"] == answer.run(TEST)
        assert row["columnName"] == facts.column_of(facts.RESOURCES[row["uniqueId"]])
        assert row["paginationCursor"]


@case("job-seed", replace={"seed.jaffle_shop.raw_customers": "seed.bikeshare.bike_models"})
def _job_seed(answer: Answer) -> None:
    seed = answer.data["job"]["seed"]
    spec = facts.RESOURCES["seed.bikeshare.bike_models"]
    assert (seed["database"], seed["schema"], seed["uniqueId"], seed["name"]) == (
        spec["database"],
        spec["schema"],
        "seed.bikeshare.bike_models",
        "bike_models",
    )
    assert (seed["status"], seed["error"]) == ("success", None)


@case("job-seeds")
def _job_seeds(answer: Answer) -> None:
    rows = answer.data["job"]["seeds"]
    assert sorted(row["uniqueId"] for row in rows) == sorted(facts.of_type("seed"))
    for row in rows:
        result = executed(row["uniqueId"], BUILD)
        assert row["status"] == result["status"]
        assert row["executionTime"] == pytest.approx(result["execution_time"])


@case("job-snapshots")
def _job_snapshots(answer: Answer) -> None:
    (row,) = answer.data["job"]["snapshots"]
    result = executed("snapshot.bikeshare.bikes_snapshot", BUILD)
    assert row["uniqueId"] == "snapshot.bikeshare.bikes_snapshot"
    assert row["environmentId"] == answer.lantern.environment_id
    assert row["executionTime"] == pytest.approx(result["execution_time"])
    started, completed = facts.timing(result, "execute")
    assert (facts.ts(row["executeStartedAt"]), facts.ts(row["executeCompletedAt"])) == (
        started,
        completed,
    )


def check_job_exposure(answer: Answer, row: dict[str, Any]) -> None:
    exposure = facts.by_name("exposure", row["name"])
    assert (row["uniqueId"], row["resourceType"], row["url"]) == (
        exposure["unique_id"],
        "exposure",
        exposure["url"],
    )
    assert (row["ownerName"], row["ownerEmail"]) == (
        exposure["owner"]["name"],
        exposure["owner"]["email"],
    )
    assert row["runId"] == answer.run(BUILD)
    depends = exposure["depends_on"]["nodes"]
    assert sorted(p["uniqueId"] for p in row["parentsModels"]) == sorted(
        d for d in depends if d.startswith("model.")
    )
    assert row["parentsSources"] == []


@case("job-exposure", replace={"my_awesome_exposure": "fleet_operations_dashboard"})
def _job_exposure(answer: Answer) -> None:
    check_job_exposure(answer, answer.data["job"]["exposure"])


@case("job-exposures")
def _job_exposures(answer: Answer) -> None:
    rows = answer.data["job"]["exposures"]
    assert sorted(row["name"] for row in rows) == sorted(
        e["name"] for e in facts.of_type("exposure").values()
    )
    for row in rows:
        check_job_exposure(answer, row)


@case("model-by-environment", replace={"model.marketing.customers": STG_BIKES})
def _model_by_environment(answer: Answer) -> None:
    check_history(answer, answer.data["modelByEnvironment"], STG_BIKES)
