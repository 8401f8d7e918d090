"""Loading real artifacts gives exactly what the JSON holds, and loading them again changes nothing.

Expected values are read straight from the files here, independently of Lantern's reader.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from catalog.models import Column, Edge, Execution, FreshnessResult, Ingest, Node, Run
from tests.conftest import EXAMPLE, FIXTURES, MANIFEST_SECTIONS, SAMPLES, read_json, run_ingest

SECTIONS = MANIFEST_SECTIONS
ARTIFACT_SETS = [
    SAMPLES / "jaffle_shop_duckdb_1.10.6",
    SAMPLES / "finance_core_duckdb_1.11.8",
    EXAMPLE,
    *sorted(p for p in (FIXTURES / "compat").glob("*") if p.is_dir()),
    FIXTURES / "fusion",
]


def find(folder: Path, prefix: str) -> list[Path]:
    return sorted(p for p in folder.iterdir() if p.name.startswith(prefix))


def expected(folder: Path) -> dict:
    manifest = read_json(find(folder, "manifest.json")[0])
    catalogs = [read_json(p) for p in find(folder, "catalog.json")]
    catalog = catalogs[0] if catalogs else {"nodes": {}, "sources": {}}
    types: Counter[str] = Counter()
    columns = edges = 0
    descriptions = {}
    for section in SECTIONS:
        for uid, node in (manifest.get(section) or {}).items():
            types[node.get("resource_type") or uid.split(".")[0]] += 1
            descriptions[uid] = node.get("description") or ""
            names = {c.get("name", k).lower() for k, c in (node.get("columns") or {}).items()}
            warehouse = (catalog.get("nodes") or {}).get(uid) or (catalog.get("sources") or {}).get(
                uid
            )
            if warehouse:
                names |= {k.lower() for k in warehouse.get("columns") or {}}
            columns += len(names)
            edges += len(set((node.get("depends_on") or {}).get("nodes") or []))
    results = [read_json(p) for p in find(folder, "run_results")]
    freshness = [read_json(p) for p in find(folder, "sources")]
    return {
        "types": dict(types),
        "columns": columns,
        "edges": edges,
        "descriptions": descriptions,
        "runs": len({r["metadata"]["invocation_id"] for r in results})
        + len({f["metadata"]["invocation_id"] for f in freshness}),
        "executions": sum(len(r["results"]) for r in results),
        "freshness": sum(len(f["results"]) for f in freshness),
    }


def stored() -> dict:
    return {
        "types": dict(Counter(Node.objects.values_list("resource_type", flat=True))),
        "columns": Column.objects.count(),
        "edges": Edge.objects.filter(kind=Edge.Kind.NODE).count(),
        "descriptions": dict(Node.objects.values_list("unique_id", "description")),
        "runs": Run.objects.count(),
        "executions": Execution.objects.count(),
        "freshness": FreshnessResult.objects.count(),
    }


@pytest.mark.django_db
@pytest.mark.parametrize("folder", ARTIFACT_SETS, ids=lambda p: p.name)
def test_it_loads_exactly_what_the_artifacts_hold(folder: Path) -> None:
    assert folder.is_dir(), f"{folder} is missing: regenerate it (see examples/README.md)"
    want = expected(folder)

    run_ingest(str(folder), "--environment", "prod")

    assert stored() == want
    ingest = Ingest.objects.get()
    assert ingest.status == "succeeded"
    assert ingest.counts["columns"] == want["columns"]
    for resource_type, count in want["types"].items():
        assert ingest.counts[resource_type] == count


def all_rows() -> dict:
    return {
        "nodes": list(Node.objects.order_by("id").values()),
        "columns": list(Column.objects.order_by("id").values()),
        "edges": list(Edge.objects.order_by("id").values()),
        "runs": list(Run.objects.order_by("id").values_list("id", "invocation_id")),
        "executions": Execution.objects.count(),
        "freshness": FreshnessResult.objects.count(),
    }


@pytest.mark.django_db
@pytest.mark.parametrize("folder", ARTIFACT_SETS, ids=lambda p: p.name)
def test_it_changes_nothing_when_loaded_again(folder: Path) -> None:
    run_ingest(str(folder), "--environment", "prod")
    rows_before = all_rows()

    out = run_ingest(str(folder), "--environment", "prod")

    assert "0 added, 0 modified, 0 removed" in out
    rows_after = all_rows()
    assert rows_after == rows_before
    second = Ingest.objects.order_by("-id").first()
    assert second.counts["runs_added"] == 0
    assert second.counts["nodes_modified"] == 0
