"""What the example project's artifacts say, read straight from their JSON.

The expected answers of the tests that run real Discovery API clients against Lantern
(test_docs_examples.py, test_dbt_mcp.py). Nothing here uses Lantern's reader: the point is to
check Lantern's answers against dbt's own files.

examples/artifacts holds one manifest and catalog, four run_results (01 build, 02 build where
stg_bike_ops__bikes errors and what is downstream is skipped, 03 run of stg_bike_ops__bikes+,
04 test) and one sources.json (taken between 01 and 02); see examples/README.md.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path
from typing import Any

from tests.conftest import EXAMPLE, MANIFEST_SECTIONS, read_json

MANIFEST: dict[str, Any] = read_json(EXAMPLE / "manifest.json")
CATALOG: dict[str, Any] = read_json(EXAMPLE / "catalog.json")
FRESHNESS: dict[str, Any] = read_json(EXAMPLE / "sources.json")
# Oldest first.
RUNS: list[dict[str, Any]] = sorted(
    (read_json(path) for path in EXAMPLE.glob("run_results_*.json")),
    key=lambda run: run["metadata"]["generated_at"],
)
PROJECT = MANIFEST["metadata"]["project_name"]

RESOURCES: dict[str, dict[str, Any]] = {}
for _section in MANIFEST_SECTIONS:
    RESOURCES.update(MANIFEST.get(_section) or {})

# dbt writes source freshness statuses in lower case; the Discovery API's FreshnessStatus enum
# is capitalised ("runtime error" is an error to a reader).
FRESHNESS_STATUS = {"pass": "Pass", "warn": "Warn", "error": "Error", "runtime error": "Error"}


def ts(value: str | None) -> datetime | None:
    """A timestamp of an artifact or of an answer, comparable whatever its ISO spelling.

    To the millisecond: the Discovery API writes DateTime as JavaScript's toISOString does
    (`2026-12-03T20:32:10.005Z`), and so does Lantern; dbt's artifacts have microseconds.
    """
    if value is None:
        return None
    moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    return moment.replace(microsecond=moment.microsecond // 1000 * 1000)


def of_type(*resource_types: str) -> dict[str, dict[str, Any]]:
    return {uid: r for uid, r in RESOURCES.items() if r["resource_type"] in resource_types}


def by_name(resource_type: str, name: str) -> dict[str, Any]:
    (found,) = [r for r in of_type(resource_type).values() if r["name"] == name]
    return found


def results(uid: str) -> list[tuple[dict[str, Any], dict[str, Any]]]:
    """(run_results, result) of every run that has a result for the node, newest first."""
    out = []
    for run in reversed(RUNS):
        for result in run["results"]:
            if result["unique_id"] == uid:
                out.append((run, result))
    return out


def applied(resource_type: str) -> dict[str, dict[str, Any]]:
    """The nodes of a type that some run executed: the applied state of models, seeds,
    snapshots and tests (project-state.md: "what exists in the data warehouse after a
    successful dbt run"; Lantern also keeps a node whose runs all failed). The ephemeral
    int_trips_enriched, which dbt never executes, is in the definition state only."""
    return {uid: r for uid, r in of_type(resource_type).items() if results(uid)}


def last_result(uid: str) -> tuple[dict[str, Any], dict[str, Any]] | None:
    """The latest attempt, whatever its outcome (executionInfo.lastRun*)."""
    found = results(uid)
    return found[0] if found else None


def last_success(uid: str) -> tuple[dict[str, Any], dict[str, Any]] | None:
    """The latest successful materialization (executionInfo.execute*, executionTime…)."""
    for run, result in results(uid):
        if result["status"] == "success":
            return run, result
    return None


def test_status(result: dict[str, Any]) -> str | None:
    """A test's `status` in a job-level TestNode: "ERROR", or how many rows failed it (the
    Discovery API's own description of the field); `state` has dbt's pass/fail/warn/error."""
    if result["status"] == "error":
        return "ERROR"
    return None if result.get("failures") is None else str(result["failures"])


def timing(result: dict[str, Any], step: str) -> tuple[datetime | None, datetime | None]:
    """(started_at, completed_at) of the `compile` or `execute` step of a result."""
    for entry in result.get("timing") or []:
        if entry["name"] == step:
            return ts(entry.get("started_at")), ts(entry.get("completed_at"))
    return None, None


def freshness(uid: str) -> dict[str, Any] | None:
    """The source's result in sources.json; None for a source without a freshness check."""
    for result in FRESHNESS["results"]:
        if result["unique_id"] == uid:
            return result
    return None


def parents(uid: str) -> list[str]:
    return list(MANIFEST["parent_map"].get(uid, []))


def children(uid: str) -> list[str]:
    """The manifest's child_map, without analyses: the Discovery API has no type for them."""
    return [c for c in MANIFEST["child_map"].get(uid, []) if not c.startswith("analysis.")]


def tags(resource: dict[str, Any]) -> set[str]:
    """A resource's tags, at the node or under config (semantic models have them there only)."""
    return set(resource.get("tags") or []) | set((resource.get("config") or {}).get("tags") or [])


def closure(start: Iterable[str], step: Any) -> set[str]:
    """Every node reachable from `start` through `step` (parents or children), not `start`."""
    seen: set[str] = set()
    todo = list(start)
    while todo:
        for nxt in step(todo.pop()):
            if nxt not in seen:
                seen.add(nxt)
                todo.append(nxt)
    return seen


def upstream(uid: str) -> set[str]:
    return closure([uid], parents)


def downstream(uid: str) -> set[str]:
    return closure([uid], children)


def tested_node(test: dict[str, Any]) -> str | None:
    """The node a generic data test tests: dbt's attached_node, which it leaves empty for tests
    on sources (their one dependency then); singular tests test nothing in particular."""
    if test.get("attached_node"):
        return str(test["attached_node"])
    nodes = test["depends_on"]["nodes"]
    return str(nodes[0]) if test.get("test_metadata") and len(nodes) == 1 else None


def column_of(test: dict[str, Any]) -> str | None:
    """The column a data test tests: dbt's column_name, or the `column_name` argument of a
    model-level generic test (an expression such as `a || '-' || b`)."""
    kwargs = (test.get("test_metadata") or {}).get("kwargs") or {}
    return test.get("column_name") or kwargs.get("column_name")


def attached_tests(uid: str) -> set[str]:
    """The generic data tests of `uid`, and its unit tests."""
    data = {t for t, r in of_type("test").items() if tested_node(r) == uid}
    unit = {t for t, r in of_type("unit_test").items() if r["depends_on"]["nodes"] == [uid]}
    return data | unit


def catalog_entry(uid: str) -> dict[str, Any] | None:
    return CATALOG["nodes"].get(uid) or CATALOG["sources"].get(uid)


def catalog_columns(uid: str) -> dict[str, tuple[str, int]]:
    """{column name: (type, index)} as `dbt docs generate` found them in the warehouse."""
    entry = catalog_entry(uid)
    columns = entry["columns"] if entry else {}
    return {c["name"]: (c["type"], c["index"]) for c in columns.values()}


def run_of(result_run: dict[str, Any]) -> str:
    """The invocation id of a run_results file (Lantern keys its runs by it)."""
    return str(result_run["metadata"]["invocation_id"])


def on_test_database() -> bool:
    """Whether the default connection is pytest-django's test database (in memory, the file
    `make test` names, or PostgreSQL's test_<name>). It makes one only when a selected test asks
    for a database: a module fixture that writes must check, or it writes to the developer's."""
    from django.db import connection

    name = str(connection.settings_dict["NAME"])
    return (
        "mode=memory" in name
        or name == os.environ.get("SQLITE_TEST_NAME")
        or Path(name).name.startswith("test_")
    )
