"""A round trip: Lantern serves the example project on /graphql over HTTP; a second
environment syncs from it; afterwards everything the Discovery API carries is equal.

Compared field by field, not by counts. What the API does not carry is listed with the
reason; those fields are not compared (the mirror leaves them empty).
"""

from __future__ import annotations

import json
import shutil
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from django.forms.models import model_to_dict

from catalog.graphql.loaders import job_id_of, run_id_of
from catalog.models import Column, Edge, Environment, Execution, FreshnessResult, Node, Run
from ingest.services import sync_environment
from lineage.models import ColumnEdge, ColumnLineage, NodeLineage
from tests.conftest import EXAMPLE
from tests.ingest.sync_helpers import serve

# Node fields the API does not carry, by resource type ("*": every type), and why.
NOT_CARRIED: dict[str, dict[str, str]] = {
    "*": {
        "path": "the API has filePath (original_file_path) only",
        "checksum": "no field carries the file checksum",
        "config": "only models, snapshots and tests have `config`",
        "data": "compared key by key below (DATA_CARRIED)",
        "owner_name": "models, sources, seeds, snapshots, tests carry no owner",
        "owner_email": "as owner_name",
        "group_name": "only models, metrics and saved queries carry `group`",
        "materialized": "only models carry materializedType",
        "language": "only models carry language",
    },
    "test": {
        "database": "TestAppliedStateNode has no database/schema/alias",
        "schema": "as database",
        "alias": "as database",
        "package_name": "TestAppliedStateNode has no packageName",
    },
    "unit_test": {"schema": "as test", "package_name": "as test"},
    "source": {"package_name": "SourceAppliedStateNode has no packageName"},
    "model": {"config": ""},  # carried: compared
    "snapshot": {"config": ""},
}
for kind in ("test", "unit_test"):
    NOT_CARRIED[kind]["config"] = ""
NOT_CARRIED["model"].update(group_name="", materialized="", language="")
NOT_CARRIED["metric"] = {"group_name": ""}
NOT_CARRIED["saved_query"] = {"group_name": ""}
NOT_CARRIED["exposure"] = {"owner_name": "", "owner_email": ""}
NOT_CARRIED["group"] = {"owner_name": "", "owner_email": ""}
# Never compared: ids, the row's own bookkeeping, and what the loader derives.
BOOKKEEPING = {
    "id",
    "environment",
    "project",
    "folder",  # derived from fqn
    "content_hash",  # a digest of the source's input
    "loaded_at",
    "last_execution",  # compared through the runs
    "last_success_execution",
    "last_freshness",
}
# Keys of Node.data the API carries, by resource type.
DATA_CARRIED = {
    "model": ("constraints",),
    "source": ("source_description", "loader"),
    "test": ("test_metadata",),
    "unit_test": ("model", "given", "expect"),
    "exposure": ("type", "maturity", "url", "label", "owner"),
    "group": ("owner",),
    "macro": ("macro_sql", "arguments"),
    "metric": ("type", "type_params", "filter"),
    "semantic_model": ("dimensions", "entities", "measures"),
    "saved_query": ("exports", "query_params"),
}
# Of the lists DATA_CARRIED names, the keys of each item the API carries (a dimension's
# `expr`, `label`, `is_partition`, an export's unrendered config... are not).
ITEM_KEYS = {
    "dimensions": ("name", "description", "type", "type_params"),
    "entities": ("name", "description", "type"),
    "measures": ("name", "agg", "create_metric", "description", "expr"),
}
# Analyses are not in the Discovery API at all.
NOT_SERVED = {"analysis"}


def node_rows(env: Environment) -> dict[str, dict[str, Any]]:
    return {
        n.unique_id: model_to_dict(n)
        for n in Node.objects.filter(environment=env).exclude(resource_type__in=NOT_SERVED)
    }


def carried(row: dict[str, Any]) -> dict[str, Any]:
    kind = row["resource_type"]
    skip = {**NOT_CARRIED["*"], **NOT_CARRIED.get(kind, {})}
    if kind == "model" and row["last_execution"] is None:
        # Never built (ephemeral): not in the applied state; ModelDefinitionNode has no
        # compiled code, config or relation name.
        skip = {**skip, "compiled_code": "x", "config": "x", "relation_name": "x"}
    out = {k: v for k, v in row.items() if k not in BOOKKEEPING and not skip.get(k)}
    data = row["data"]
    out["data"] = {k: data.get(k) for k in DATA_CARRIED.get(kind, ()) if data.get(k)}
    if "owner" in out["data"]:
        # ownerName/ownerEmail only (an owner's other keys, e.g. slack, are not carried).
        owner = out["data"]["owner"]
        out["data"]["owner"] = {"email": owner.get("email"), "name": owner.get("name")}
    if "constraints" in out["data"]:
        # ModelLevelConstraint has no `to`/`to_columns` (foreign keys' targets).
        keys = ("type", "name", "expression", "columns", "warn_unenforced", "warn_unsupported")
        out["data"]["constraints"] = [
            {k: c.get(k) for k in keys} for c in out["data"]["constraints"]
        ]
    for key, keys in ITEM_KEYS.items():
        if key in out["data"]:
            out["data"][key] = [{k: item.get(k) for k in keys} for item in out["data"][key]]
    for export in out["data"].get("exports", []):
        export.pop("unrendered_config", None)
    if kind == "source":
        freshness = data.get("freshness") or {}
        out["data"]["freshness"] = {
            k: v
            for k in ("warn_after", "error_after")
            if (v := freshness.get(k)) and (v.get("count") is not None or v.get("period"))
        }  # `filter` and `loaded_at_field` are not carried; empty criteria are no criteria
    return out


def column_rows(env: Environment) -> set[tuple[Any, ...]]:
    # Catalog columns only: columns documented in YAML but absent from the warehouse, and
    # the declared data_type/constraints of any column, are not in the API.
    return set(
        Column.objects.filter(node__environment=env, in_warehouse=True).values_list(
            "node__unique_id",
            "name",
            "description",
            "warehouse_type",
            "warehouse_index",
            "warehouse_comment",
        )
    ) | {
        (uid, name, "tags", repr(tags), "meta", repr(sorted(meta.items())))
        for uid, name, tags, meta in Column.objects.filter(
            node__environment=env, in_warehouse=True
        ).values_list("node__unique_id", "name", "tags", "meta")
    }


def edge_rows(env: Environment) -> set[tuple[str, str]]:
    # Node-to-node edges. Parents that are macros are not in `parents`.
    return set(
        Edge.objects.filter(environment=env, kind=Edge.Kind.NODE)
        .exclude(child__resource_type__in=NOT_SERVED)
        .values_list("child_unique_id", "parent_unique_id")
    )


def ms(value: datetime | None) -> datetime | None:
    """The API's DateTime has millisecond precision."""
    return value.replace(microsecond=value.microsecond // 1000 * 1000) if value else None


def run_rows(env: Environment) -> dict[tuple[int, int, str], dict[str, Any]]:
    """Runs by (job id, run id, kind) as the API names them, with what it carries of them:
    when they ran, how long, which dbt, and for results the invocation and (when a model ran)
    args. Not carried:
    the command, started_at and schema version of run_results.json, and the invocation id
    of a freshness check (the mirror names it after the run's ids), and status_counts, which
    count the results of exposures and saved queries too (see execution_rows)."""
    out = {}
    for run in Run.objects.filter(environment=env):
        key = (job_id_of(run), run_id_of(run), run.kind)
        row = {
            "generated_at": ms(run.generated_at),
            "elapsed_time": run.elapsed_time,
            "dbt_version": run.dbt_version,
            "has_errors": run.has_errors,
        }
        if run.kind == Run.Kind.RESULTS:
            row["invocation_id"] = run.invocation_id
            if run.executions.filter(resource_type="model").exists():
                row["args"] = run.args  # only ModelNode carries args
        out[key] = row
    return out


def execution_rows(env: Environment) -> set[tuple[Any, ...]]:
    """Each result as the API carries it: rows_affected, adapter_response and the message of
    a successful node ("SELECT 5", "OK") are not in the job-level API; the error is. Nor are
    the no-op results `dbt build` records for exposures and saved queries: the job-level
    lists are of models, seeds, snapshots, tests and sources."""
    rows = set()
    executions = Execution.objects.filter(environment=env).exclude(
        resource_type__in=("exposure", "saved_query")
    )
    for e in executions.select_related("run"):
        failed = e.status in ("error", "fail", "runtime error")
        rows.add(
            (
                job_id_of(e.run),
                run_id_of(e.run),
                e.unique_id,
                e.resource_type,
                e.status,
                e.thread_id,
                e.execution_time,
                ms(e.compile_started_at),
                ms(e.compile_completed_at),
                ms(e.execute_started_at),
                ms(e.execute_completed_at),
                e.message if failed else "",
                e.failures if e.resource_type in ("test", "unit_test") else None,
                ms(e.generated_at),
            )
        )
    return rows


def freshness_rows(env: Environment) -> set[tuple[Any, ...]]:
    """Freshness checks: the message, execution time and thread of a check are not carried."""
    return {
        (
            job_id_of(f.run),
            run_id_of(f.run),
            f.unique_id,
            f.status,
            ms(f.max_loaded_at),
            ms(f.snapshotted_at),
            f.age_seconds,
            ms(f.generated_at),
        )
        for f in FreshnessResult.objects.filter(environment=env).select_related("run")
    }


def latest_rows(env: Environment) -> dict[str, tuple[Any, ...]]:
    """Which result each node points at as its latest, latest success and freshness."""
    return {
        n.unique_id: (
            n.last_execution and (run_id_of(n.last_execution.run), n.last_execution.status),
            n.last_success_execution and run_id_of(n.last_success_execution.run),
            n.last_freshness and (run_id_of(n.last_freshness.run), n.last_freshness.status),
        )
        for n in Node.objects.filter(environment=env).select_related(
            "last_execution__run", "last_success_execution__run", "last_freshness__run"
        )
        # exposures and saved queries: their results are not carried (execution_rows)
        if n.resource_type not in NOT_SERVED | {"exposure", "saved_query"}
    }


def assert_same(source: Any, mirror: Any, what: str) -> None:
    if isinstance(source, dict):
        assert set(mirror) == set(source), (
            f"{what}: missing {sorted(set(source) - set(mirror))[:5]}, "
            f"extra {sorted(set(mirror) - set(source))[:5]}"
        )
        for key in source:
            assert source[key] == mirror[key], f"{what} {key} (left: source, right: mirror)"
    else:
        assert source == mirror, (
            f"{what}: missing {sorted(source - mirror, key=repr)[:3]}, "
            f"extra {sorted(mirror - source, key=repr)[:3]}"
        )


@pytest.mark.slow
def test_it_syncs_everything_the_api_carries(live_server, monkeypatch) -> None:
    # given: the example project in one environment, served over HTTP
    served = serve(live_server, monkeypatch)

    # when: a second environment syncs from it
    ingest = sync_environment(environment=served.mirror, client_options=served.fast())

    # then
    assert ingest.status == "succeeded", ingest.error
    source, mirror = served.source, served.mirror
    nodes = node_rows(source)
    assert {r["resource_type"] for r in nodes.values()} >= {
        "model", "source", "seed", "snapshot", "test", "unit_test", "exposure", "macro",
        "metric", "semantic_model", "saved_query", "group",
    }  # fmt: skip
    mirrored = node_rows(mirror)
    assert_same(
        {uid: carried(r) for uid, r in nodes.items()},
        {uid: carried(r) for uid, r in mirrored.items()},
        "node",
    )
    assert_same(column_rows(source), column_rows(mirror), "columns")
    assert_same(edge_rows(source), edge_rows(mirror), "edges")
    assert len(run_rows(source)) == 5
    assert_same(run_rows(source), run_rows(mirror), "run")
    assert_same(execution_rows(source), execution_rows(mirror), "executions")
    assert_same(freshness_rows(source), freshness_rows(mirror), "freshness")
    assert_same(latest_rows(source), latest_rows(mirror), "latest results")
    # Column lineage, computed after each load from what each environment holds, is the same,
    # but for ephemeral models: the API carries no compiled code for them (ModelDefinitionNode
    # has rawCode only), so theirs says so; their children inline them and trace alike.
    ephemeral = set(nodes_never_built(source).values_list("unique_id", flat=True))
    assert ephemeral
    assert_same(lineage_rows(source, ephemeral), lineage_rows(mirror, ephemeral), "lineage")
    assert_same(
        column_edge_rows(source, ephemeral), column_edge_rows(mirror, ephemeral), "column edges"
    )
    assert {
        r.category for r in NodeLineage.objects.filter(unique_id__in=ephemeral, environment=mirror)
    } == {"missing_compiled_code"}
    # the probe, then the history of each model that ran (none was stored)
    ran = nodes_that_ran(source).count()
    assert ingest.counts["requests"] == ingest.counts["pages"] + 1 + ran
    assert ingest.counts["retries"] == 0
    # The only waits are the request budget's pacing (450 a minute after a burst of 20).
    assert all(wait < 1 for wait in served.sleeps)


@pytest.mark.slow
def test_a_second_sync_adds_no_duplicate(live_server, monkeypatch) -> None:
    served = serve(live_server, monkeypatch)
    first = sync_environment(environment=served.mirror, client_options=served.fast())
    runs = run_rows(served.mirror)
    executions = Execution.objects.filter(environment=served.mirror).count()

    second = sync_environment(environment=served.mirror, client_options=served.fast())

    assert second.status == "succeeded", second.error
    assert run_rows(served.mirror) == runs
    assert Execution.objects.filter(environment=served.mirror).count() == executions
    assert second.counts["runs_added"] == 0
    assert second.counts["nodes_added"] == second.counts["nodes_modified"] == 0
    # Stored runs are not fetched again, and with no new run no history is asked: only the
    # node pages and the probe.
    assert second.counts["requests"] == second.counts["pages"] + 1 < first.counts["requests"]


def lineage_rows(env: Environment, leave_out: set[str]) -> dict[tuple[str, str], Any]:
    """Each node's column lineage status and each column's trace, but for `leave_out`."""
    out: dict[tuple[str, str], Any] = {
        (row["unique_id"], ""): row
        for row in NodeLineage.objects.filter(environment=env)
        .exclude(unique_id__in=leave_out)
        .values("unique_id", "status", "category", "reason", "columns_total", "columns_traced")
    }
    for row in (
        ColumnLineage.objects.filter(environment=env)
        .exclude(unique_id__in=leave_out)
        .values("unique_id", "column", "position", "kind", "error", "error_category")
    ):
        out[(row["unique_id"], row["column"])] = row
    return out


def column_edge_rows(env: Environment, leave_out: set[str]) -> set[tuple[str, ...]]:
    return set(
        ColumnEdge.objects.filter(environment=env)
        .exclude(child_unique_id__in=leave_out)
        .values_list("child_unique_id", "child_column", "parent_unique_id", "parent_column", "kind")
    )


def nodes_never_built(env: Environment) -> Any:
    return Node.objects.filter(environment=env, resource_type="model", last_execution=None)


def nodes_that_ran(env: Environment) -> Any:
    return Node.objects.filter(environment=env, resource_type="model").exclude(last_execution=None)


def one_model_run(tmp_path: Path) -> tuple[Path, str]:
    """The example with a run between its two builds in which one model alone ran: a model
    whose last runs (the second build) are the same as most models', so it falls in their
    group, and is not the first of it. Returns the project folder and the model."""
    folder = tmp_path / "project"
    folder.mkdir()
    for name in ("manifest.json", "catalog.json", "run_results_01_build.json",
                 "run_results_02_build.json"):  # fmt: skip
        shutil.copy(EXAMPLE / name, folder / name)
    first = json.loads((EXAMPLE / "run_results_01_build.json").read_text())
    second = json.loads((EXAMPLE / "run_results_02_build.json").read_text())
    succeeded = {r["unique_id"] for r in second["results"] if r["status"] == "success"}
    model = sorted(
        r["unique_id"]
        for r in first["results"]
        if r["unique_id"].startswith("model.") and r["unique_id"] in succeeded
    )[-1]
    first["results"] = [r for r in first["results"] if r["unique_id"] == model]
    first["metadata"]["invocation_id"] = "00000000-0000-4000-8000-000000000001"
    first["metadata"]["generated_at"] = "2026-12-04T10:03:30.000000Z"
    first["args"]["select"] = [model.split(".")[-1]]
    (folder / "run_results_01b_one_model.json").write_text(json.dumps(first))
    return folder, model


@pytest.mark.slow
def test_a_run_only_one_model_took_part_in_is_found(
    live_server, monkeypatch, tmp_path, settings
) -> None:
    # given: a run only one model took part in, older than its last run
    folder, model = one_model_run(tmp_path)
    served = serve(live_server, monkeypatch, project=folder)
    assert len(run_rows(served.source)) == 3

    # when: the mirror syncs, asking every model's history (fewer than the setting)
    ingest = sync_environment(environment=served.mirror, client_options=served.fast())

    # then: every run is there, the one-model run too
    assert ingest.status == "succeeded", ingest.error
    assert_same(run_rows(served.source), run_rows(served.mirror), "run")
    assert_same(execution_rows(served.source), execution_rows(served.mirror), "executions")
    ran = nodes_that_ran(served.source).count()
    assert ingest.counts["requests"] == ingest.counts["pages"] + 1 + ran  # probe + histories


@pytest.mark.slow
def test_above_the_setting_one_model_per_group_is_asked(
    live_server, monkeypatch, tmp_path, settings
) -> None:
    # The trade-off the setting makes, pinned: one history per group of models with the same
    # last runs, so a run that only a model outside the sample took part in is missed.
    settings.LANTERN_SYNC_HISTORY_MODELS = 0
    folder, model = one_model_run(tmp_path)
    served = serve(live_server, monkeypatch, project=folder)

    ingest = sync_environment(environment=served.mirror, client_options=served.fast())

    assert ingest.status == "succeeded", ingest.error
    missed = set(run_rows(served.source)) - set(run_rows(served.mirror))
    assert len(missed) == 1
    (missed_run,) = Run.objects.filter(environment=served.source, kind="run_results").filter(
        invocation_id="00000000-0000-4000-8000-000000000001"
    )
    assert missed == {(job_id_of(missed_run), run_id_of(missed_run), "run_results")}
    ran = nodes_that_ran(served.source).count()
    assert ingest.counts["requests"] < ingest.counts["pages"] + 1 + ran
