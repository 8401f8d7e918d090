"""Data health signals of models, sources and exposures, with dbt Explorer's rules.

The states and criteria follow dbt's documentation of data health signals
(docs.getdbt.com/docs/explore/data-health-signals):

- a **model** is healthy when it built successfully in its last run, within the last 30 days,
  has tests and they all passed, every upstream source is fresh (or has no freshness check),
  and it has a description. Caution: not built in 30 days, no tests, tests warn, an upstream
  source warns, no description. Degraded: the build failed, a test fails, an upstream source
  errors or its configured check has not run in 30 days. Unknown: no run has processed it.
- a **source** is healthy when its freshness check is configured, passed, ran in the last 30
  days, and it has a description. Caution: the check warned, is not configured or has not
  run in 30 days, no description. Degraded: the check errored. Unknown: no freshness run at
  all in the environment.
- an **exposure** rolls up what it is built on: every upstream source fresh, every upstream
  model built, their tests passing. Caution when one of those warns or a model was skipped;
  degraded when one errored or failed. Unknown when none of its models ever ran.

Everything is computed for a whole environment at once (five queries and one pass over the
DAG in topological order) and cached per load and per day, since "the last 30 days" moves.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import networkx as nx
from django.db.models import Q
from django.utils import timezone

from catalog.models import Edge, Environment, Node, Run
from catalog.selectors import cached

HEALTHY, CAUTION, DEGRADED, UNKNOWN = "healthy", "caution", "degraded", "unknown"
STATES = (HEALTHY, CAUTION, DEGRADED, UNKNOWN)
WINDOW = timedelta(days=30)
RATED = ("model", "source", "exposure")
FAILED_BUILD = frozenset({"error", "runtime error"})
FAILED_TEST = frozenset({"fail", "error", "runtime error"})
# How many upstream culprits a reason names before it says "and N more".
NAMED = 3


@dataclass(frozen=True)
class Health:
    state: str
    # Why it is not healthy (or, when healthy, what was checked), one line each.
    reasons: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        return self.state.capitalize()


@dataclass
class _Upstream:
    """The worst of what lies upstream of a node, with the resources responsible."""

    stale_sources: set[str] = field(default_factory=set)  # freshness warned
    broken_sources: set[str] = field(default_factory=set)  # freshness errored or not run
    failed_models: set[str] = field(default_factory=set)
    skipped_models: set[str] = field(default_factory=set)
    failing_tests: set[str] = field(default_factory=set)  # models whose tests fail
    warning_tests: set[str] = field(default_factory=set)
    ran: bool = False  # some upstream model has run

    def absorb(self, other: _Upstream) -> None:
        self.stale_sources |= other.stale_sources
        self.broken_sources |= other.broken_sources
        self.failed_models |= other.failed_models
        self.skipped_models |= other.skipped_models
        self.failing_tests |= other.failing_tests
        self.warning_tests |= other.warning_tests
        self.ran |= other.ran


def _names(ids: Iterable[str]) -> str:
    names = sorted(uid.split(".", 2)[-1] for uid in ids)
    shown = ", ".join(names[:NAMED])
    return shown + (f" and {len(names) - NAMED} more" if len(names) > NAMED else "")


def _freshness_configured(data: dict[str, Any]) -> bool:
    freshness = data.get("freshness") if isinstance(data, dict) else None
    if not isinstance(freshness, dict):
        return False
    return any(
        isinstance(freshness.get(key), dict) and freshness[key].get("count") is not None
        for key in ("warn_after", "error_after")
    )


def compute(environment: Environment, *, now: datetime | None = None) -> dict[str, Health]:
    """The health of every model, source and exposure of the environment."""
    now = now or timezone.now()
    since = now - WINDOW
    rows: list[dict[str, Any]] = [
        dict(row)
        for row in Node.objects.filter(environment=environment, resource_type__in=RATED).values(
            "unique_id",
            "resource_type",
            "description",
            "data",
            "last_execution__status",
            "last_execution__generated_at",
            "last_freshness__status",
            "last_freshness__generated_at",
        )
    ]
    tests: dict[str, list[str]] = {}
    for tested, status in (
        Node.objects.filter(environment=environment, resource_type__in=("test", "unit_test"))
        .exclude(tested_unique_id="")
        .values_list("tested_unique_id", "last_execution__status")
    ):
        tests.setdefault(tested, []).append(status or "")
    freshness_runs = Run.objects.filter(environment=environment, kind=Run.Kind.FRESHNESS).exists()
    graph: nx.DiGraph[str] = nx.DiGraph()
    graph.add_edges_from(
        Edge.objects.filter(environment=environment, kind=Edge.Kind.NODE)
        .filter(~Q(child__resource_type__in=("test", "unit_test")))
        .values_list("parent_unique_id", "child_unique_id")
    )
    node_rows = {r["unique_id"]: r for r in rows}
    graph.add_nodes_from(node_rows)

    # Each node's own contribution to what lies downstream of it.
    own: dict[str, _Upstream] = {}
    for uid, r in node_rows.items():
        mine = _Upstream()
        if r["resource_type"] == "source" and _freshness_configured(r["data"]):
            status = (r["last_freshness__status"] or "").lower()
            checked = r["last_freshness__generated_at"]
            if status in ("error", "runtime error") or checked is None or checked < since:
                mine.broken_sources.add(uid)
            elif status == "warn":
                mine.stale_sources.add(uid)
        elif r["resource_type"] == "model":
            status = (r["last_execution__status"] or "").lower()
            mine.ran = bool(status)
            if status in FAILED_BUILD:
                mine.failed_models.add(uid)
            elif status == "skipped":
                mine.skipped_models.add(uid)
            results = {s.lower() for s in tests.get(uid, [])}
            if results & FAILED_TEST:
                mine.failing_tests.add(uid)
            elif "warn" in results:
                mine.warning_tests.add(uid)
        own[uid] = mine

    # What lies upstream of each node, in one topological pass (cycles cannot occur in dbt).
    upstream: dict[str, _Upstream] = {}
    order = nx.topological_sort(graph) if nx.is_directed_acyclic_graph(graph) else graph.nodes
    for uid in order:
        acc = _Upstream()
        for parent in graph.predecessors(uid):
            acc.absorb(upstream.get(parent, _Upstream()))
            if parent in own:
                acc.absorb(own[parent])
        upstream[uid] = acc

    result: dict[str, Health] = {}
    for uid, r in node_rows.items():
        kind = r["resource_type"]
        if kind == "model":
            result[uid] = _model(r, tests.get(uid, []), upstream[uid], since)
        elif kind == "source":
            result[uid] = _source(r, since, freshness_runs)
        else:
            result[uid] = _exposure(upstream[uid])
    return result


def _model(r: dict[str, Any], tests: list[str], up: _Upstream, since: datetime) -> Health:
    status = (r["last_execution__status"] or "").lower()
    built = r["last_execution__generated_at"]
    if not status:
        return Health(UNKNOWN, ("no run has processed this model yet",))
    degraded: list[str] = []
    caution: list[str] = []
    if status in FAILED_BUILD:
        degraded.append(f"failed to build in its last run ({status})")
    elif status == "skipped":
        caution.append("skipped in its last run")
    if built is not None and built < since:
        caution.append(f"not built in the last 30 days (last run {built:%Y-%m-%d})")
    results = [s.lower() for s in tests]
    failing = sum(1 for s in results if s in FAILED_TEST)
    warning = sum(1 for s in results if s == "warn")
    if not results:
        caution.append("no tests configured")
    elif failing:
        degraded.append(f"{failing} of {len(results)} tests failing")
    elif warning:
        caution.append(f"{warning} of {len(results)} tests warning")
    if up.broken_sources:
        degraded.append(
            "upstream source freshness errored or not checked in 30 days: "
            + _names(up.broken_sources)
        )
    if up.stale_sources:
        caution.append(f"upstream sources stale (freshness warned): {_names(up.stale_sources)}")
    if not (r["description"] or "").strip():
        caution.append("missing a description")
    if degraded:
        return Health(DEGRADED, tuple(degraded + caution))
    if caution:
        return Health(CAUTION, tuple(caution))
    return Health(
        HEALTHY,
        (
            f"built successfully on {built:%Y-%m-%d}" if built else "built successfully",
            f"all {len(results)} tests passed",
            "upstream sources fresh or without freshness checks",
            "documented",
        ),
    )


def _source(r: dict[str, Any], since: datetime, freshness_runs: bool) -> Health:
    status = (r["last_freshness__status"] or "").lower()
    checked = r["last_freshness__generated_at"]
    configured = _freshness_configured(r["data"])
    if not status and not freshness_runs:
        return Health(UNKNOWN, ("no source freshness run has been loaded",))
    caution: list[str] = []
    if status in ("error", "runtime error"):
        return Health(DEGRADED, (f"freshness check {status}",))
    if not configured:
        caution.append("no freshness check configured")
    elif not status or checked is None or checked < since:
        caution.append("freshness not checked in the last 30 days")
    elif status == "warn":
        caution.append("freshness check warned")
    if not (r["description"] or "").strip():
        caution.append("missing a description")
    if caution:
        return Health(CAUTION, tuple(caution))
    return Health(
        HEALTHY, (f"freshness passed on {checked:%Y-%m-%d}" if checked else "fresh", "documented")
    )


def _exposure(up: _Upstream) -> Health:
    if not up.ran:
        return Health(UNKNOWN, ("none of the models it uses has run yet",))
    degraded: list[str] = []
    caution: list[str] = []
    if up.broken_sources:
        degraded.append(f"upstream sources errored: {_names(up.broken_sources)}")
    if up.failed_models:
        degraded.append(f"upstream models failed to build: {_names(up.failed_models)}")
    if up.failing_tests:
        degraded.append(f"upstream models with failing tests: {_names(up.failing_tests)}")
    if up.stale_sources:
        caution.append(f"upstream sources warned: {_names(up.stale_sources)}")
    if up.skipped_models:
        caution.append(f"upstream models skipped: {_names(up.skipped_models)}")
    if up.warning_tests:
        caution.append(f"upstream models with warning tests: {_names(up.warning_tests)}")
    if degraded:
        return Health(DEGRADED, tuple(degraded + caution))
    if caution:
        return Health(CAUTION, tuple(caution))
    return Health(
        HEALTHY, ("upstream sources fresh", "upstream models built", "their tests passing")
    )


def environment_health(*, environment: Environment) -> dict[str, Health]:
    """compute(), cached until the next load or the next day."""
    today = timezone.now().date().isoformat()
    return cached(environment, f"health:{today}", lambda: compute(environment))


def health_of(*, environment: Environment, unique_id: str) -> Health | None:
    """The health of one model, source or exposure (None for other resource types)."""
    return environment_health(environment=environment).get(unique_id)
