"""dbt's MCP server (dbt-mcp), pointed at a live Lantern, sees the example project.

dbt-mcp's Discovery tools are what an AI assistant uses to read a dbt project; they speak the
dbt Cloud Discovery API. Each test runs one tool in dbt-mcp's own process and venv
(tests/catalog/graphql/mcp/driver.py; `make mcp` makes .venv-mcp with the pinned dbt-mcp)
against a Lantern served over HTTP with the example project loaded, authenticated with a token
from `createtoken`, and checks the answer against the artifact JSON (artifact_facts.py).

Only the URL of dbt-mcp's Discovery settings is replaced (dbt-mcp builds
`https://metadata.<DBT_HOST>/graphql` itself); its headers, queries, pagination and parsing are
its own. Without .venv-mcp these tests are skipped; with CI=true they fail.
"""

from __future__ import annotations

import io
import json
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.db import connections
from graphql import parse, validate
from pytest_django.live_server_helper import LiveServer

from catalog.models import Environment
from tests.catalog.graphql import artifact_facts as facts
from tests.conftest import EXAMPLE, require, run_ingest

ROOT = Path(__file__).resolve().parents[3]
MCP_PYTHON = ROOT / ".venv-mcp" / "bin" / "python"
DRIVER = Path(__file__).parent / "mcp" / "driver.py"

# The Discovery tools of the pinned dbt-mcp (2.8.0), every one exercised below.
TOOLS = {
    "get_all_macros",
    "get_all_models",
    "get_all_sources",
    "get_exposure_details",
    "get_exposures",
    "get_lineage",
    "get_macro_details",
    "get_mart_models",
    "get_model_children",
    "get_model_details",
    "get_model_health",
    "get_model_parents",
    "get_model_performance",
    "get_node_details",
    "get_seed_details",
    "get_semantic_model_details",
    "get_snapshot_details",
    "get_source_details",
    "get_test_details",
}

FCT_TRIPS = "model.bikeshare.fct_trips"
STG_BIKES = "model.bikeshare.stg_bike_ops__bikes"
MAINTENANCE = "model.bikeshare.fct_bike_maintenance"
FAILING_TEST = (
    "test.bikeshare.relationships_fct_bike_maintenance_bike_id__bike_id__ref_dim_bikes_.7c2988ba62"
)
UNIT_TEST = "unit_test.bikeshare.fct_revenue_daily.test_revenue_daily_nets_refunds"


@dataclass(frozen=True)
class Lantern:
    url: str
    token: str
    environment_id: int


@pytest.fixture(scope="module")
def lantern(django_db_setup, django_db_blocker) -> Iterator[Lantern]:
    """The example project in an environment of its own, served over HTTP, and a token.

    Loaded once for the module: pytest-django's `live_server` fixture would flush the database
    after each test. The server is the same (pytest-django's LiveServer), started here.
    """
    require("dbt-mcp's venv (make mcp)", MCP_PYTHON.exists(), str(MCP_PYTHON))
    # pytest-django makes the test database only when a selected test asks for one (as
    # test_it_runs_on_the_test_database does); never write to the developer's database.
    assert facts.on_test_database(), "no test database: select a test that uses `db` too"
    with django_db_blocker.unblock():
        run_ingest(str(EXAMPLE), "--environment", "dbt-mcp")
        environment = Environment.objects.get(name="dbt-mcp")
        user = User.objects.create_user("assistant")
        out = io.StringIO()
        call_command("createtoken", "assistant", stdout=out, stderr=io.StringIO())
        server = LiveServer("127.0.0.1:0")
        server._live_server_modified_settings.enable()
        try:
            yield Lantern(f"{server.url}/graphql", out.getvalue().strip(), environment.pk)
        finally:
            server._live_server_modified_settings.disable()
            server.stop()
            environment.delete()
            user.delete()
            connections.close_all()


# Every tool call the tests below make, by name: (tool, arguments, follow every page).
CALLS: dict[str, tuple[str, dict[str, Any], bool]] = {
    "tools": ("--list", {}, False),
    "all models": ("get_all_models", {"limit": 100}, False),
    "models by 10": ("get_all_models", {"limit": 10}, True),
    "marts": ("get_mart_models", {"limit": 100}, False),
    "fct_trips": ("get_model_details", {"name": "fct_trips"}, False),
    "dim_riders v2": (
        "get_node_details",
        {"resource_type": "model", "unique_id": "model.bikeshare.dim_riders.v2"},
        False,
    ),
    "parents of dim_bikes": (
        "get_model_parents",
        {"unique_id": "model.bikeshare.dim_bikes"},
        False,
    ),
    "parents of stg_bike_ops__trips": (
        "get_model_parents",
        {"unique_id": "model.bikeshare.stg_bike_ops__trips"},
        False,
    ),
    "children of stg_bike_ops__bikes": (
        "get_model_children",
        {"name": "stg_bike_ops__bikes"},
        False,
    ),
    "health": ("get_model_health", {"unique_id": MAINTENANCE}, False),
    "performance": (
        "get_model_performance",
        {"unique_id": STG_BIKES, "num_runs": 10, "include_tests": True},
        False,
    ),
    "upstream": (
        "get_lineage",
        {"unique_id": "model.bikeshare.dim_stations", "depth": 0, "direction": "upstream"},
        False,
    ),
    "downstream": (
        "get_lineage",
        {
            "unique_id": "source.bikeshare.bike_ops.stations",
            "depth": 0,
            "direction": "downstream",
            "limit": 1000,
        },
        False,
    ),
    "children": (
        "get_lineage",
        {"unique_id": STG_BIKES, "depth": 1, "direction": "downstream"},
        False,
    ),
    "exposures": ("get_exposures", {}, False),
    "exposure": ("get_exposure_details", {"name": "fleet_operations_dashboard"}, False),
    "sources": ("get_all_sources", {"limit": 100}, False),
    "billing": ("get_all_sources", {"source_names": ["billing"]}, False),
    "source": (
        "get_source_details",
        {"unique_id": "source.bikeshare.bike_ops.maintenance_events"},
        False,
    ),
    "macros": ("get_all_macros", {"package_names": ["bikeshare"], "limit": 100}, True),
    "macro": ("get_macro_details", {"name": "duration_minutes"}, False),
    "seed": ("get_seed_details", {"name": "bike_models"}, False),
    "snapshot": ("get_snapshot_details", {"name": "bikes_snapshot"}, False),
    "failing test": ("get_test_details", {"unique_id": FAILING_TEST}, False),
    "unit test": (
        "get_node_details",
        {"resource_type": "test", "unique_id": UNIT_TEST},
        False,
    ),
    "semantic model": ("get_semantic_model_details", {"name": "trips"}, False),
}


def driver(lantern: Lantern, *args: str, stdin: str | None = None) -> Any:
    command = [str(MCP_PYTHON), str(DRIVER), lantern.url, lantern.token]
    command += [str(lantern.environment_id), *args]
    done = subprocess.run(
        command, input=stdin, capture_output=True, text=True, timeout=600, check=False
    )
    assert done.returncode == 0, done.stderr[-4000:]
    return json.loads(done.stdout)


@pytest.fixture(scope="module")
def answers(lantern: Lantern) -> dict[str, dict[str, Any]]:
    """dbt-mcp's answer to each of CALLS: one process (importing dbt-mcp takes seconds), a
    server and MCP session of its own for each call."""
    calls = [
        {"tool": tool, "arguments": arguments, "all_pages": all_pages}
        for tool, arguments, all_pages in CALLS.values()
    ]
    out = driver(lantern, "--batch", stdin=json.dumps(calls))
    return dict(zip(CALLS, out, strict=True))


def mcp(answers: dict[str, dict[str, Any]], call: str) -> Any:
    """The answer of one of CALLS (the list of its pages when all are followed): no error."""
    out = answers[call]
    assert not out["is_error"], out["result"]
    return out["result"]


def names(uids: set[str] | list[str]) -> set[str]:
    return {facts.RESOURCES[uid]["name"] for uid in uids}


def test_it_runs_on_the_test_database(lantern: Lantern, db: None) -> None:
    assert Environment.objects.filter(pk=lantern.environment_id, name="dbt-mcp").exists()


def test_it_offers_every_discovery_tool(answers: dict[str, Any]) -> None:
    assert set(mcp(answers, "tools")) == TOOLS


def test_it_sends_only_queries_that_lantern_validates(lantern: Lantern) -> None:
    from lantern.schema import schema

    queries = json.loads(
        subprocess.run(
            [str(MCP_PYTHON), str(DRIVER), "-", "-", "0", "--queries"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    )
    assert len(queries) >= 15
    problems = {
        name: [error.message for error in validate(schema.graphql_schema, parse(text))]
        for name, text in queries.items()
    }
    assert {name: errors for name, errors in problems.items() if errors} == {}


def test_it_lists_all_models(answers: dict[str, Any]) -> None:
    page = mcp(answers, "all models")
    assert page["pagination"]["has_more"] is False
    got = {m["uniqueId"]: (m["name"], m["description"]) for m in page["result"]}
    assert got == {
        uid: (model["name"], model["description"]) for uid, model in facts.applied("model").items()
    }


def test_it_pages_through_models_with_lanterns_cursors(answers: dict[str, Any]) -> None:
    pages = mcp(answers, "models by 10")
    models = facts.applied("model")
    assert len(pages) == -(-len(models) // 10)
    seen = [m["uniqueId"] for page in pages for m in page["result"]]
    assert sorted(seen) == sorted(models)  # each exactly once


def test_it_lists_mart_models(answers: dict[str, Any]) -> None:
    page = mcp(answers, "marts")
    marts = {
        model["name"] for model in facts.of_type("model").values() if "marts" in model["fqn"][1:-1]
    }
    assert {m["name"] for m in page["result"]} == marts
    assert "fct_trips" in marts


def test_it_gives_a_models_details_by_name(answers: dict[str, Any]) -> None:
    (model,) = mcp(answers, "fct_trips")
    node = facts.RESOURCES[FCT_TRIPS]
    assert model["uniqueId"] == FCT_TRIPS
    assert model["description"] == node["description"]
    assert (model["database"], model["schema"], model["alias"]) == (
        node["database"],
        node["schema"],
        node["alias"],
    )
    assert model["relationName"] == node["relation_name"]
    assert model["rawCode"] == node["raw_code"]
    assert model["compiledCode"] == node["compiled_code"]
    assert model["config"]["materialized"] == "table"
    assert (model["access"], model["group"], model["language"]) == ("public", "operations", "sql")
    assert model["contractEnforced"] is True
    assert model["fqn"] == node["fqn"]
    assert sorted(model["tags"]) == sorted(node["tags"])
    assert model["meta"] == node["config"]["meta"]
    assert [(c["name"], c["type"], c["expression"]) for c in model["constraints"]] == [
        (c["name"], c["type"], c["expression"]) for c in node["constraints"]
    ]
    columns = {c["name"]: (c["type"], c["index"]) for c in model["catalog"]["columns"]}
    assert columns == facts.catalog_columns(FCT_TRIPS)
    described = {c["name"]: c["description"] for c in model["catalog"]["columns"]}
    for name, column in node["columns"].items():
        assert described[name] == column["description"]
    assert {t["uniqueId"] for t in model["tests"]} == facts.attached_tests(FCT_TRIPS)
    run, result = facts.last_result(FCT_TRIPS)
    assert model["executionInfo"]["lastRunStatus"] == result["status"] == "success"
    assert facts.ts(model["executionInfo"]["lastRunGeneratedAt"]) == facts.ts(
        run["metadata"]["generated_at"]
    )


def test_it_gives_a_versioned_models_details_by_unique_id(answers: dict[str, Any]) -> None:
    (model,) = mcp(answers, "dim_riders v2")
    node = facts.RESOURCES["model.bikeshare.dim_riders.v2"]
    assert (model["name"], model["version"], model["latestVersion"]) == ("dim_riders", "2", "2")
    assert model["alias"] == node["alias"] == "dim_riders_v2"


def test_it_gives_a_models_parents(answers: dict[str, Any]) -> None:
    for uid in ("model.bikeshare.dim_bikes", "model.bikeshare.stg_bike_ops__trips"):
        got = mcp(answers, f"parents of {facts.RESOURCES[uid]['name']}")
        expected = {
            (facts.RESOURCES[p]["resource_type"], facts.RESOURCES[p]["name"])
            for p in facts.parents(uid)
        }
        assert {(p["resourceType"], p["name"]) for p in got} == expected
        for parent in got:
            if parent["resourceType"] == "source":
                assert parent["uniqueId"] in facts.parents(uid)


def test_it_gives_a_models_children(answers: dict[str, Any]) -> None:
    got = mcp(answers, "children of stg_bike_ops__bikes")
    expected = {
        (facts.RESOURCES[c]["resource_type"], facts.RESOURCES[c]["name"])
        for c in facts.children(STG_BIKES)
    }
    assert {(c["resourceType"], c["name"]) for c in got} == expected
    assert ("test", "unique_stg_bike_ops__bikes_bike_id") in expected  # tests are children


def test_it_gives_a_models_health(answers: dict[str, Any]) -> None:
    (model,) = mcp(answers, "health")
    run, result = facts.last_result(MAINTENANCE)
    info = model["executionInfo"]
    assert info["lastRunStatus"] == result["status"]
    assert facts.ts(info["lastRunGeneratedAt"]) == facts.ts(run["metadata"]["generated_at"])
    _, success = facts.last_success(MAINTENANCE)
    assert facts.ts(info["executeCompletedAt"]) == facts.timing(success, "execute")[1]
    # The tests of the model, with their latest results: the relationships test fails.
    tests = {t["name"]: t["executionInfo"]["lastRunStatus"] for t in model["tests"]}
    assert tests == {
        facts.RESOURCES[t]["name"]: facts.last_result(t)[1]["status"]
        for t in facts.attached_tests(MAINTENANCE)
    }
    assert tests[facts.RESOURCES[FAILING_TEST]["name"]] == "fail"
    # Everything upstream, and the freshness of the sources among it: maintenance_events errors.
    kinds = ("model", "source", "seed", "snapshot")
    upstream = {
        u for u in facts.upstream(MAINTENANCE) if facts.RESOURCES[u]["resource_type"] in kinds
    }
    assert {a["name"] for a in model["ancestors"]} == names(upstream)
    for ancestor in model["ancestors"]:
        if ancestor["resourceType"] == "source":
            uid = f"source.{facts.PROJECT}.{ancestor['sourceName']}.{ancestor['name']}"
            checked = facts.freshness(uid)
            assert checked is not None
            assert (
                ancestor["freshness"]["freshnessStatus"]
                == facts.FRESHNESS_STATUS[checked["status"]]
            )
            assert facts.ts(ancestor["freshness"]["maxLoadedAt"]) == facts.ts(
                checked["max_loaded_at"]
            )
            assert ancestor["freshness"]["maxLoadedAtTimeAgoInS"] == pytest.approx(
                checked["max_loaded_at_time_ago_in_s"]
            )
    statuses = {
        a["name"]: a.get("freshness", {}).get("freshnessStatus") for a in model["ancestors"]
    }
    assert statuses["maintenance_events"] == "Error"


def test_it_gives_a_models_run_history(answers: dict[str, Any]) -> None:
    runs = mcp(answers, "performance")
    history = facts.results(STG_BIKES)  # newest first: run (03), error (02), build (01)
    assert [r["status"] for r in runs] == [result["status"] for _, result in history]
    assert [r["status"] for r in runs] == ["success", "error", "success"]
    assert len({r["runId"] for r in runs}) == 3
    for got, (_, result) in zip(runs, history, strict=True):
        assert got["uniqueId"] == STG_BIKES
        if result["status"] == "success":
            assert got["executionTime"] == pytest.approx(result["execution_time"])
            assert facts.ts(got["executeStartedAt"]) == facts.timing(result, "execute")[0]
    # The tests of the model that ran in the same invocation: all four passed in the build
    # (a test's status there is its number of failing rows).
    build = {r["unique_id"]: r for r in facts.RUNS[0]["results"]}
    tests = facts.attached_tests(STG_BIKES)
    assert {t["name"]: (t["status"], t["executionTime"]) for t in runs[2]["tests"]} == {
        facts.RESOURCES[t]["name"]: (
            facts.test_status(build[t]),
            pytest.approx(build[t]["execution_time"]),
        )
        for t in tests
        if t in build
    }
    assert {t["status"] for t in runs[2]["tests"]} == {"0"}
    assert runs[0]["tests"] == []  # `dbt run` runs no test


def test_it_traces_lineage_upstream(answers: dict[str, Any]) -> None:
    graph = mcp(answers, "upstream")
    expected = facts.upstream("model.bikeshare.dim_stations")
    assert {n["unique_id"] for n in graph["nodes"]} == expected
    assert graph["omitted_node_count"] == 0
    edges = {(e["source"], e["target"]) for e in graph["edges"]}
    assert edges == {(p, c) for c in expected for p in facts.parents(c) if p in expected}


def test_it_traces_lineage_downstream(answers: dict[str, Any]) -> None:
    source = "source.bikeshare.bike_ops.stations"
    graph = mcp(answers, "downstream")
    # Everything downstream but unit tests, which are no lineage resource type of dbt-mcp.
    expected = {u for u in facts.downstream(source) if not u.startswith("unit_test.")}
    assert {n["unique_id"] for n in graph["nodes"]} == expected
    kinds = {n["resource_type"] for n in graph["nodes"]}
    assert {"Model", "Test", "Exposure", "Metric", "SemanticModel", "SavedQuery"} <= kinds
    near = mcp(answers, "children")
    assert {n["unique_id"] for n in near["nodes"]} == set(facts.children(STG_BIKES))


def test_it_lists_exposures(answers: dict[str, Any]) -> None:
    page = mcp(answers, "exposures")
    got = {e["uniqueId"]: (e["name"], e["url"], e["description"]) for e in page["result"]}
    assert got == {
        uid: (e["name"], e["url"], e["description"]) for uid, e in facts.of_type("exposure").items()
    }


def test_it_gives_an_exposures_details(answers: dict[str, Any]) -> None:
    (exposure,) = mcp(answers, "exposure")
    node = facts.by_name("exposure", "fleet_operations_dashboard")
    assert exposure["uniqueId"] == node["unique_id"]
    assert exposure["exposureType"] == node["type"] == "dashboard"
    assert (exposure["label"], exposure["url"], exposure["maturity"]) == (
        node["label"],
        node["url"],
        node["maturity"],
    )
    assert (exposure["ownerName"], exposure["ownerEmail"]) == (
        node["owner"]["name"],
        node["owner"]["email"],
    )
    assert exposure["fqn"] == node["fqn"]
    assert {p["uniqueId"] for p in exposure["parents"]} == set(node["depends_on"]["nodes"])


def test_it_lists_sources_with_their_freshness(answers: dict[str, Any]) -> None:
    page = mcp(answers, "sources")
    sources = facts.of_type("source")
    assert {s["uniqueId"] for s in page["result"]} == set(sources)
    for source in page["result"]:
        node = sources[source["uniqueId"]]
        assert (source["sourceName"], source["name"], source["identifier"]) == (
            node["source_name"],
            node["name"],
            node["identifier"],
        )
        assert (source["database"], source["schema"]) == (node["database"], node["schema"])
        assert source["description"] == node["description"]
        assert source["resourceType"] == "source"
        checked = facts.freshness(source["uniqueId"])
        fresh = source["freshness"]
        if checked is None:  # bike_ops.stations and weather.daily_weather have no check
            assert fresh["freshnessStatus"] in (None, "Unknown")
        else:
            assert fresh["freshnessStatus"] == facts.FRESHNESS_STATUS[checked["status"]]
            assert facts.ts(fresh["maxLoadedAt"]) == facts.ts(checked["max_loaded_at"])
    by_status = {s["name"]: s["freshness"]["freshnessStatus"] for s in page["result"]}
    assert (by_status["trips"], by_status["payments"], by_status["maintenance_events"]) == (
        "Pass",
        "Warn",
        "Error",
    )
    billing = mcp(answers, "billing")
    assert {s["name"] for s in billing["result"]} == {"customers", "payments", "subscriptions"}


def test_it_gives_a_sources_details(answers: dict[str, Any]) -> None:
    uid = "source.bikeshare.bike_ops.maintenance_events"
    (source,) = mcp(answers, "source")
    node = facts.RESOURCES[uid]
    assert (source["name"], source["sourceName"], source["loader"]) == (
        "maintenance_events",
        "bike_ops",
        "airbyte",
    )
    assert source["sourceDescription"] == node["source_description"]
    assert source["fqn"] == node["fqn"]
    columns = {c["name"]: (c["type"], c["index"]) for c in source["catalog"]["columns"]}
    assert columns == facts.catalog_columns(uid)
    assert source["freshness"]["freshnessStatus"] == "Error"
    assert {t["uniqueId"]: t["lastKnownResult"] for t in source["tests"]} == {
        t: facts.last_result(t)[1]["status"] for t in facts.attached_tests(uid)
    }


def test_it_lists_the_projects_macros(answers: dict[str, Any]) -> None:
    pages = mcp(answers, "macros")
    got = {m["uniqueId"]: m["packageName"] for page in pages for m in page["result"]}
    project = {uid for uid in facts.of_type("macro") if uid.startswith("macro.bikeshare.")}
    assert got == dict.fromkeys(project, "bikeshare")
    assert len(pages) == -(-len(facts.of_type("macro")) // 100)


def test_it_gives_a_macros_details(answers: dict[str, Any]) -> None:
    (macro,) = mcp(answers, "macro")
    node = facts.RESOURCES["macro.bikeshare.duration_minutes"]
    assert macro["uniqueId"] == "macro.bikeshare.duration_minutes"
    assert macro["macroSql"] == node["macro_sql"]
    assert macro["description"] == node["description"]
    assert [(a["name"], a["type"], a["description"]) for a in macro["arguments"]] == [
        (a["name"], a["type"], a["description"]) for a in node["arguments"]
    ]


def test_it_gives_a_seeds_details(answers: dict[str, Any]) -> None:
    (seed,) = mcp(answers, "seed")
    uid = "seed.bikeshare.bike_models"
    assert seed["uniqueId"] == uid
    columns = {c["name"]: (c["type"], c["index"]) for c in seed["catalog"]["columns"]}
    assert columns == facts.catalog_columns(uid)
    _, result = facts.last_result(uid)
    assert seed["executionInfo"]["lastRunStatus"] == result["status"] == "success"
    assert {c["uniqueId"] for c in seed["children"]} == set(facts.children(uid))


def test_it_gives_a_snapshots_details(answers: dict[str, Any]) -> None:
    (snapshot,) = mcp(answers, "snapshot")
    uid = "snapshot.bikeshare.bikes_snapshot"
    assert snapshot["alias"] == facts.RESOURCES[uid]["alias"]
    assert snapshot["catalog"]["uniqueId"] == uid
    columns = {c["name"]: (c["type"], c["index"]) for c in snapshot["catalog"]["columns"]}
    assert columns == facts.catalog_columns(uid)


def test_it_gives_a_failing_tests_details(answers: dict[str, Any]) -> None:
    (test,) = mcp(answers, "failing test")
    node = facts.RESOURCES[FAILING_TEST]
    run, result = facts.last_result(FAILING_TEST)
    assert test["executionInfo"]["lastRunStatus"] == result["status"] == "fail"
    assert test["executionInfo"]["lastRunFailures"] == result["failures"] == 2
    assert facts.ts(test["executionInfo"]["lastRunGeneratedAt"]) == facts.ts(
        run["metadata"]["generated_at"]
    )
    assert test["lastKnownResult"] == "fail"
    assert test["testType"] == "GENERIC_DATA_TEST"
    assert test["columnName"] == "bike_id"
    assert test["testMetadata"]["name"] == "relationships"
    assert test["testMetadata"]["kwargs"]["to"] == "ref('dim_bikes')"
    assert test["testedNodeUniqueId"] == MAINTENANCE
    assert {p["uniqueId"] for p in test["parents"]} == set(node["depends_on"]["nodes"])


def test_it_gives_a_unit_tests_details(answers: dict[str, Any]) -> None:
    (test,) = mcp(answers, "unit test")
    node = facts.RESOURCES[UNIT_TEST]
    assert test["testType"] == "UNIT_TEST"
    assert test["testedNodeUniqueId"] == "model.bikeshare.fct_revenue_daily"
    assert test["numGiven"] == len(node["given"])
    assert test["expect"]["rows"] == node["expect"]["rows"]


def test_it_gives_a_semantic_models_details(answers: dict[str, Any]) -> None:
    (semantic,) = mcp(answers, "semantic model")
    node = facts.RESOURCES["semantic_model.bikeshare.trips"]
    assert semantic["uniqueId"] == "semantic_model.bikeshare.trips"
    assert [d["name"] for d in semantic["dimensions"]] == [d["name"] for d in node["dimensions"]]
    assert [e["name"] for e in semantic["entities"]] == [e["name"] for e in node["entities"]]
    assert [(m["name"], m["agg"]) for m in semantic["measures"]] == [
        (m["name"], m["agg"]) for m in node["measures"]
    ]
