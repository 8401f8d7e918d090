"""The example project's artifacts (examples/artifacts), read straight from the JSON.

What the GraphQL tests compare Lantern's answers with, computed here without Lantern's
reader: which nodes each run executed and how, freshness, catalog, lineage maps.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from tests.conftest import EXAMPLE, MANIFEST_SECTIONS, read_json

MANIFEST: dict[str, Any] = read_json(EXAMPLE / "manifest.json")
CATALOG: dict[str, Any] = read_json(EXAMPLE / "catalog.json")
SOURCES: dict[str, Any] = read_json(EXAMPLE / "sources.json")
# The run_results files, oldest first.
RUNS: list[tuple[str, dict[str, Any]]] = sorted(
    ((p.name, read_json(p)) for p in EXAMPLE.glob("run_results_*.json")),
    key=lambda item: item[1]["metadata"]["generated_at"],
)
RESOURCES: dict[str, dict[str, Any]] = {
    uid: node
    for section in MANIFEST_SECTIONS
    for uid, node in (MANIFEST.get(section) or {}).items()
}
# Statuses that mean success, as dbt Cloud counts them (a warning test still ran fine).
SUCCESS = {"success", "pass", "warn"}
BROKEN = "model.bikeshare.stg_bike_ops__bikes"  # errored in run 2, fixed in run 3


def of_type(*types: str) -> list[str]:
    return sorted(uid for uid, node in RESOURCES.items() if node["resource_type"] in types)


def results() -> dict[str, list[tuple[str, dict[str, Any]]]]:
    """unique_id -> [(invocation id, result)] over the runs, oldest first."""
    found: dict[str, list[tuple[str, dict[str, Any]]]] = defaultdict(list)
    for _, run in RUNS:
        for result in run["results"]:
            found[result["unique_id"]].append((run["metadata"]["invocation_id"], result))
    return found


def executed(*types: str) -> list[str]:
    """The nodes of these types that some run executed, any outcome."""
    return sorted(uid for uid in results() if uid.split(".", 1)[0] in types)


def last(unique_id: str) -> tuple[str, dict[str, Any]]:
    return results()[unique_id][-1]


def last_success(unique_id: str) -> tuple[str, dict[str, Any]] | None:
    done = [(i, r) for i, r in results()[unique_id] if r["status"] in SUCCESS]
    return done[-1] if done else None


def timing(result: dict[str, Any], step: str, edge: str) -> str | None:
    for item in result.get("timing") or []:
        if item["name"] == step:
            return item[f"{edge}_at"]
    return None


def upstream(unique_id: str) -> set[str]:
    """Every ancestor in the manifest's parent_map."""
    found: set[str] = set()
    frontier = [unique_id]
    while frontier:
        for parent in MANIFEST["parent_map"].get(frontier.pop(), []):
            if parent not in found:
                found.add(parent)
                frontier.append(parent)
    return found


def tags(node: dict[str, Any]) -> set[str]:
    return set(node.get("tags") or []) | set((node.get("config") or {}).get("tags") or [])
