"""The benchmark's synthetic projects look like what real dbt writes, and Lantern loads them.

bench/synth.py is what the ingest budgets are measured on: if its files drifted away from real
dbt artifacts (fewer keys, other shapes), the benchmark would measure the wrong thing.
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

import pytest

from catalog.models import Column, Execution, FreshnessResult, Node
from tests.conftest import run_ingest

ROOT = Path(__file__).resolve().parents[2]
KEYS = json.loads((Path(__file__).parent / "manifest_keys.json").read_text())
sys.path.insert(0, str(ROOT / "bench"))

from synth import generate  # noqa: E402

MODELS = 120


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict]:
    out = tmp_path_factory.mktemp("synth")
    return out, generate(out, models=MODELS, runs=2, seed=3)


def load(folder: Path, name: str) -> dict:
    return json.loads((folder / name).read_text())


def test_it_writes_the_keys_dbt_writes(project: tuple[Path, dict]) -> None:
    folder, _ = project
    manifest = load(folder, "manifest.json")
    assert list(manifest) == KEYS["manifest_top_level"]
    assert list(manifest["metadata"]) == KEYS["manifest_metadata"]
    sections = {
        "model": manifest["nodes"],
        "seed": manifest["nodes"],
        "snapshot": manifest["nodes"],
        "test": manifest["nodes"],
        "source": manifest["sources"],
        "exposure": manifest["exposures"],
        "macro": manifest["macros"],
        "metric": manifest["metrics"],
        "semantic_model": manifest["semantic_models"],
        "saved_query": manifest["saved_queries"],
        "unit_test": manifest["unit_tests"],
        "group": manifest["groups"],
    }
    for resource_type, section in sections.items():
        nodes = [n for n in section.values() if n["resource_type"] == resource_type]
        assert nodes, f"no {resource_type} generated"
        for node in nodes:
            kind = resource_type
            if resource_type == "test" and "test_metadata" not in node:
                kind = "test_singular"
            want = KEYS["resource_types"][kind]
            assert set(node) == set(want["keys"]), f"{node['unique_id']}: keys differ from dbt's"
            assert set(node["config"]) == set(want["config_keys"]), node["unique_id"]

    catalog = load(folder, "catalog.json")
    assert list(catalog) == KEYS["catalog_top_level"]
    table = next(iter(catalog["nodes"].values()))
    assert set(table) == set(KEYS["catalog_table"])
    assert set(next(iter(table["columns"].values()))) == set(KEYS["catalog_column"])

    run_results = load(folder, "run_results.json")
    assert set(run_results) == set(KEYS["run_results_top_level"])
    for result in run_results["results"]:
        assert set(KEYS["run_result"]) <= set(result)


def test_it_has_a_realistic_shape(project: tuple[Path, dict]) -> None:
    _, counts = project
    assert counts["nodes"]["model"] == MODELS
    per_model = counts["columns"]["model"] / MODELS
    assert 10 <= per_model <= 20, f"{per_model:.1f} columns per model"
    assert counts["tests"]["total"] >= MODELS, "about two tests per model"
    statuses = set(counts["run_results_status"])
    assert {"success", "pass"} <= statuses
    assert statuses & {"fail", "error", "warn"}, "a real run has some failures"


def test_it_is_deterministic(project: tuple[Path, dict], tmp_path: Path) -> None:
    folder, _ = project
    generate(tmp_path, models=MODELS, runs=2, seed=3)
    for name in ("manifest.json", "catalog.json", "run_results.json", "sources.json"):
        assert (tmp_path / name).read_bytes() == (folder / name).read_bytes(), name


@pytest.mark.django_db
def test_lantern_loads_exactly_what_it_generates(project: tuple[Path, dict]) -> None:
    folder, counts = project
    manifest = load(folder, "manifest.json")

    run_ingest(str(folder), "--environment", "bench")

    stored = Counter(Node.objects.values_list("resource_type", flat=True))
    assert stored["model"] == MODELS
    assert stored["test"] == counts["tests"]["total"]
    assert stored["source"] == counts["sources"]
    assert stored["macro"] == counts["macros"]
    assert stored["unit_test"] == counts["unit_tests"]
    assert Column.objects.filter(node__resource_type="model").count() >= counts["columns"]["model"]
    results = sum(len(load(folder, f.name)["results"]) for f in folder.glob("run_results*.json"))
    assert Execution.objects.count() == results
    assert FreshnessResult.objects.count() == len(load(folder, "sources.json")["results"])
    assert set(Node.objects.values_list("unique_id", flat=True)) >= set(manifest["nodes"])


def test_its_compiled_sql_reads_only_columns_the_catalog_has(project: tuple[Path, dict]) -> None:
    from lineage.columns.artifacts import parse_inputs
    from lineage.columns.parse import parse_node

    folder, _ = project
    inputs = parse_inputs(load(folder, "manifest.json"), load(folder, "catalog.json"))
    results = [parse_node(i) for i in inputs if i.unique_id.startswith("model.")]
    errors = [c.error for r in results for c in r.columns if c.error]
    # The one deliberate gap: stale catalog columns of some incremental models.
    assert all(e == "not in the compiled SQL's select list" for e in errors), errors[:3]
    parsed = sum(r.status == "parsed" for r in results)
    assert parsed >= 0.9 * len(results), f"{parsed} of {len(results)} models parsed"
