"""Run history and performance reads: runs, a run's timing and critical path, model timings
over a window.

A run's timing comes from run_results' `timing` entries (compile, then execute); a node's bar
goes from the start of its compile to the end of its execute. The critical path is the chain
that bounded the run: from the node that finished last, back through the parent that finished
last before it started, to a node with no parent in the run.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.core.cache import cache
from django.db.models import Avg, Count, Max, Q, QuerySet, Sum
from django.http import Http404
from django.utils import timezone
from django.utils.safestring import SafeString

from catalog.charts import Bar, Point, gantt
from catalog.models import Edge, Environment, Execution, Run
from catalog.selectors import cached, recent
from catalog.tables import Col, Table

WINDOWS = (7, 30, 90, 365, 0)  # days; 0 is all history
FAILED = ("error", "fail", "runtime error")
# A parent that ends this long after its child starts is not what the child waited for
# (timestamps of compile and execute steps are rounded by some adapters).
SLACK = timedelta(milliseconds=500)


def run_list(*, environment: Environment, kind: str = "") -> QuerySet[Run]:
    runs = Run.objects.filter(environment=environment)
    if kind in (Run.Kind.RESULTS, Run.Kind.FRESHNESS):
        runs = runs.filter(kind=kind)
    return runs.order_by("-generated_at", "-id")


def run_get(*, environment: Environment, run_id: int) -> Run:
    run = Run.objects.filter(environment=environment, pk=run_id).first()
    if run is None:
        raise Http404(f"run {run_id} is not in this environment")
    return run


@dataclass
class Timing:
    unique_id: str
    resource_type: str
    thread: str
    status: str
    start: datetime
    end: datetime
    execution_time: float | None
    rows_affected: int | None
    critical: bool = False

    @property
    def name(self) -> str:
        return self.unique_id.split(".", 2)[-1]

    @property
    def seconds(self) -> float:
        return (self.end - self.start).total_seconds()


def run_timings(*, run: Run) -> tuple[list[Timing], datetime | None, list[str]]:
    """Every timed node of the run (bars), the run's start, and its critical path (ids, first
    to last). Nodes without timing (skipped ones) have no bar.

    A run never changes once loaded: the answer is cached (a 10k-model build has 30,000 rows
    and a critical path to walk).
    """
    key = f"lantern:run-timings:{run.pk}:{run.invocation_id}"
    found: tuple[list[Timing], datetime | None, list[str]] | None = recent.get(key)
    if found is None:
        found = cache.get(key)
        if found is None:
            found = _run_timings(run)
            cache.set(key, found, timeout=7 * 24 * 3600)
        recent.put(key, found)
    return found


def _run_timings(run: Run) -> tuple[list[Timing], datetime | None, list[str]]:
    timings: list[Timing] = []
    for e in Execution.objects.filter(run=run).only(
        "unique_id",
        "resource_type",
        "thread_id",
        "status",
        "compile_started_at",
        "compile_completed_at",
        "execute_started_at",
        "execute_completed_at",
        "execution_time",
        "rows_affected",
    ):
        start = e.compile_started_at or e.execute_started_at
        end = e.execute_completed_at or e.compile_completed_at
        if start is None or end is None:
            continue
        timings.append(
            Timing(
                unique_id=e.unique_id,
                resource_type=e.resource_type,
                thread=e.thread_id or "main",
                status=e.status,
                start=start,
                end=max(end, start),
                execution_time=e.execution_time,
                rows_affected=e.rows_affected,
            )
        )
    if not timings:
        return [], None, []
    path = _critical_path(run, timings)
    on_path = set(path)
    for t in timings:
        t.critical = t.unique_id in on_path
    timings.sort(key=lambda t: (t.start, t.unique_id))
    return timings, min(t.start for t in timings), path


def _critical_path(run: Run, timings: list[Timing]) -> list[str]:
    by_id = {t.unique_id: t for t in timings}
    parents: dict[str, list[str]] = {}
    for parent, child in Edge.objects.filter(
        environment=run.environment_id, kind=Edge.Kind.NODE, child_unique_id__in=list(by_id)
    ).values_list("parent_unique_id", "child_unique_id"):
        if parent in by_id:
            parents.setdefault(child, []).append(parent)
    current = max(timings, key=lambda t: (t.end, t.unique_id))
    path = [current.unique_id]
    while True:
        waited = [
            by_id[p]
            for p in parents.get(current.unique_id, [])
            if by_id[p].end <= current.start + SLACK
        ]
        if not waited:
            break
        current = max(waited, key=lambda t: (t.end, t.unique_id))
        if current.unique_id in path:  # a cycle cannot happen in dbt; never loop
            break
        path.append(current.unique_id)
    return path[::-1]


# --------------------------------------------------------------------------------------------
# Performance over a window


def window_start(days: int) -> datetime | None:
    return timezone.now() - timedelta(days=days) if days else None


def _executions(environment: Environment, days: int) -> QuerySet[Execution]:
    # A skipped model did not run: its zero seconds would drag averages and trends down.
    rows = Execution.objects.filter(environment=environment, resource_type="model").exclude(
        status="skipped"
    )
    since = window_start(days)
    return rows.filter(generated_at__gte=since) if since else rows


def model_stats(*, environment: Environment, days: int) -> list[dict[str, object]]:
    """Per model over the window: runs, failures, average / maximum / total execution time."""

    def compute() -> list[dict[str, object]]:
        return [
            dict(row)
            for row in _executions(environment, days)
            .values("unique_id")
            .annotate(
                runs=Count("id"),
                failures=Count("id", filter=Q(status__in=FAILED)),
                average=Avg("execution_time"),
                longest=Max("execution_time"),
                total=Sum("execution_time"),
            )
            .order_by()
        ]

    return cached(environment, f"performance:{days}:{timezone.now():%Y%m%d}", compute)


def performance_table(*, environment: Environment, days: int, view: str) -> Table:
    """slowest / failing / most-run models over the window (built once per load and day)."""
    key = f"performance-table:{days}:{view}:{timezone.now():%Y%m%d}"
    return cached(environment, key, lambda: _performance_table(environment, days, view))


def _performance_table(environment: Environment, days: int, view: str) -> Table:
    stats = model_stats(environment=environment, days=days)
    rows = [
        {
            "model": {"unique_id": s["unique_id"], "name": str(s["unique_id"]).split(".", 2)[-1]},
            "runs": s["runs"],
            "failures": s["failures"],
            "average": s["average"],
            "longest": s["longest"],
            "total": s["total"],
        }
        for s in stats
    ]
    columns = (
        Col("model", "Model", "node"),
        Col("runs", "Runs", "number"),
        Col("failures", "Failures", "number"),
        Col("average", "Average (s)", "number"),
        Col("longest", "Longest (s)", "number"),
        Col("total", "Total (s)", "number"),
    )
    if view == "failing":
        rows = [r for r in rows if r["failures"]]
        return Table("failing", "Models that failed most", columns, rows, "-failures")
    if view == "most-run":
        return Table("most-run", "Models run most often", columns, rows, "-runs")
    return Table("slowest", "Slowest models, by average execution time", columns, rows, "-average")


def run_series(*, environment: Environment, days: int) -> list[Point]:
    """Each run_results run of the window: its elapsed time."""
    runs = run_list(environment=environment, kind=Run.Kind.RESULTS).exclude(elapsed_time=None)
    since = window_start(days)
    if since:
        runs = runs.filter(generated_at__gte=since)
    return [
        Point(
            at=r.generated_at,
            value=r.elapsed_time or 0.0,
            label=r.command,
            status="error" if r.has_errors else "success",
        )
        for r in runs.only("generated_at", "elapsed_time", "command", "has_errors")[:2000]
    ]


def model_series(*, environment: Environment, unique_id: str, days: int) -> list[Point]:
    """A node's execution time in each run of the window (skipped runs left out)."""
    rows = Execution.objects.filter(environment=environment, unique_id=unique_id).exclude(
        status="skipped"
    )
    since = window_start(days)
    if since:
        rows = rows.filter(generated_at__gte=since)
    rows = rows.exclude(execution_time=None)
    return [
        Point(at=e.generated_at, value=e.execution_time or 0.0, status=e.status)
        for e in rows.only("generated_at", "execution_time", "status").order_by("generated_at")[
            :2000
        ]
    ]


CHART_BARS = 600  # bars drawn in a run's chart at most (the table lists every node)


def chart_timings(timings: list[Timing]) -> list[Timing]:
    """What a run's chart draws: every node of a small run; of a big one, the critical path
    and the longest nodes up to CHART_BARS (thousands of bars help no one read a chart)."""
    if len(timings) <= CHART_BARS:
        return timings
    critical = [t for t in timings if t.critical]
    longest = sorted((t for t in timings if not t.critical), key=lambda t: t.seconds, reverse=True)[
        : CHART_BARS - len(critical)
    ]
    return sorted(critical + longest, key=lambda t: (t.start, t.unique_id))


def run_chart(*, run: Run, node_url: Callable[[str], str]) -> tuple[SafeString, int]:
    """The run's timing chart as SVG, and how many bars it draws (kept per run: a run never
    changes once loaded)."""
    key = f"lantern:run-chart:{run.pk}:{run.invocation_id}:{node_url('x')}"
    found: tuple[SafeString, int] | None = recent.get(key)
    if found is None:
        timings, started, _ = run_timings(run=run)
        drawn = chart_timings(timings)
        bars = [
            Bar(
                label=t.name,
                lane=t.thread,
                start=(t.start - started).total_seconds() if started else 0.0,
                end=(t.end - started).total_seconds() if started else 0.0,
                status=t.status,
                critical=t.critical,
                url=node_url(t.unique_id),
            )
            for t in drawn
        ]
        found = (gantt(bars), len(drawn))
        recent.put(key, found)
    return found
