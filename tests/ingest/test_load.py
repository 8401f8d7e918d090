"""The loader: atomic, idempotent, removes what left, keeps history."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from catalog.models import (
    Column,
    Edge,
    Environment,
    Execution,
    Ingest,
    Node,
    NodeChange,
    Run,
)
from ingest import load
from tests.conftest import analyzed, read_json, run_ingest, write_json

ORDERS = "model.jaffle_shop.orders"
CUSTOMERS = "model.jaffle_shop.customers"


def catalog_rows() -> dict:
    return {
        "nodes": list(Node.objects.order_by("id").values()),
        "columns": list(Column.objects.order_by("id").values()),
        "edges": list(Edge.objects.order_by("id").values()),
        "runs": list(Run.objects.order_by("id").values()),
        "executions": list(Execution.objects.order_by("id").values()),
    }


def run_results(invocation: str, generated_at: str, statuses: dict[str, str]) -> dict:
    return {
        "metadata": {
            "dbt_schema_version": "https://schemas.getdbt.com/dbt/run-results/v6.json",
            "dbt_version": "1.10.6",
            "generated_at": generated_at,
            "invocation_id": invocation,
            "env": {"DBT_CLOUD_JOB_ID": "42", "DBT_CLOUD_RUN_ID": "4242"},
        },
        "results": [
            {
                "unique_id": uid,
                "status": status,
                "timing": [
                    {
                        "name": "compile",
                        "started_at": "2026-01-05T08:00:00Z",
                        "completed_at": "2026-01-05T08:00:01Z",
                    },
                    {
                        "name": "execute",
                        "started_at": "2026-01-05T08:00:01Z",
                        "completed_at": "2026-01-05T08:00:03.5Z",
                    },
                ],
                "thread_id": "Thread-1 (worker_1)",
                "execution_time": 2.5,
                "adapter_response": {"_message": "OK", "rows_affected": 10},
                "message": "Database Error" if status == "error" else None,
                "failures": 3 if status == "fail" else None,
                "relation_name": None,
            }
            for uid, status in statuses.items()
        ],
        "elapsed_time": 4.2,
        "args": {"which": "build"},
    }


def edited(folder: Path) -> dict:
    """The jaffle manifest with orders re-described, customers gone and a new model."""
    manifest = read_json(folder / "manifest.json")
    manifest["nodes"][ORDERS]["description"] = "Orders, re-described."
    del manifest["nodes"][CUSTOMERS]
    new = copy.deepcopy(manifest["nodes"][ORDERS])
    new.update(unique_id="model.jaffle_shop.orders_v2", name="orders_v2", description="New.")
    manifest["nodes"]["model.jaffle_shop.orders_v2"] = new
    return manifest


@pytest.mark.django_db
def test_it_leaves_the_previous_snapshot_whole_when_a_load_fails_halfway(
    jaffle: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given a loaded snapshot and a changed manifest
    run_ingest(str(jaffle), "--environment", "prod")
    before = catalog_rows()
    generation = Environment.objects.get().generation
    write_json(jaffle / "manifest.json", edited(jaffle))
    write_json(
        jaffle / "run_results.json",
        run_results("run-1", "2026-01-05T08:10:00Z", {ORDERS: "success"}),
    )

    # when the load dies after nodes are written, while columns go in
    real_insert = load.insert_rows
    writes: list[str] = []

    def failing_insert(model, fields, rows):
        writes.append(model.__name__)
        if model is Column:
            raise RuntimeError("disk full (injected)")
        return real_insert(model, fields, rows)

    monkeypatch.setattr(load, "insert_rows", failing_insert)
    with pytest.raises(RuntimeError, match="disk full"):
        run_ingest(str(jaffle), "--environment", "prod")

    # then nothing of the new snapshot is visible, and the failure is on record
    assert writes == ["Node", "Column"], "the failure must come after nodes were written"
    assert catalog_rows() == before
    assert Environment.objects.get().generation == generation
    failed = Ingest.objects.order_by("-id").first()
    assert failed.status == "failed"
    assert failed.error == "RuntimeError: disk full (injected)"
    assert not NodeChange.objects.exists()

    # and the same load succeeds once the fault is gone
    monkeypatch.setattr(load, "insert_rows", real_insert)
    run_ingest(str(jaffle), "--environment", "prod")
    assert Node.objects.get(unique_id=ORDERS).description == "Orders, re-described."


@pytest.mark.django_db
def test_it_rolls_back_nodes_when_run_history_fails(
    jaffle: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    run_ingest(str(jaffle), "--environment", "prod")
    before = catalog_rows()
    write_json(jaffle / "manifest.json", edited(jaffle))
    write_json(
        jaffle / "run_results.json",
        run_results("run-1", "2026-01-05T08:10:00Z", {ORDERS: "success"}),
    )

    def broken(*args, **kwargs):
        raise ValueError("pointer update failed (injected)")

    monkeypatch.setattr(load, "_point_at_latest", broken)
    with pytest.raises(ValueError, match="injected"):
        run_ingest(str(jaffle), "--environment", "prod")

    assert catalog_rows() == before


@pytest.mark.django_db
def test_it_adds_modifies_and_removes_nodes(jaffle: Path) -> None:
    run_ingest(str(jaffle), "--environment", "prod")
    customers_columns = Column.objects.filter(node__unique_id=CUSTOMERS).count()
    assert customers_columns > 0
    write_json(jaffle / "manifest.json", edited(jaffle))

    out = run_ingest(str(jaffle), "--environment", "prod")

    assert "changes: 1 added, 1 modified, 1 removed" in out
    assert not Node.objects.filter(unique_id=CUSTOMERS).exists()
    assert not Column.objects.filter(node__unique_id=CUSTOMERS).exists()
    assert not Edge.objects.filter(child_unique_id=CUSTOMERS).exists()
    assert Node.objects.get(unique_id=ORDERS).description == "Orders, re-described."
    assert Node.objects.filter(unique_id="model.jaffle_shop.orders_v2").exists()
    changes = {c.unique_id: c for c in NodeChange.objects.all()}
    assert set(changes) == {ORDERS, CUSTOMERS, "model.jaffle_shop.orders_v2"}
    assert changes[ORDERS].change == "modified"
    assert changes[ORDERS].before["description"] != changes[ORDERS].after["description"]
    assert changes[ORDERS].before["columns"] == changes[ORDERS].after["columns"]
    assert changes[CUSTOMERS].change == "removed"
    assert changes[CUSTOMERS].after is None
    assert changes["model.jaffle_shop.orders_v2"].change == "added"


@pytest.mark.django_db
def test_it_keeps_run_history_across_loads_and_points_at_the_latest(jaffle: Path) -> None:
    # given a first run where orders succeeded and a second where it failed
    write_json(
        jaffle / "run_results.json",
        run_results("run-1", "2026-01-05T08:10:00Z", {ORDERS: "success", CUSTOMERS: "success"}),
    )
    run_ingest(str(jaffle), "--environment", "prod")
    write_json(
        jaffle / "run_results.json", run_results("run-2", "2026-01-06T08:10:00Z", {ORDERS: "error"})
    )

    run_ingest(str(jaffle), "--environment", "prod")

    # then both runs are kept, and orders points at its latest attempt and its last success
    assert list(Run.objects.order_by("generated_at").values_list("invocation_id", flat=True)) == [
        "run-1",
        "run-2",
    ]
    orders = Node.objects.select_related("last_execution", "last_success_execution").get(
        unique_id=ORDERS
    )
    assert orders.last_execution.run.invocation_id == "run-2"
    assert orders.last_execution.status == "error"
    assert orders.last_execution.message == "Database Error"
    assert orders.last_success_execution.run.invocation_id == "run-1"
    customers = Node.objects.get(unique_id=CUSTOMERS)
    assert customers.last_execution.run.invocation_id == "run-1"
    run = Run.objects.get(invocation_id="run-2")
    assert (run.job_id, run.run_id, run.command, run.has_errors) == (42, 4242, "build", True)
    execution = run.executions.get()
    assert execution.execution_time == 2.5
    assert execution.rows_affected == 10
    assert execution.thread_id == "Thread-1 (worker_1)"
    assert execution.execute_completed_at.isoformat() == "2026-01-05T08:00:03.500000+00:00"

    # when the older file is loaded again (dbt overwrote nothing: someone re-sent it)
    write_json(
        jaffle / "run_results.json",
        run_results("run-1", "2026-01-05T08:10:00Z", {ORDERS: "success", CUSTOMERS: "success"}),
    )
    run_ingest(str(jaffle), "--environment", "prod")

    # then nothing is duplicated and the pointers do not move back
    assert Run.objects.count() == 2
    assert Execution.objects.count() == 3
    orders.refresh_from_db()
    assert orders.last_execution.run.invocation_id == "run-2"


@pytest.mark.django_db
def test_history_survives_a_node_leaving_and_coming_back(jaffle: Path) -> None:
    write_json(
        jaffle / "run_results.json",
        run_results("run-1", "2026-01-05T08:10:00Z", {CUSTOMERS: "success"}),
    )
    run_ingest(str(jaffle), "--environment", "prod")
    original = read_json(jaffle / "manifest.json")
    write_json(jaffle / "manifest.json", edited(jaffle))
    (jaffle / "run_results.json").unlink()
    run_ingest(str(jaffle), "--environment", "prod")
    assert Execution.objects.filter(unique_id=CUSTOMERS).count() == 1

    write_json(jaffle / "manifest.json", original)
    run_ingest(str(jaffle), "--environment", "prod")

    customers = Node.objects.get(unique_id=CUSTOMERS)
    assert customers.last_execution is not None
    assert customers.last_execution.run.invocation_id == "run-1"


@pytest.mark.django_db
def test_run_results_alone_extend_the_history_of_a_loaded_project(
    jaffle: Path, tmp_path: Path
) -> None:
    run_ingest(str(jaffle), "--environment", "prod")
    nodes = catalog_rows()["nodes"]
    results = write_json(
        tmp_path / "later" / "run_results.json",
        run_results("run-9", "2026-02-01T00:00:00Z", {ORDERS: "success"}),
    )

    run_ingest(str(results), "--environment", "prod")

    assert Run.objects.get().invocation_id == "run-9"
    assert Node.objects.get(unique_id=ORDERS).last_execution.status == "success"
    pointers = {"last_execution_id", "last_success_execution_id"}

    def without_pointers(rows: list[dict]) -> list[dict]:
        return [{k: v for k, v in row.items() if k not in pointers} for row in rows]

    assert without_pointers(catalog_rows()["nodes"]) == without_pointers(nodes)


@pytest.mark.django_db
def test_two_projects_share_an_environment(jaffle: Path, finance: Path) -> None:
    run_ingest(str(jaffle), "--environment", "mesh")
    run_ingest(str(finance), "--environment", "mesh")
    run_ingest(str(jaffle), "--environment", "mesh")

    env = Environment.objects.get(name="mesh")
    assert sorted(env.projects.values_list("name", flat=True)) == ["finance_core", "jaffle_shop"]
    assert Node.objects.filter(project__name="finance_core", resource_type="model").count() == 36
    assert Node.objects.filter(project__name="jaffle_shop", resource_type="model").count() == 22


@pytest.mark.django_db
def test_it_refuses_a_snapshot_read_against_a_state_that_has_moved(jaffle: Path) -> None:
    from ingest.sources.artifacts import read_snapshot

    run_ingest(str(jaffle), "--environment", "prod")
    env = Environment.objects.get()
    stored = dict(Node.objects.values_list("unique_id", "content_hash"))
    snapshot = read_snapshot([jaffle], max_bytes=10**9, stored_hashes=lambda name: stored)
    assert snapshot.nodes == []  # everything was unchanged, nothing was rebuilt
    before = catalog_rows()
    # another load changes a node between the read and the write
    Node.objects.filter(unique_id=ORDERS).update(content_hash="0" * 32)

    with pytest.raises(load.LoadConflict, match="changed while this load was being read"):
        load.snapshot_load(environment=env, project_name="jaffle_shop", snapshot=snapshot)

    Node.objects.filter(unique_id=ORDERS).update(content_hash=stored[ORDERS])
    assert catalog_rows() == before


@pytest.mark.django_db
def test_it_finds_the_artifacts_of_a_dbt_project_folder_in_target(
    jaffle: Path, tmp_path: Path
) -> None:
    project = tmp_path / "jaffle_shop"
    (project / "models").mkdir(parents=True)
    (project / "dbt_project.yml").write_text("name: jaffle_shop\n")
    jaffle.rename(project / "target")

    out = run_ingest(str(project), "--environment", "prod")

    assert 'Loaded project "jaffle_shop"' in out
    assert Node.objects.filter(resource_type="model").count() == 22


@pytest.mark.django_db
def test_a_load_that_changes_something_refreshes_the_statistics_of_what_it_wrote(
    jaffle: Path, tmp_path: Path
) -> None:
    node_tables = ["catalog_node", "catalog_column", "catalog_edge", "catalog_nodechange"]
    run_tables = ["catalog_run", "catalog_execution", "catalog_freshnessresult"]
    postgres = connection.vendor == "postgresql"
    # a first load writes nodes
    with CaptureQueriesContext(connection) as first:
        run_ingest(str(jaffle), "--environment", "prod")
    # (SQLite: its queries are written to plan well without statistics)
    assert analyzed(first.captured_queries) == (node_tables if postgres else [])

    # the same artifacts again change nothing, and nothing is analysed
    with CaptureQueriesContext(connection) as again:
        run_ingest(str(jaffle), "--environment", "prod")
    assert analyzed(again.captured_queries) == []

    # run results alone: the run tables only
    results = write_json(
        tmp_path / "later" / "run_results.json",
        run_results("run-9", "2026-02-01T00:00:00Z", {ORDERS: "success"}),
    )
    with CaptureQueriesContext(connection) as runs:
        run_ingest(str(results), "--environment", "prod")
    assert analyzed(runs.captured_queries) == (run_tables if postgres else [])


@pytest.mark.django_db
def test_statistics_that_cannot_be_refreshed_do_not_fail_what_was_loaded(
    jaffle: Path, caplog: pytest.LogCaptureFixture
) -> None:
    class Missing:  # a table that is not there: ANALYZE fails on PostgreSQL
        class _meta:  # noqa: N801
            db_table = "lantern_no_such_table"

    with CaptureQueriesContext(connection) as queries:
        load.refresh_statistics(Missing)  # type: ignore[arg-type]

    postgres = connection.vendor == "postgresql"
    assert analyzed(queries.captured_queries) == (["lantern_no_such_table"] if postgres else [])
    assert ("ANALYZE" in caplog.text) == postgres  # said in the log, not raised
    run_ingest(str(jaffle), "--environment", "prod")  # the connection is still usable
    assert Node.objects.filter(unique_id=ORDERS).exists()
