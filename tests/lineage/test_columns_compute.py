"""Computing an environment's column lineage: inputs from the catalog, honest statuses,
incremental, two processes, atomic; run after a load and by `manage.py column_lineage`."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from catalog.models import Column, Edge, Environment, Node
from lineage.columns import compute
from lineage.columns.compute import _input, _nodes, column_lineage_compute
from lineage.models import ColumnEdge, ColumnLineage, NodeLineage
from tests.catalog.conftest import MANIFEST, demo  # noqa: F401  (the example project, loaded)
from tests.conftest import EXAMPLE, analyzed, run_ingest, unpack

pytestmark = pytest.mark.django_db

FCT = "model.bikeshare.fct_trips"
INT = "model.bikeshare.int_trips_enriched"
STG = "model.bikeshare.stg_bike_ops__trips"


def stored(env: Environment) -> tuple[list, list, list]:
    return (
        sorted(
            NodeLineage.objects.filter(environment=env).values_list(
                "unique_id", "status", "category", "reason", "input_hash", "columns_traced"
            )
        ),
        sorted(
            ColumnLineage.objects.filter(environment=env).values_list(
                "unique_id", "column", "kind", "error"
            )
        ),
        sorted(
            ColumnEdge.objects.filter(environment=env).values_list(
                "child_unique_id", "child_column", "parent_unique_id", "parent_column", "kind"
            )
        ),
    )


def test_every_model_and_snapshot_gets_an_honest_status(demo: Environment) -> None:  # noqa: F811
    result = column_lineage_compute(environment=demo)

    expected = {
        uid for uid, n in MANIFEST["nodes"].items() if n["resource_type"] in ("model", "snapshot")
    }
    rows = {n.unique_id: n for n in NodeLineage.objects.filter(environment=demo)}
    assert set(rows) == expected
    assert result.parsed == result.nodes == len(expected)
    assert sum(result.statuses.values()) == len(expected)
    columns = list(ColumnLineage.objects.filter(environment=demo))
    for uid, row in rows.items():
        mine = [c for c in columns if c.unique_id == uid]
        traced = [c for c in mine if not c.error]
        assert row.status in ("parsed", "partial", "failed"), uid
        assert row.columns_traced == len(traced), uid
        assert row.columns_total == len(mine), uid
        if row.status == "parsed":
            assert traced, uid
            assert len(traced) == len(mine), uid
        elif row.status == "partial":
            assert traced, uid
            assert len(traced) < len(mine), uid
        else:
            assert not traced, uid
            assert row.reason, uid
        for column in mine:  # a column is traced (a kind) or an error (a reason), never both
            assert bool(column.kind) != bool(column.error), (uid, column.column)
    # Edges only from traced columns, and only to the node's parents in dbt's graph
    traced_refs = {(c.unique_id, c.column) for c in columns if not c.error}
    parents = {
        (child, parent)
        for child, parent in Edge.objects.filter(environment=demo).values_list(
            "child_unique_id", "parent_unique_id"
        )
    }
    for edge in ColumnEdge.objects.filter(environment=demo):
        assert (edge.child_unique_id, edge.child_column) in traced_refs
        assert (edge.child_unique_id, edge.parent_unique_id) in parents


def test_inputs_come_from_the_catalog(demo: Environment) -> None:  # noqa: F811
    nodes = _nodes(demo)
    # fct_trips reads the ephemeral int_trips_enriched, which dbt inlines as a CTE
    fct = _input(nodes[FCT], nodes, {})
    assert set(fct.ctes) == {"__dbt__cte__int_trips_enriched"}
    assert fct.ctes["__dbt__cte__int_trips_enriched"].unique_id == INT
    assert fct.dialect == "duckdb"
    assert fct.compiled_code == MANIFEST["nodes"][FCT]["compiled_code"]
    warehouse = list(
        Column.objects.filter(node__unique_id=FCT, in_warehouse=True)
        .order_by("warehouse_index")
        .values_list("name", flat=True)
    )
    assert list(fct.output_columns) == warehouse
    # int_trips_enriched reads four models by relation name, each with its warehouse columns
    inp = _input(nodes[INT], nodes, {})
    parents = {p for p in MANIFEST["parent_map"][INT] if p.split(".")[0] != "test"}
    assert {r.unique_id for r in inp.relations.values()} == parents
    stg = next(r for r in inp.relations.values() if r.unique_id == STG)
    assert list(stg.columns) == list(
        Column.objects.filter(node__unique_id=STG, in_warehouse=True)
        .order_by("warehouse_index")
        .values_list("name", flat=True)
    )
    # an ephemeral has no warehouse columns: its declared ones
    declared = list(
        Column.objects.filter(node__unique_id=INT, declared=True)
        .order_by("position")
        .values_list("name", flat=True)
    )
    assert list(inp.output_columns) == declared


SNAPSHOT = "snapshot.bikeshare.bikes_snapshot"
BIKES = "source.bikeshare.bike_ops.bikes"


def test_a_snapshots_config_traces_its_meta_columns(demo: Environment) -> None:  # noqa: F811
    column_lineage_compute(environment=demo)

    # timestamp strategy, unique_key bike_id, updated_at updated_at (examples/bikeshare)
    assert NodeLineage.objects.get(environment=demo, unique_id=SNAPSHOT).status == "parsed"
    edges = set(
        ColumnEdge.objects.filter(environment=demo, child_unique_id=SNAPSHOT).values_list(
            "child_column", "parent_unique_id", "parent_column", "kind"
        )
    )
    assert {e for e in edges if e[0].startswith("dbt_")} == {
        ("dbt_scd_id", BIKES, "bike_id", "transformed"),
        ("dbt_scd_id", BIKES, "updated_at", "transformed"),
        ("dbt_updated_at", BIKES, "updated_at", "rename"),
        ("dbt_valid_from", BIKES, "updated_at", "rename"),
        ("dbt_valid_to", BIKES, "updated_at", "transformed"),
    }

    # The config is part of the input: a new strategy parses the snapshot again.
    node = Node.objects.get(environment=demo, unique_id=SNAPSHOT)
    node.config = {**node.config, "strategy": "check", "updated_at": None, "check_cols": "all"}
    node.save(update_fields=["config"])
    again = column_lineage_compute(environment=demo)
    assert again.parsed == 1
    valid_from = ColumnLineage.objects.get(
        environment=demo, unique_id=SNAPSHOT, column="dbt_valid_from"
    )
    # check without updated_at: the snapshot time, traced with no upstream column
    assert (valid_from.kind, valid_from.error) == ("transformed", "")
    assert not ColumnEdge.objects.filter(
        environment=demo, child_unique_id=SNAPSHOT, child_column="dbt_valid_from"
    ).exists()


def test_a_parent_without_known_columns_has_those_its_sql_makes(
    demo: Environment,  # noqa: F811
) -> None:
    # Artifacts without catalog.json, and columns nobody declared: a `select *` from a parent
    # model is known when the parent's own parse traced every column it makes.
    fct = "model.bikeshare.fct_bike_maintenance"
    stg = "model.bikeshare.stg_bike_ops__maintenance_events"
    Column.objects.filter(node__environment=demo, node__unique_id__in=[fct, stg]).delete()
    Node.objects.filter(environment=demo, unique_id=fct).update(
        compiled_code='select * from "bikeshare"."main_staging"."stg_bike_ops__maintenance_events"'
    )

    column_lineage_compute(environment=demo)

    made = list(
        ColumnLineage.objects.filter(environment=demo, unique_id=stg)
        .order_by("position")
        .values_list("column", flat=True)
    )
    assert "maintenance_event_id" in made
    assert NodeLineage.objects.get(environment=demo, unique_id=fct).status == "parsed"
    assert list(
        ColumnEdge.objects.filter(environment=demo, child_unique_id=fct)
        .order_by("child_column")
        .values_list("child_column", "parent_unique_id", "parent_column", "kind")
    ) == [(c, stg, c, "passthrough") for c in sorted(made)]
    # The parent's parse is part of the child's input: nothing changed, nothing parsed again
    assert column_lineage_compute(environment=demo).parsed == 0

    # A parent whose parse did not trace every column says nothing of its columns.
    Node.objects.filter(environment=demo, unique_id=stg).update(
        compiled_code="select * from nowhere"
    )
    column_lineage_compute(environment=demo)
    child = NodeLineage.objects.get(environment=demo, unique_id=fct)
    assert (child.status, child.category) == ("failed", "unknown_columns")


def test_a_parent_with_declared_columns_only_may_have_others(
    demo: Environment,  # noqa: F811
) -> None:
    stg = "model.bikeshare.stg_bike_ops__maintenance_events"
    fct = "model.bikeshare.fct_bike_maintenance"
    nodes = _nodes(demo)
    assert next(r for r in _input(nodes[fct], nodes, {}).relations.values()).complete
    # No catalog entry: the columns YAML declares, and perhaps others.
    Column.objects.filter(node__environment=demo, node__unique_id=stg, declared=False).delete()
    Column.objects.filter(node__environment=demo, node__unique_id=stg).update(in_warehouse=False)
    nodes = _nodes(demo)
    relation = next(r for r in _input(nodes[fct], nodes, {}).relations.values())
    assert relation.columns
    assert not relation.complete


def test_an_ephemeral_inlined_under_its_alias_is_found(demo: Environment) -> None:  # noqa: F811
    # Later dbt versions name the CTE after the ephemeral model's alias, not its name.
    def edges() -> set[tuple[str, str, str, str]]:
        return set(
            ColumnEdge.objects.filter(environment=demo, child_unique_id=FCT).values_list(
                "child_column", "parent_unique_id", "parent_column", "kind"
            )
        )

    column_lineage_compute(environment=demo)
    before = edges()
    Node.objects.filter(environment=demo, unique_id=INT).update(alias="trips_enriched")
    node = Node.objects.get(environment=demo, unique_id=FCT)
    node.compiled_code = node.compiled_code.replace(
        "__dbt__cte__int_trips_enriched", "__dbt__cte__trips_enriched"
    )
    node.save(update_fields=["compiled_code"])

    column_lineage_compute(environment=demo)

    assert NodeLineage.objects.get(environment=demo, unique_id=FCT).status == "parsed"
    assert before
    assert edges() == before


def test_nothing_is_parsed_again_when_nothing_changed(demo: Environment) -> None:  # noqa: F811
    with CaptureQueriesContext(connection) as first:
        column_lineage_compute(environment=demo)
    before = stored(demo)
    run_ingest(str(EXAMPLE), "--environment", "demo")

    with CaptureQueriesContext(connection) as second:
        again = column_lineage_compute(environment=demo)

    assert (again.parsed, again.written) == (0, 0)
    assert stored(demo) == before
    # PostgreSQL's planner learns what the first compute wrote; nothing written, nothing to learn
    postgres = connection.vendor == "postgresql"
    lineage_tables = ["lineage_nodelineage", "lineage_columnlineage", "lineage_columnedge"]
    assert analyzed(first.captured_queries) == (lineage_tables if postgres else [])
    assert analyzed(second.captured_queries) == []
    assert column_lineage_compute(environment=demo, full=True).parsed == again.nodes


def test_a_changed_model_is_parsed_again_and_only_what_reads_its_columns(
    tmp_path: Path,
    demo: Environment,  # noqa: F811
) -> None:
    column_lineage_compute(environment=demo)
    folder = unpack(EXAMPLE, tmp_path / "example")
    manifest = json.loads((folder / "manifest.json").read_text())
    # New code, same columns: its children's inputs do not change.
    manifest["nodes"][FCT]["compiled_code"] += "\n-- reviewed"
    (folder / "manifest.json").write_text(json.dumps(manifest))
    run_ingest(str(folder), "--environment", "demo")

    changed = column_lineage_compute(environment=demo)
    assert changed.parsed == 1
    assert NodeLineage.objects.get(environment=demo, unique_id=FCT).parsed_at > min(
        NodeLineage.objects.filter(environment=demo).values_list("parsed_at", flat=True)
    )

    # A new column in the warehouse: the model, and its children (their parent's column
    # list changed); not its grandchildren, whose inputs are the same.
    catalog = json.loads((folder / "catalog.json").read_text())
    columns = catalog["nodes"][STG]["columns"]
    columns["weather_code"] = {
        "type": "INTEGER",
        "index": len(columns) + 1,
        "name": "weather_code",
        "comment": None,
    }
    (folder / "catalog.json").write_text(json.dumps(catalog))
    run_ingest(str(folder), "--environment", "demo")
    before = dict(
        NodeLineage.objects.filter(environment=demo).values_list("unique_id", "parsed_at")
    )

    result = column_lineage_compute(environment=demo)

    after = dict(NodeLineage.objects.filter(environment=demo).values_list("unique_id", "parsed_at"))
    children = set(
        Edge.objects.filter(
            environment=demo, parent_unique_id=STG, child__resource_type="model"
        ).values_list("child_unique_id", flat=True)
    )
    reparsed = {uid for uid in after if after[uid] != before[uid]}
    assert reparsed == {STG} | children
    assert result.parsed == len(reparsed)


def test_a_failure_while_writing_leaves_the_previous_results(
    demo: Environment,  # noqa: F811
    monkeypatch,
) -> None:
    column_lineage_compute(environment=demo)
    before = stored(demo)
    real = compute.insert_rows

    def broken(model, fields, rows):
        if model is ColumnEdge:
            raise RuntimeError("disk full")
        return real(model, fields, rows)

    monkeypatch.setattr(compute, "insert_rows", broken)
    with pytest.raises(RuntimeError, match="disk full"):
        column_lineage_compute(environment=demo, full=True)

    assert stored(demo) == before


def test_a_parser_that_breaks_fails_its_node_with_the_reason(
    demo: Environment,  # noqa: F811
) -> None:
    column_lineage_compute(environment=demo, parser=_explode)
    rows = NodeLineage.objects.filter(environment=demo)
    assert rows
    assert all(r.status == "failed" for r in rows)
    assert all("the parser stopped: ValueError: no" in r.reason for r in rows)
    assert not ColumnEdge.objects.filter(environment=demo).exists()


def _explode(_inp):
    raise ValueError("no")


def assert_processes_give_what_one_gives(environment: Environment, monkeypatch) -> None:
    """A compute inline, then a full one on worker processes (in chunks of 2): same rows."""
    column_lineage_compute(environment=environment)
    inline = stored(environment)
    monkeypatch.setattr(compute, "POOL_THRESHOLD", 2)
    monkeypatch.setattr(compute, "POOL_CHUNK", 2)

    pooled = column_lineage_compute(environment=environment, full=True)

    assert pooled.parsed == pooled.nodes
    strip = lambda rows: [r[:4] + r[5:] for r in rows]  # noqa: E731 (parsed_at aside)
    assert strip(stored(environment)[0]) == strip(inline[0])
    assert stored(environment)[1:] == inline[1:]


def test_two_processes_give_what_one_gives(demo: Environment, monkeypatch) -> None:  # noqa: F811
    assert_processes_give_what_one_gives(demo, monkeypatch)


def test_without_any_known_columns_parents_go_first_in_waves_shared_by_the_processes(
    demo: Environment,  # noqa: F811
    monkeypatch,
) -> None:
    # No catalog and no declared columns anywhere: every model read by another is parsed
    # before its readers, a wave at a time, and the processes share each wave.
    Column.objects.filter(node__environment=demo).delete()
    targets = {uid: n for uid, n in _nodes(demo).items() if n.resource_type in compute.PARSED_TYPES}
    waves = compute._early_waves(targets)
    assert len(waves) > 2  # staging, intermediate, marts read one another
    wave_of = {uid: i for i, wave in enumerate(waves) for uid in wave}
    for uid, i in wave_of.items():
        assert all(wave_of[p] < i for p in targets[uid].parents if p in wave_of), uid
    read = {p for n in targets.values() for p in n.parents}
    assert set(wave_of) == {
        uid for uid, n in targets.items() if uid in read or n.materialized == "ephemeral"
    }

    assert_processes_give_what_one_gives(demo, monkeypatch)
    assert ColumnEdge.objects.filter(environment=demo).count() > 100  # traced from the SQL


def test_a_node_gone_from_the_catalog_takes_its_lineage_with_it(
    demo: Environment,  # noqa: F811
) -> None:
    column_lineage_compute(environment=demo)
    leaf = "model.bikeshare.fct_rider_monthly_usage"
    Node.objects.filter(environment=demo, unique_id=leaf).delete()

    result = column_lineage_compute(environment=demo)

    assert result.removed == 1
    assert not NodeLineage.objects.filter(environment=demo, unique_id=leaf).exists()
    assert not ColumnLineage.objects.filter(environment=demo, unique_id=leaf).exists()
    assert not ColumnEdge.objects.filter(environment=demo, child_unique_id=leaf).exists()


def test_a_load_that_changed_the_catalog_computes_it(
    db,
    settings,
    django_capture_on_commit_callbacks,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        run_ingest(str(EXAMPLE), "--environment", "demo")
    env = Environment.objects.get(name="demo")
    assert NodeLineage.objects.filter(environment=env).count() == len(
        [n for n in MANIFEST["nodes"].values() if n["resource_type"] in ("model", "snapshot")]
    )


def test_run_results_alone_leave_column_lineage_as_it_is(
    db, tmp_path: Path, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        run_ingest(str(EXAMPLE), "--environment", "demo")
    env = Environment.objects.get(name="demo")
    assert NodeLineage.objects.filter(environment=env).exists()
    # a marker: a compute would write every node's lineage again
    NodeLineage.objects.filter(environment=env).delete()
    results = json.loads((EXAMPLE / "run_results_04_test.json").read_text())
    results["metadata"]["invocation_id"] = "a-later-run"
    results["metadata"]["generated_at"] = "2030-01-01T00:00:00Z"
    later = tmp_path / "later" / "run_results.json"
    later.parent.mkdir()
    later.write_text(json.dumps(results))

    with django_capture_on_commit_callbacks(execute=True):
        out = run_ingest(str(later), "--environment", "demo")

    assert "runs: 1 added" in out  # the load changed something: a run
    assert not NodeLineage.objects.filter(environment=env).exists()  # not the lineage's inputs

    # a changed model does bring it up to date
    folder = unpack(EXAMPLE, tmp_path / "example")
    manifest = json.loads((folder / "manifest.json").read_text())
    manifest["nodes"][FCT]["compiled_code"] += "\n-- reviewed"
    (folder / "manifest.json").write_text(json.dumps(manifest))
    with django_capture_on_commit_callbacks(execute=True):
        run_ingest(str(folder), "--environment", "demo")
    assert NodeLineage.objects.filter(environment=env).exists()


def test_the_command_computes_and_says_what_it_did(demo: Environment) -> None:  # noqa: F811
    out = io.StringIO()
    call_command("column_lineage", "demo", stdout=out)
    assert "parsed again" in out.getvalue()
    assert NodeLineage.objects.filter(environment=demo).exists()
    out = io.StringIO()
    call_command("column_lineage", str(demo.pk), stdout=out)
    assert ", 0 parsed again (none)" in out.getvalue()
    with pytest.raises(CommandError, match='No environment "nope"'):
        call_command("column_lineage", "nope")


def test_it_can_be_left_to_the_command(
    db,
    settings,
    django_capture_on_commit_callbacks,
) -> None:
    settings.LANTERN_COLUMN_LINEAGE_AFTER_LOAD = False
    with django_capture_on_commit_callbacks(execute=True):
        run_ingest(str(EXAMPLE), "--environment", "demo")
    assert not NodeLineage.objects.exists()
