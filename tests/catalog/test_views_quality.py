"""The quality page: failing, newly failing and flaky tests, coverage, source freshness and
what stale sources affect. Expected rows are computed from the artifacts here."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from django.urls import reverse

from catalog.models import Environment
from tests.catalog.conftest import MANIFEST, manifest_resources
from tests.catalog.test_health import latest_results
from tests.conftest import EXAMPLE, read_json, run_ingest, write_json
from tests.ingest.test_load import run_results

RESOURCES = manifest_resources(MANIFEST)


def report(client, env: Environment, view: str, **params: str):
    response = client.get(reverse("catalog-quality", args=[env.pk]), {"view": view, **params})
    assert response.status_code == 200
    return response.context["table"]


def ids(table, key: str) -> set[str]:
    return {row[key]["unique_id"] for row in table.rows}


@pytest.mark.django_db
def test_failing_and_warning_tests_are_those_whose_latest_result_says_so(
    demo: Environment, client
) -> None:
    latest = latest_results()
    want = {
        uid
        for uid, node in RESOURCES.items()
        if node["resource_type"] in ("test", "unit_test")
        and latest.get(uid, ("",))[0] in ("fail", "error", "warn")
    }
    assert want, "the example has a failing and a warning test"
    table = report(client, demo, "failing")
    assert ids(table, "test") == want
    statuses = {row["test"]["unique_id"]: row["status"] for row in table.rows}
    assert {statuses[u] for u in want} == {latest[u][0] for u in want}


@pytest.mark.django_db
def test_tests_that_started_failing_and_flaky_tests(jaffle: Path, client, settings) -> None:
    settings.ANONYMOUS_READ = True
    run_ingest(str(jaffle), "--environment", "prod")
    env = Environment.objects.get()
    flaky = "test.jaffle_shop.not_null_stg_order_items_order_item_id.26a7e2bc35"
    newly = "test.jaffle_shop.unique_stg_order_items_order_item_id.90e333a108"
    steady = "test.jaffle_shop.not_null_stg_order_items_order_id.2063801f96"
    sequences = {
        flaky: ["pass", "fail", "pass", "fail", "pass"],
        newly: ["pass", "pass", "pass", "pass", "fail"],
        steady: ["fail", "fail", "fail", "fail", "fail"],
    }
    for i in range(5):
        path = write_json(
            jaffle / f"run_{i}.json",
            run_results(
                f"run-{i}",
                f"2026-01-0{i + 1}T08:00:00Z",
                {uid: statuses[i] for uid, statuses in sequences.items()},
            ),
        )
        run_ingest(str(path), "--environment", "prod")

    flaky_rows = report(client, env, "flaky").rows
    assert {r["test"]["unique_id"] for r in flaky_rows} == {flaky}
    assert flaky_rows[0]["flips"] == 4
    assert flaky_rows[0]["history"] == "pass fail pass fail pass"

    recent = report(client, env, "recent")
    assert ids(recent, "test") == {newly}
    assert recent.rows[0]["since"].isoformat().startswith("2026-01-05")

    failing = {r["test"]["unique_id"]: r for r in report(client, env, "failing").rows}
    assert set(failing) == {newly, steady}
    # the steady failure has not passed in any of the recent runs: since the first of them
    assert failing[steady]["since"].isoformat().startswith("2026-01-01")


@pytest.mark.django_db
def test_coverage_per_model_folder_and_owner(demo: Environment, client) -> None:
    table = report(client, demo, "coverage-models")
    rows = {r["model"]["unique_id"]: r for r in table.rows}
    models = {u for u, n in RESOURCES.items() if n["resource_type"] == "model"}
    assert set(rows) == models
    for uid in models:
        data_tests = [
            n
            for n in RESOURCES.values()
            if n["resource_type"] == "test" and n.get("attached_node") == uid
        ]
        unit_tests = [
            n
            for n in RESOURCES.values()
            if n["resource_type"] == "unit_test" and uid in n["depends_on"]["nodes"]
        ]
        assert rows[uid]["tests"] == len(data_tests), uid
        assert rows[uid]["unit_tests"] == len(unit_tests), uid
        # a generic test names its column at the node, or only in its kwargs
        named = (
            n.get("column_name")
            or ((n.get("test_metadata") or {}).get("kwargs") or {}).get("column_name")
            for n in data_tests
        )
        tested_columns = {c.lower() for c in named if c}
        assert rows[uid]["tested_columns"] == len(tested_columns), uid
    folders = report(client, demo, "coverage-folders")
    assert sum(r["models"] for r in folders.rows) == len(models)
    owners = report(client, demo, "coverage-owners")
    assert sum(r["models"] for r in owners.rows) == len(models)


def descendants(uid: str) -> set[str]:
    seen: set[str] = set()
    stack = list(MANIFEST["child_map"].get(uid, []))
    while stack:
        at = stack.pop()
        if at not in seen:
            seen.add(at)
            stack.extend(MANIFEST["child_map"].get(at, []))
    return {u for u in seen if u.split(".")[0] in ("model", "exposure", "snapshot", "seed")}


@pytest.mark.django_db
def test_freshness_lists_every_source_and_what_the_stale_ones_affect(
    demo: Environment, client
) -> None:
    results = {r["unique_id"]: r for r in read_json(EXAMPLE / "sources.json")["results"]}
    table = report(client, demo, "freshness")
    rows = {r["source"]["unique_id"]: r for r in table.rows}
    assert set(rows) == set(MANIFEST["sources"])
    for uid, result in results.items():
        assert rows[uid]["status"] == result["status"]
    stale = {u for u, r in results.items() if r["status"] in ("warn", "error")}
    assert stale
    for uid in stale:
        assert rows[uid]["affected"] == len(descendants(uid))
    # stale and erroring first
    assert [r["status"] for r in table.rows][: len(stale)].count("pass") == 0

    downstream = report(client, demo, "freshness-downstream")
    assert ids(downstream, "node") == set().union(*(descendants(u) for u in stale))


@pytest.mark.django_db
def test_a_source_page_shows_its_freshness_history(demo: Environment, client) -> None:
    uid = "source.bikeshare.billing.payments"
    response = client.get(reverse("catalog-node", args=[demo.pk, uid]), {"tab": "runs"})
    checks = response.context["freshness"]
    assert [c.status for c in checks] == ["warn"]
    assert "Freshness checks" in response.content.decode()


@pytest.mark.django_db
def test_quality_tables_export_as_csv_and_take_few_queries(
    demo: Environment, client, django_assert_max_num_queries
) -> None:
    url = reverse("catalog-quality", args=[demo.pk])
    response = client.get(url, {"view": "freshness", "format": "csv"})
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][0] == "Source"
    assert len(rows) == len(MANIFEST["sources"]) + 1
    with django_assert_max_num_queries(30):  # the first view computes every report once
        client.get(url, {"view": "failing"})
    with django_assert_max_num_queries(5):  # then they are cached until the next load
        client.get(url, {"view": "flaky"})
