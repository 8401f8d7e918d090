"""Job-level data: `job(id, runId)`, the deprecated job roots, and `modelHistoricalRuns`.

dbt Cloud files every run under a job. Runs loaded into Lantern carry dbt Cloud's job and run
ids when they are known (synced from dbt Cloud, or named on upload: `Run.job_id`,
`Run.run_id`); the others belong to **one job per environment, whose id is the environment's
id**, and their run id is Lantern's id of the run (`Run.pk`). The scheme is stable: the same
loaded run always has the same ids, and `executionInfo.lastRunId`/`lastJobDefinitionId` name
runs that `job(id, runId)` finds. A job run is every loaded run with those ids: the
run_results.json and sources.json of one dbt Cloud run (or one file, for runs with Lantern's
ids). `runId` omitted means the job's latest run.

What a job run lists: the models, seeds, snapshots, tests and unit tests it executed (one row
each, with that execution's status and timing), every source of the latest manifest (with
the run's freshness check of it, if the run checked it), and every exposure, macro and
metric of the latest manifest. Definition fields (code, config, columns) come from the latest
manifest: Lantern does not keep one per run.

`modelHistoricalRuns` gives a model's executions across every run of the environment, newest
first: at most 20 (`lastRunCount`), as dbt Cloud documents.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from django.db.models import Q
from graphql import GraphQLError

from catalog.graphql.loaders import TEST_TYPES, Batch, Ctx, among, job_id_of, run_id_of
from catalog.graphql.objects import (
    FAILED,
    FRESHNESS_STATUSES,
    as_dict,
    as_list,
    catalog_stats,
    criteria,
    opt,
)
from catalog.graphql.pagination import MAX_JOB_FIRST, decode_job, job_cursor, page_size
from catalog.models import Environment, Execution, FreshnessResult, Node, Project, Run

JOB_TYPES = {
    "model": "ModelNode",
    "source": "SourceNode",
    "seed": "SeedNode",
    "snapshot": "SnapshotNode",
    "test": "TestNode",
    "unit_test": "TestNode",
    "exposure": "ExposureNode",
    "macro": "MacroNode",
    "metric": "MetricNode",
}
MAX_HISTORY = 20


class JobRun:
    """The loaded runs of one job run (`job(id, runId)`)."""

    def __init__(self, runs: list[Run]) -> None:
        self.runs = sorted(runs, key=lambda r: (r.generated_at, r.pk))
        self.primary = self.runs[-1]
        self.pks = tuple(sorted(r.pk for r in runs))

    @property
    def job_id(self) -> int:
        return job_id_of(self.primary)

    @property
    def run_id(self) -> int:
        return run_id_of(self.primary)


class RunBatch(Batch):
    """Sibling job-level nodes: their nodes, and the nodes with their job runs."""

    __slots__ = ("items", "groups")

    def __init__(self, nodes: list[Node]) -> None:
        super().__init__(nodes)
        self.items: list[RunNode] = []
        # The related nodes made for each item (node pk, job run): see RunNode._related.
        self.groups: dict[tuple[int, tuple[int, ...]], list[RunNode]] = {}


def job_get(job_id: int, run_id: int | None) -> JobRoot | None:
    """The job run, or None when no loaded run has these ids."""
    if not 0 < job_id < 2**63 or (run_id is not None and not 0 < run_id < 2**63):
        return None  # no row has such an id, and PostgreSQL could not even compare it
    runs = Run.objects.filter(Q(job_id=job_id) | Q(job_id__isnull=True, environment_id=job_id))
    if run_id is not None:
        found = list(runs.filter(Q(run_id=run_id) | Q(run_id__isnull=True, pk=run_id)))
    else:
        latest = runs.order_by("-generated_at", "-id").first()
        if latest is None:
            return None
        found = [latest] if latest.run_id is None else list(runs.filter(run_id=latest.run_id))
    if not found:
        return None
    # dbt Cloud job ids are unique across environments; Lantern's fallback ones are too.
    environment_id = found[-1].environment_id
    found = [r for r in found if r.environment_id == environment_id]
    environment = Environment.objects.get(pk=environment_id)
    return JobRoot(Ctx(environment), JobRun(found))


class JobRoot:
    """The `JobNode` type: one job run's nodes, as flat lists."""

    def __init__(self, ctx: Ctx, job: JobRun) -> None:
        self.ctx = ctx
        self.job = job
        self.id = job.job_id
        self.run_id = job.run_id

    def _executed(
        self,
        types: tuple[str, ...],
        first: int | None,
        after: str | None,
        relation: dict[str, str | None] | None = None,
        unique_id: str | None = None,
    ) -> list[RunNode]:
        """What the job run executed of `types`, in unique_id order, a page at a time."""
        rows = Execution.objects.filter(run_id__in=self.job.pks, resource_type__in=types)
        if unique_id is not None:
            rows = rows.filter(unique_id=unique_id)
        matching = self._matching(types, relation)
        if matching is not None:
            rows = rows.filter(among("unique_id", matching))
        # Light rows first: a uid executed by two steps of the run counts once (the latest).
        latest: dict[str, int] = {}
        for pk, uid in rows.order_by("generated_at", "id").values_list("id", "unique_id"):
            latest[uid] = pk
        uids = page(sorted(latest), first, after)
        executions = Execution.objects.filter(among("id", [latest[u] for u in uids]))
        by_uid = {e.unique_id: e for e in executions.select_related("run")}
        nodes = self.ctx.by_uid(uids, code=True)
        return make(self.ctx, self.job, [(nodes[u], by_uid[u]) for u in uids if u in nodes])

    def _defined(
        self,
        types: tuple[str, ...],
        first: int | None,
        after: str | None,
        relation: dict[str, str | None] | None = None,
        **lookups: Any,
    ) -> list[RunNode]:
        """Nodes of the latest manifest of `types`, with the run's execution of each."""
        rows = self.ctx.nodes().filter(resource_type__in=types, **lookups)
        matching = self._matching(types, relation)
        if matching is not None:
            rows = rows.filter(among("unique_id", matching))
        uids = page(sorted(set(rows.values_list("unique_id", flat=True))), first, after)
        nodes = self.ctx.by_uid(uids, code=True)
        return make(self.ctx, self.job, [(nodes[u], None) for u in uids if u in nodes])

    def _matching(
        self, types: tuple[str, ...], relation: dict[str, str | None] | None
    ) -> set[str] | None:
        """The unique_ids of the relation asked for (database, schema, identifier)."""
        given = {k: v for k, v in (relation or {}).items() if v is not None}
        if not given:
            return None
        lookups = {f"{'alias' if k == 'identifier' else k}__iexact": v for k, v in given.items()}
        rows = self.ctx.nodes().filter(resource_type__in=types, **lookups)
        return set(rows.values_list("unique_id", flat=True))

    # Lists

    def models(
        self,
        database: str | None = None,
        identifier: str | None = None,
        schema: str | None = None,
        first: int | None = None,
        after: str | None = None,
    ) -> list[RunNode]:
        relation = {"database": database, "schema": schema, "identifier": identifier}
        return self._executed(("model",), first, after, relation)

    def sources(
        self,
        database: str | None = None,
        identifier: str | None = None,
        schema: str | None = None,
        first: int | None = None,
        after: str | None = None,
    ) -> list[RunNode]:
        relation = {"database": database, "schema": schema, "identifier": identifier}
        return self._defined(("source",), first, after, relation)

    def seeds(self, first: int | None = None, after: str | None = None) -> list[RunNode]:
        return self._executed(("seed",), first, after)

    def snapshots(self, first: int | None = None, after: str | None = None) -> list[RunNode]:
        return self._executed(("snapshot",), first, after)

    def tests(self, first: int | None = None, after: str | None = None) -> list[RunNode]:
        return self._executed(("test", "unit_test"), first, after)

    def exposures(self, first: int | None = None, after: str | None = None) -> list[RunNode]:
        return self._defined(("exposure",), first, after)

    def macros(self, first: int | None = None, after: str | None = None) -> list[RunNode]:
        return self._defined(("macro",), first, after)

    def metrics(self, first: int | None = None, after: str | None = None) -> list[RunNode]:
        return self._defined(("metric",), first, after)

    # Single nodes

    def _one(self, found: list[RunNode]) -> RunNode | None:
        return found[0] if found else None

    def model(self, unique_id: str) -> RunNode | None:
        return self._one(self._executed(("model",), None, None, unique_id=unique_id))

    def seed(self, unique_id: str) -> RunNode | None:
        return self._one(self._executed(("seed",), None, None, unique_id=unique_id))

    def snapshot(self, unique_id: str) -> RunNode | None:
        return self._one(self._executed(("snapshot",), None, None, unique_id=unique_id))

    def test(self, unique_id: str) -> RunNode | None:
        return self._one(self._executed(("test", "unit_test"), None, None, unique_id=unique_id))

    def source(self, unique_id: str) -> RunNode | None:
        return self._one(self._defined(("source",), None, None, unique_id=unique_id))

    def macro(self, unique_id: str) -> RunNode | None:
        return self._one(self._defined(("macro",), None, None, unique_id=unique_id))

    def metric(self, unique_id: str) -> RunNode | None:
        return self._one(self._defined(("metric",), None, None, unique_id=unique_id))

    def exposure(self, name: str) -> RunNode | None:
        return self._one(self._defined(("exposure",), None, None, name=name))


def page(uids: list[str], first: int | None, after: str | None) -> list[str]:
    """A page of a job-level list: everything without `first` and `after`, else at most 100
    unique_ids after the one `after` names."""
    if after:
        start = decode_job(after)
        uids = [uid for uid in uids if uid > start]
    elif first is None:
        return uids
    return uids[: page_size(first, MAX_JOB_FIRST)]


def make(
    ctx: Ctx,
    job: JobRun | None,
    rows: Sequence[tuple[Node, Execution | None]],
    *,
    with_catalog: bool = True,
) -> list[RunNode]:
    """Job-level nodes of one batch; `job` None: each row's own run (run history)."""
    batch = RunBatch([node for node, _ in rows])
    for node, execution in rows:
        if job is not None:
            own = job
        elif execution is not None:
            own = JobRun([execution.run])
        else:
            continue
        batch.items.append(RunNode(node, ctx, batch, own, execution, with_catalog=with_catalog))
    return list(batch.items)


def model_history(
    ctx: Ctx,
    *,
    unique_id: str | None,
    identifier: str | None,
    count: int,
    with_catalog: bool,
) -> list[RunNode]:
    """A model's latest executions in every run of the environment, newest first."""
    models = ctx.nodes().filter(resource_type="model")
    if unique_id is not None:
        models = models.filter(unique_id=unique_id)
    elif identifier is not None:
        models = models.filter(alias__iexact=identifier)
    else:
        raise GraphQLError("modelHistoricalRuns needs a uniqueId or an identifier")
    nodes = ctx.by_uid(set(models.values_list("unique_id", flat=True)), code=True)
    if not nodes or count <= 0:
        return []
    executions = (
        Execution.objects.filter(environment=ctx.environment)
        .filter(among("unique_id", nodes))
        .select_related("run")
        .order_by("-generated_at", "-id")[: min(count, MAX_HISTORY)]
    )
    rows = [(nodes[e.unique_id], e) for e in executions]
    return make(ctx, None, rows, with_catalog=with_catalog)


class RunNode:
    """A node as one job run saw it (ModelNode, SourceNode, TestNode, ... of the job level)."""

    __slots__ = ("node", "ctx", "batch", "job", "execution", "with_catalog", "__typename")

    def __init__(
        self,
        node: Node,
        ctx: Ctx,
        batch: RunBatch,
        job: JobRun,
        execution: Execution | None,
        *,
        with_catalog: bool = True,
    ) -> None:
        self.node = node
        self.ctx = ctx
        self.batch = batch
        self.job = job
        self.execution = execution
        self.with_catalog = with_catalog
        self.__typename = JOB_TYPES.get(node.resource_type, "ModelNode")

    @property
    def typename(self) -> str:
        return self.__typename

    def __repr__(self) -> str:
        return f"<{self.__typename} {self.node.unique_id}>"

    @property
    def project(self) -> Project:
        return self.ctx.projects[self.node.project_id]

    @property
    def run(self) -> Run:
        return self.execution.run if self.execution is not None else self.job.primary

    # CloudArtifactInterface and NodeInterface

    account_id = property(lambda self: self.ctx.account_id)
    environment_id = property(lambda self: self.ctx.environment.pk)
    project_id = property(lambda self: self.ctx.project_id(self.node.project_id))
    job_id = property(lambda self: job_id_of(self.run))
    run_id = property(lambda self: run_id_of(self.run))
    unique_id = property(lambda self: self.node.unique_id)
    name = property(lambda self: self.node.name)
    description = property(lambda self: self.node.description)
    resource_type = property(lambda self: self.node.resource_type)
    meta = property(lambda self: self.node.meta)
    tags = property(lambda self: self.node.tags)
    pagination_cursor = property(lambda self: job_cursor(self.node.unique_id))

    @property
    def dbt_version(self) -> str | None:
        return opt(self.run.dbt_version) or opt(self.project.dbt_version)

    # Definition

    database = property(lambda self: opt(self.node.database))
    schema = property(lambda self: opt(self.node.schema))
    alias = property(lambda self: opt(self.node.alias))
    identifier = property(lambda self: opt(self.node.alias))
    access = property(lambda self: opt(self.node.access))
    dbt_group = property(lambda self: opt(self.node.group_name))
    language = property(lambda self: opt(self.node.language))
    materialized_type = property(lambda self: opt(self.node.materialized))
    package_name = property(lambda self: opt(self.node.package_name))
    raw_code = property(lambda self: opt(self.node.raw_code))
    raw_sql = raw_code
    compiled_code = property(lambda self: opt(self.node.compiled_code))
    compiled_sql = compiled_code
    column_name = property(lambda self: opt(self.node.column_name))
    owner = property(lambda self: opt(self.node.catalog_owner))
    comment = property(lambda self: opt(self.node.catalog_comment))
    packages = property(lambda self: self.ctx.packages())
    source_name = property(lambda self: opt(self.node.source_name))
    source_description = property(
        lambda self: opt(str(self.node.data.get("source_description") or ""))
    )
    loader = property(lambda self: opt(str(self.node.data.get("loader") or "")))
    exposure_type = property(lambda self: opt(str(self.node.data.get("type") or "")))
    maturity = property(lambda self: opt(str(self.node.data.get("maturity") or "")))
    url = property(lambda self: opt(str(self.node.data.get("url") or "")))
    label = property(lambda self: opt(str(self.node.data.get("label") or "")))
    owner_name = property(lambda self: opt(self.node.owner_name))
    owner_email = property(lambda self: opt(self.node.owner_email))
    manifest_generated_at = property(lambda self: self.project.manifest_generated_at)

    @property
    def type(self) -> str | None:
        if self.node.resource_type == "metric":
            return opt(str(self.node.data.get("type") or ""))
        return opt(self.node.catalog_type)

    # Lineage

    @property
    def depends_on(self) -> list[str]:
        if self.node.resource_type == "macro":
            return self.ctx.macro_ids(self.batch, self.node)
        parents = self.ctx.parent_ids(self.batch, self.node)
        if self.node.resource_type in TEST_TYPES:
            # dbt Cloud lists a test's macros after its nodes (model, then
            # macro.dbt.test_not_null, ...): DataHub's dbt Cloud source names the test type
            # after its `test_<name>` macro there.
            return parents + self.ctx.macro_ids(self.batch, self.node)
        return parents

    @property
    def children_l1(self) -> list[str]:
        return [n.unique_id for n in self.ctx.children(self.batch, self.node)]

    def _related(self, kind: str) -> list[RunNode]:
        """Nodes related to this one (parents, tests) as their job runs saw them. The first
        call makes those of every sibling, in one batch: their rows, and their executions in
        each sibling's job run, load at once."""
        ctx, batch = self.ctx, self.batch

        def load() -> RunBatch:
            ids = {(item.node.pk, item.job.pks): item._ids(kind) for item in batch.items}
            nodes = ctx.by_uid({uid for uids in ids.values() for uid in uids}, code=True)
            executions = ctx.run_rows(Execution, [(pks, uids) for (_, pks), uids in ids.items()])
            wave = RunBatch(list(nodes.values()))
            for item in batch.items:
                found = []
                for uid in ids[(item.node.pk, item.job.pks)]:
                    node = nodes.get(uid)
                    if node is None or node.resource_type not in JOB_TYPES:
                        continue
                    execution = executions.get((item.job.pks, uid))
                    if kind == "tests" and execution is None:
                        continue  # the tests this run executed
                    found.append(RunNode(node, ctx, wave, item.job, execution))
                wave.groups[(item.node.pk, item.job.pks)] = found
                wave.items.extend(found)
            return wave

        wave = ctx.wave(kind, batch, load)
        return wave.groups.get((self.node.pk, self.job.pks), [])

    def _ids(self, kind: str) -> list[str]:
        if kind == "tests":
            return [t.unique_id for t in self.ctx.tests(self.batch, self.node)]
        return self.ctx.parent_ids(self.batch, self.node)

    def parents(self) -> list[RunNode]:
        return self._related("parents")

    def parents_models(self) -> list[RunNode]:
        return [p for p in self._related("parents") if p.node.resource_type == "model"]

    def parents_sources(self) -> list[RunNode]:
        return [p for p in self._related("parents") if p.node.resource_type == "source"]

    def tests(self) -> list[RunNode]:
        return self._related("tests")

    # Catalog

    @property
    def columns(self) -> list[dict[str, Any]] | None:
        if not (self.node.has_catalog and self.with_catalog):
            return None
        return self.ctx.catalog_columns(self.batch, self.node)

    @property
    def stats(self) -> list[dict[str, Any]]:
        if not (self.node.has_catalog and self.with_catalog):
            return []
        return catalog_stats(self.node.catalog_stats)

    # The execution in this run

    def _execution(self, field: str) -> Any:
        return getattr(self.execution, field) if self.execution is not None else None

    @property
    def status(self) -> str | None:
        if self.execution is None:
            return None
        if self.node.resource_type in TEST_TYPES:
            # dbt Cloud: "ERROR" for errors, else the number of failing rows.
            if self.execution.status == "error":
                return "ERROR"
            failures = self.execution.failures
            return str(failures) if failures is not None else None
        return self.execution.status

    @property
    def state(self) -> str | None:
        if self.node.resource_type == "source":
            result = self.freshness_result
            return FRESHNESS_STATUSES.get(result.status, "Unknown") if result else None
        status: str | None = self._execution("status")
        return status

    @property
    def error(self) -> str | None:
        if self.execution is None or self.execution.status not in FAILED:
            return None
        return self.execution.message or None

    skip = property(lambda self: self._flag("skipped"))
    fail = property(lambda self: self._flag("fail"))
    warn = property(lambda self: self._flag("warn"))

    def _flag(self, status: str) -> bool | None:
        return self.execution.status == status if self.execution is not None else None

    thread_id = property(lambda self: opt(self._execution("thread_id") or ""))
    execution_time = property(lambda self: self._execution("execution_time"))
    compile_started_at = property(lambda self: self._execution("compile_started_at"))
    compile_completed_at = property(lambda self: self._execution("compile_completed_at"))
    execute_started_at = property(lambda self: self._execution("execute_started_at"))
    execute_completed_at = property(lambda self: self._execution("execute_completed_at"))

    @property
    def run_generated_at(self) -> datetime | None:
        if self.node.resource_type == "source":
            result = self.freshness_result
            return result.generated_at if result else None
        return self.run.generated_at if self.execution is not None else None

    @property
    def run_elapsed_time(self) -> float | None:
        if self.node.resource_type == "source":
            result = self.freshness_result
            return result.run.elapsed_time if result else None
        return self.run.elapsed_time if self.execution is not None else None

    @property
    def invocation_id(self) -> str | None:
        return self.run.invocation_id if self.execution is not None else None

    @property
    def args(self) -> str | None:
        return json.dumps(self.run.args) if self.execution is not None else None

    @property
    def run_results(self) -> list[dict[str, Any]]:
        if self.execution is None:
            return []
        return [
            {
                "args": self.args,
                "compile_completed_at": self.compile_completed_at,
                "compile_started_at": self.compile_started_at,
                "error": self.error,
                "execute_completed_at": self.execute_completed_at,
                "execute_started_at": self.execute_started_at,
                "execution_time": self.execution_time,
                "invocation_id": self.invocation_id,
                "run_elapsed_time": self.run_elapsed_time,
                "run_generated_at": self.run_generated_at,
                "skip": self.skip,
                "status": self.execution.status,
                "thread_id": self.thread_id,
            }
        ]

    # Sources: the job run's freshness check

    @property
    def freshness_result(self) -> FreshnessResult | None:
        requests = [(item.job.pks, [item.node.unique_id]) for item in self.batch.items]
        found = self.ctx.run_rows(FreshnessResult, requests)
        result: FreshnessResult | None = found.get((self.job.pks, self.node.unique_id))
        return result

    @property
    def criteria(self) -> dict[str, Any]:
        return criteria(self.node, self.freshness_result)

    freshness_checked = property(lambda self: self.freshness_result is not None)
    max_loaded_at = property(lambda self: getattr(self.freshness_result, "max_loaded_at", None))
    snapshotted_at = property(lambda self: getattr(self.freshness_result, "snapshotted_at", None))
    max_loaded_at_time_ago_in_s = property(
        lambda self: getattr(self.freshness_result, "age_seconds", None)
    )

    # Macros

    macro_sql = property(lambda self: opt(str(self.node.data.get("macro_sql") or "")))
    path = property(lambda self: opt(self.node.path))
    original_file_path = property(lambda self: opt(self.node.original_file_path))
    root_path = None

    # Metrics (dbt's semantic-layer metrics in the shape of the legacy metric node)

    calculation_method = property(lambda self: opt(str(self.node.data.get("type") or "")))
    environment_name = property(lambda self: self.ctx.environment.name)
    timestamp = None
    time_grains = None
    model = None

    @property
    def expression(self) -> str | None:
        expr = as_dict(self.node.data.get("type_params")).get("expr")
        return str(expr) if expr else None

    sql = expression

    @property
    def dimensions(self) -> list[str]:
        return []

    @property
    def filters(self) -> list[dict[str, Any]]:
        where = as_dict(self.node.data.get("filter")).get("where_filters")
        return [
            {"field": None, "operator": None, "value": str(f.get("where_sql_template") or "")}
            for f in as_list(where)
            if isinstance(f, dict)
        ]
