"""Quality reads: test results now and over recent runs, coverage, source freshness.

Each report is a `Table` (catalog.tables) computed from a few queries and cached until the
next load. Test history is read from the last RECENT_RUNS runs that ran tests, so a report's
cost does not grow with how much history the environment keeps.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

import networkx as nx
from django.db.models import Count, Q
from django.utils import timezone

from catalog.models import Column, Edge, Environment, Execution, Node, Run
from catalog.selectors import cached
from catalog.tables import Col, Table

RECENT_RUNS = 10
BAD = frozenset({"fail", "error", "runtime error"})
NOT_PASSING = BAD | {"warn"}
TEST_TYPES = ("test", "unit_test")

VIEWS = (
    ("failing", "Failing and warning"),
    ("recent", "Started failing"),
    ("flaky", "Flaky"),
    ("coverage-models", "Coverage by model"),
    ("coverage-folders", "Coverage by folder"),
    ("coverage-owners", "Coverage by owner"),
    ("freshness", "Source freshness"),
    ("freshness-downstream", "Affected by stale sources"),
)


def _link(uid: str, name: str) -> dict[str, str]:
    return {"unique_id": uid, "name": name}


def _tests(environment: Environment) -> list[dict[str, Any]]:
    return [
        dict(row)
        for row in Node.objects.filter(
            environment=environment, resource_type__in=TEST_TYPES
        ).values(
            "unique_id",
            "name",
            "resource_type",
            "test_type",
            "test_name",
            "tested_unique_id",
            "column_name",
            "last_execution__status",
            "last_execution__failures",
            "last_execution__message",
            "last_execution__generated_at",
        )
    ]


def test_history(environment: Environment) -> tuple[list[Run], dict[str, list[str]]]:
    """The last RECENT_RUNS runs that ran tests (oldest first), and each test's status in each
    of them ("" when it did not run there). Computed once per load."""
    return cached(environment, "quality:test-history", lambda: _test_history(environment))


def _test_history(environment: Environment) -> tuple[list[Run], dict[str, list[str]]]:
    runs = list(
        Run.objects.filter(environment=environment, kind=Run.Kind.RESULTS)
        .filter(executions__resource_type__in=TEST_TYPES)
        .distinct()
        .order_by("-generated_at", "-id")[:RECENT_RUNS]
    )[::-1]
    position = {run.pk: i for i, run in enumerate(runs)}
    history: dict[str, list[str]] = {}
    for uid, run_id, status in Execution.objects.filter(
        run_id__in=position, resource_type__in=TEST_TYPES
    ).values_list("unique_id", "run_id", "status"):
        statuses = history.setdefault(uid, [""] * len(runs))
        statuses[position[run_id]] = status
    return runs, history


def _flips(statuses: list[str]) -> int:
    """How often a test changed between passing and not passing, over the runs it ran in."""
    ran = [s in NOT_PASSING for s in statuses if s and s != "skipped"]
    return sum(1 for a, b in zip(ran, ran[1:], strict=False) if a != b)


def _streak_start(runs: list[Run], statuses: list[str]) -> datetime | None:
    """When the current run of not-passing results began (within the recent runs)."""
    start = None
    for run, status in zip(reversed(runs), reversed(statuses), strict=True):
        if not status or status == "skipped":
            continue
        if status in NOT_PASSING:
            start = run.generated_at
        else:
            break
    return start


TEST_COLUMNS = (
    Col("test", "Test", "node"),
    Col("kind", "Kind"),
    Col("tested", "Tests", "node"),
    Col("column", "Column"),
    Col("status", "Status"),
    Col("failures", "Failures", "number"),
)


def _test_row(t: dict[str, Any], names: dict[str, str], **extra: Any) -> dict[str, Any]:
    tested = t["tested_unique_id"]
    return {
        "test": _link(t["unique_id"], t["test_name"] or t["name"]),
        "kind": t["test_type"],
        "tested": _link(tested, names.get(tested, tested.split(".")[-1])) if tested else None,
        "column": t["column_name"],
        "status": t["last_execution__status"] or "",
        "failures": t["last_execution__failures"],
        **extra,
    }


def _names(environment: Environment) -> dict[str, str]:
    return dict(
        Node.objects.filter(environment=environment)
        .exclude(resource_type__in=TEST_TYPES + ("macro",))
        .values_list("unique_id", "name")
    )


def _failing(environment: Environment) -> Table:
    runs, history = test_history(environment)
    names = _names(environment)
    rows = []
    for t in _tests(environment):
        status = (t["last_execution__status"] or "").lower()
        if status in NOT_PASSING:
            since = _streak_start(runs, history.get(t["unique_id"], []))
            rows.append(
                _test_row(
                    t,
                    names,
                    since=since or t["last_execution__generated_at"],
                    message=(t["last_execution__message"] or "")[:300],
                )
            )
    rows.sort(key=lambda r: (r["status"] == "warn", r["test"]["name"]))
    return Table(
        name="failing",
        title="Tests failing or warning in their latest run",
        columns=(
            *TEST_COLUMNS,
            Col("since", "Not passing since", "date"),
            Col("message", "Message"),
        ),
        rows=rows,
        note=f"Since: the first of the recent runs (the last {RECENT_RUNS} that ran tests) "
        "in which the test stopped passing.",
    )


def _recent(environment: Environment) -> Table:
    runs, history = test_history(environment)
    names = _names(environment)
    rows = []
    for t in _tests(environment):
        statuses = history.get(t["unique_id"], [])
        ran = [s for s in statuses if s and s != "skipped"]
        if len(ran) >= 2 and ran[-1] in NOT_PASSING and ran[-2] not in NOT_PASSING:
            rows.append(_test_row(t, names, since=_streak_start(runs, statuses)))
    return Table(
        name="recent",
        title="Tests that passed before and fail or warn now",
        columns=(*TEST_COLUMNS, Col("since", "Since", "date")),
        rows=rows,
        default_sort="-since",
    )


def _flaky(environment: Environment) -> Table:
    runs, history = test_history(environment)
    names = _names(environment)
    rows = []
    for t in _tests(environment):
        statuses = history.get(t["unique_id"], [])
        flips = _flips(statuses)
        if flips >= 2:
            rows.append(
                _test_row(t, names, flips=flips, history=" ".join(s or "·" for s in statuses))
            )
    return Table(
        name="flaky",
        title="Tests whose result keeps changing",
        columns=(
            *TEST_COLUMNS,
            Col("flips", "Changes", "number"),
            Col("history", "Recent results"),
        ),
        rows=rows,
        default_sort="-flips",
        note=f"A test is flaky when it went from passing to not passing (or back) at least "
        f"twice over the last {len(runs)} runs that ran tests; results oldest first, "
        "· where it did not run.",
    )


def _model_coverage(environment: Environment) -> list[dict[str, Any]]:
    models = list(
        Node.objects.filter(environment=environment, resource_type="model").values(
            "id", "unique_id", "name", "folder", "owner_name", "owner_email"
        )
    )
    columns = dict(
        Column.objects.filter(node__environment=environment, node__resource_type="model")
        .values_list("node_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    data_tests: dict[str, int] = {}
    unit_tests: dict[str, int] = {}
    tested_columns: dict[str, set[str]] = {}
    for tested, kind, column in Node.objects.filter(
        environment=environment, resource_type__in=TEST_TYPES
    ).values_list("tested_unique_id", "resource_type", "column_name"):
        if kind == "unit_test":
            unit_tests[tested] = unit_tests.get(tested, 0) + 1
        else:
            data_tests[tested] = data_tests.get(tested, 0) + 1
        if column:
            tested_columns.setdefault(tested, set()).add(column.lower())
    rows = []
    for m in models:
        uid = m["unique_id"]
        n_columns = columns.get(m["id"], 0)
        n_tested = len(tested_columns.get(uid, ()))
        rows.append(
            {
                "model": _link(uid, m["name"]),
                "folder": m["folder"],
                "owner": m["owner_email"] or m["owner_name"],
                "tests": data_tests.get(uid, 0),
                "unit_tests": unit_tests.get(uid, 0),
                "columns": n_columns,
                "tested_columns": n_tested,
                "column_coverage": 100.0 * n_tested / n_columns if n_columns else None,
            }
        )
    return rows


def _coverage_models(environment: Environment) -> Table:
    return Table(
        name="coverage-models",
        title="Tests per model",
        columns=(
            Col("model", "Model", "node"),
            Col("folder", "Folder"),
            Col("owner", "Owner"),
            Col("tests", "Data tests", "number"),
            Col("unit_tests", "Unit tests", "number"),
            Col("columns", "Columns", "number"),
            Col("tested_columns", "Columns tested", "number"),
            Col("column_coverage", "Column coverage", "percent"),
        ),
        rows=_model_coverage(environment),
        default_sort="column_coverage",
    )


def _grouped_coverage(name: str, title: str, key: str, label: str) -> Callable[..., Table]:
    def build(environment: Environment) -> Table:
        groups: dict[str, list[dict[str, Any]]] = {}
        for row in _model_coverage(environment):
            groups.setdefault(row[key] or "(none)", []).append(row)
        rows = []
        for value, members in groups.items():
            tested = sum(1 for m in members if m["tests"] or m["unit_tests"])
            columns = sum(m["columns"] for m in members)
            rows.append(
                {
                    key: value,
                    "models": len(members),
                    "tested": 100.0 * tested / len(members),
                    "tests": sum(m["tests"] + m["unit_tests"] for m in members),
                    "column_coverage": (
                        100.0 * sum(m["tested_columns"] for m in members) / columns
                        if columns
                        else None
                    ),
                }
            )
        return Table(
            name=name,
            title=title,
            columns=(
                Col(key, label),
                Col("models", "Models", "number"),
                Col("tested", "Models tested", "percent"),
                Col("tests", "Tests", "number"),
                Col("column_coverage", "Column coverage", "percent"),
            ),
            rows=rows,
            default_sort="tested",
        )

    return build


def _sources(environment: Environment) -> list[dict[str, Any]]:
    return [
        dict(row)
        for row in Node.objects.filter(environment=environment, resource_type="source").values(
            "unique_id",
            "name",
            "source_name",
            "data",
            "last_freshness__status",
            "last_freshness__max_loaded_at",
            "last_freshness__snapshotted_at",
            "last_freshness__generated_at",
            "last_freshness__age_seconds",
            "last_freshness__criteria",
        )
    ]


def _criteria(row: dict[str, Any]) -> str:
    freshness = (row["last_freshness__criteria"] or {}) or (row["data"] or {}).get("freshness")
    if not isinstance(freshness, dict):
        return ""
    parts = []
    for key, word in (("warn_after", "warn"), ("error_after", "error")):
        rule = freshness.get(key) or {}
        if isinstance(rule, dict) and rule.get("count") is not None:
            count, period = rule["count"], rule.get("period") or ""
            plural = "s" if period and count != 1 else ""
            parts.append(f"{word} after {count} {period}{plural}".strip())
    return ", ".join(parts)


def _downstream(environment: Environment, sources: set[str]) -> dict[str, set[str]]:
    """Models and exposures downstream of each of `sources`.

    One pass in topological order, each node carrying the stale sources above it as the bits
    of an integer: a few hundred stale sources of a 10k-model project cost one walk of the
    DAG, not one walk each.
    """
    if not sources:
        return {}
    graph: nx.DiGraph[str] = nx.DiGraph()
    graph.add_edges_from(
        Edge.objects.filter(environment=environment, kind=Edge.Kind.NODE)
        .filter(Q(child__resource_type__in=("model", "exposure", "snapshot", "seed")))
        .values_list("parent_unique_id", "child_unique_id")
    )
    names = sorted(sources)
    bit = {uid: 1 << i for i, uid in enumerate(names)}
    above: dict[str, int] = {}
    order = nx.topological_sort(graph) if nx.is_directed_acyclic_graph(graph) else graph.nodes
    for uid in order:
        mask = 0
        for parent in graph.predecessors(uid):
            mask |= above.get(parent, 0) | bit.get(parent, 0)
        if mask:
            above[uid] = mask
    result: dict[str, set[str]] = {uid: set() for uid in sources}
    for uid, mask in above.items():
        while mask:
            low = mask & -mask  # the lowest set bit
            result[names[low.bit_length() - 1]].add(uid)
            mask ^= low
    return result


STALE = ("warn", "error", "runtime error")


def _freshness(environment: Environment) -> Table:
    rows_in = _sources(environment)
    stale = {r["unique_id"] for r in rows_in if (r["last_freshness__status"] or "") in STALE}
    downstream = _downstream(environment, stale)
    now = timezone.now()
    rows = []
    for r in rows_in:
        loaded = r["last_freshness__max_loaded_at"]
        status = r["last_freshness__status"] or ""
        rows.append(
            {
                "source": _link(r["unique_id"], f"{r['source_name']}.{r['name']}"),
                "status": status or ("not checked" if _criteria(r) else "no check configured"),
                "max_loaded_at": loaded,
                "age": (now - loaded).total_seconds() / 3600 if loaded else None,
                "criteria": _criteria(r),
                "checked_at": r["last_freshness__snapshotted_at"]
                or r["last_freshness__generated_at"],
                # counted for the stale and erroring ones: what they hold back
                "affected": len(downstream[r["unique_id"]]) if r["unique_id"] in stale else None,
            }
        )
    severity = {"error": 0, "runtime error": 0, "warn": 1}
    rows.sort(key=lambda row: (severity.get(row["status"], 2), row["source"]["name"]))
    return Table(
        name="freshness",
        title="Source freshness, stale and erroring first",
        columns=(
            Col("source", "Source", "node"),
            Col("status", "Status"),
            Col("max_loaded_at", "Newest row loaded", "date"),
            Col("age", "Age now (hours)", "number"),
            Col("criteria", "Criteria"),
            Col("checked_at", "Checked", "date"),
            Col("affected", "Models and exposures downstream", "number"),
        ),
        rows=rows,
    )


def _freshness_downstream(environment: Environment) -> Table:
    rows_in = _sources(environment)
    stale = {
        r["unique_id"]: (r["last_freshness__status"] or "")
        for r in rows_in
        if (r["last_freshness__status"] or "") in STALE
    }
    downstream = _downstream(environment, set(stale))
    affected: dict[str, set[str]] = {}
    for source, nodes in downstream.items():
        for uid in nodes:
            affected.setdefault(uid, set()).add(source)
    info = {
        n["unique_id"]: n
        for n in Node.objects.filter(environment=environment, unique_id__in=affected).values(
            "unique_id", "name", "resource_type", "owner_name", "owner_email"
        )
    }
    rows: list[dict[str, Any]] = []
    for uid, sources in affected.items():
        n = info.get(uid)
        if n is None:
            continue
        worst = "error" if any(stale[s] != "warn" for s in sources) else "warn"
        rows.append(
            {
                "node": _link(uid, n["name"]),
                "type": n["resource_type"],
                "owner": n["owner_email"] or n["owner_name"],
                "worst": worst,
                "sources": [_link(s, s.split(".", 2)[-1]) for s in sorted(sources)],
            }
        )
    rows.sort(key=lambda r: (r["worst"] != "error", r["type"] != "exposure", r["node"]["name"]))
    return Table(
        name="freshness-downstream",
        title="Models and exposures downstream of stale or erroring sources",
        columns=(
            Col("node", "Resource", "node"),
            Col("type", "Type"),
            Col("owner", "Owner"),
            Col("worst", "Worst freshness upstream"),
            Col("sources", "Stale sources upstream", "nodes"),
        ),
        rows=rows,
    )


_BUILDERS: dict[str, Callable[[Environment], Table]] = {
    "failing": _failing,
    "recent": _recent,
    "flaky": _flaky,
    "coverage-models": _coverage_models,
    "coverage-folders": _grouped_coverage(
        "coverage-folders", "Test coverage by folder", "folder", "Folder"
    ),
    "coverage-owners": _grouped_coverage(
        "coverage-owners", "Test coverage by owner", "owner", "Owner"
    ),
    "freshness": _freshness,
    "freshness-downstream": _freshness_downstream,
}


def quality_report(*, environment: Environment, view: str) -> Table:
    """One quality table (a VIEWS name; unknown names give the failing tests)."""
    if view not in _BUILDERS:
        view = "failing"
    # Freshness ages move with the clock: that report is cached per hour, the others per load.
    hour = timezone.now().strftime("%Y%m%d%H") if view == "freshness" else ""
    return cached(environment, f"quality:{view}:{hour}", lambda: _BUILDERS[view](environment))


def quality_summary(*, environment: Environment) -> dict[str, int]:
    """Rows per quality table, for the tabs (counted once per load)."""

    def compute() -> dict[str, int]:
        return {
            name: len(quality_report(environment=environment, view=name).rows) for name, _ in VIEWS
        }

    return cached(environment, "quality:summary", compute)
