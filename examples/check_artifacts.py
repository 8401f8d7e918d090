"""Check that the Lantern Bikes artifacts exercise what Lantern needs.

Usage: python examples/check_artifacts.py [ARTIFACTS_DIR]   (default: examples/artifacts)

Prints a summary (nodes per resource type, statuses per run) and exits 1 when an
expected feature or status is missing. Standard library only.
"""
from __future__ import annotations

import collections
import json
import pathlib
import sys


def load(folder: pathlib.Path, name: str) -> dict:
    path = folder / name
    if not path.is_file():
        raise SystemExit(f"missing {path}")
    with path.open() as f:
        return json.load(f)


def main(argv: list[str]) -> int:
    folder = pathlib.Path(argv[1] if len(argv) > 1 else pathlib.Path(__file__).parent / "artifacts")
    problems: list[str] = []

    def expect(cond: bool, what: str) -> None:
        if not cond:
            problems.append(what)

    manifest = load(folder, "manifest.json")
    catalog = load(folder, "catalog.json")
    semantic = load(folder, "semantic_manifest.json")
    sources_json = load(folder, "sources.json")

    nodes = manifest["nodes"]
    counts = collections.Counter(n["resource_type"] for n in nodes.values())
    for key in ("sources", "exposures", "metrics", "semantic_models", "saved_queries",
                "unit_tests", "groups", "macros", "docs"):
        counts[key] = len(manifest.get(key, {}))
    print(f"manifest {manifest['metadata']['dbt_schema_version']} (dbt {manifest['metadata']['dbt_version']}):")
    for key, n in sorted(counts.items()):
        print(f"  {key:<16} {n}")
    print(f"  macros (bikeshare) {sum(1 for m in manifest['macros'].values() if m['package_name'] == 'bikeshare')}")

    models = {k: n for k, n in nodes.items() if n["resource_type"] == "model"}
    expect(counts["model"] >= 20, "at least 20 models")
    expect(counts["seed"] >= 2, "at least 2 seeds")
    expect(counts["snapshot"] >= 1, "a snapshot")
    expect(counts["analysis"] >= 1, "an analysis")
    expect(len(manifest["groups"]) >= 2, "at least 2 groups")
    expect(all(g.get("owner", {}).get("email") for g in manifest["groups"].values()), "group owners with email")
    expect(len(manifest["exposures"]) >= 2, "at least 2 exposures")
    expect(len({e["type"] for e in manifest["exposures"].values()}) >= 3, "3 exposure types")
    expect(len({e["maturity"] for e in manifest["exposures"].values()}) >= 3, "3 exposure maturities")
    expect(len(manifest["semantic_models"]) >= 2, "at least 2 semantic models")
    expect({m["type"] for m in manifest["metrics"].values()} >= {"simple", "ratio", "derived", "cumulative"},
           "simple, ratio, derived and cumulative metrics")
    expect(len(manifest["saved_queries"]) >= 1, "a saved query")
    expect(len(manifest["unit_tests"]) >= 2, "at least 2 unit tests")
    expect(len(semantic.get("semantic_models", [])) >= 2, "semantic_manifest.json has semantic models")

    access = collections.Counter(n["access"] for n in models.values())
    print(f"  access: {dict(access)}")
    expect(set(access) >= {"private", "protected", "public"}, "private, protected and public access")
    expect(any(n["config"]["contract"]["enforced"] for n in models.values()), "an enforced contract")
    expect(any(c.get("constraints") for n in models.values() for c in n["columns"].values()), "column constraints")
    versioned = [n for n in models.values() if n.get("version") is not None]
    expect(len(versioned) >= 3, "a model with 3 versions")
    expect(any(n.get("deprecation_date") for n in versioned), "a deprecation_date on a version")
    expect(any(str(n["version"]) > str(n["latest_version"]) for n in versioned), "a prerelease version")
    expect(any(n["language"] == "python" for n in models.values()), "a python model")
    expect(any(n["config"]["materialized"] == "ephemeral" for n in models.values()), "an ephemeral model")
    expect(any(n["config"]["materialized"] == "incremental" for n in models.values()), "an incremental model")
    expect(any(n["meta"].get("owner") for n in models.values()), "meta.owner on models")
    expect(any(c.get("tags") for n in models.values() for c in n["columns"].values()), "column tags")
    expect(any(c.get("meta") for n in models.values() for c in n["columns"].values()), "column meta")
    expect(len(manifest["docs"]) > 1, "docs blocks")
    expect(any(s.get("loader") for s in manifest["sources"].values()), "a source loader")
    expect(any(n["description"] == "" for n in models.values()), "an undocumented model (on purpose)")
    expect(len(catalog["nodes"]) >= 20, "catalog has nodes")
    expect(len(catalog["sources"]) >= 6, "catalog has sources")

    print("run results:")
    run_files = sorted(folder.glob("run_results*.json"))
    statuses: dict[str, collections.Counter] = {}
    for path in run_files:
        rr = json.load(path.open())
        c = collections.Counter(r["status"] for r in rr["results"])
        statuses[path.name] = c
        print(f"  {path.name:<28} {rr['args'].get('which', '?'):<6} {dict(sorted(c.items()))}")
    expect(len(run_files) >= 2, "at least 2 run_results files")
    first = statuses.get("run_results_01_build.json", collections.Counter())
    second = statuses.get("run_results_02_build.json", collections.Counter())
    expect(first["fail"] >= 1 and first["warn"] >= 1, "run 1 has a failing and a warning test")
    expect(second["error"] >= 1 and second["skipped"] >= 1, "run 2 has an error and skipped nodes")

    fresh = collections.Counter(r["status"] for r in sources_json["results"])
    print(f"  sources.json                 {dict(sorted(fresh.items()))}")
    expect(set(fresh) >= {"pass", "warn", "error"}, "source freshness pass, warn and error")

    if problems:
        print("\nMISSING:\n  " + "\n  ".join(problems), file=sys.stderr)
        return 1
    print("all expected features and statuses present")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
