"""Per-request state of a Discovery API query, and the batch loaders that keep its SQL flat.

Batching design (STYLE.md §3.6): **per-request loaders that load a whole list's related rows on
first access**, with no extra dependency and no custom execution context (so the transport
may run the schema with graphene-django's plain GraphQLView, and tests with
`schema.execute`).

- The root resolver (`environment(id)`, `job(id)`, a legacy root) creates one `Ctx` for the
  request: the environment, its projects, and every cache below. Every object a resolver
  returns carries the `Ctx` down the tree, so nothing depends on `info.context`.
- Every list of nodes a resolver returns (a page of a connection, a job-level list, or all the
  parents of all the nodes of a page) is one `Batch`: the nodes are *siblings*.
- The first time a field needs related rows for one node (its columns, its latest executions,
  its parents, its tests, its ancestors, ...), the loader fetches them for every sibling of its
  batch that lacks them, in one query, and caches them for the request. The other siblings
  then answer from the cache.

So a request costs one query per *level of nesting and kind of related row*, whatever
`first` is: `models(first: 500) { parents { executionInfo } }` is the page, then the edges of
its 500 models, their parents' rows, then those parents' executions - four queries, as for
`first: 1`. tests/catalog/graphql/test_query_counts.py pins the counts of representative
queries.

Id lists go to the database as one JSON or array parameter (`among`), never as one parameter
per id: SQLite refuses more than 32,766 parameters and PostgreSQL more than 65,535, and a
chunked IN would make the number of queries grow with the page.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from datetime import datetime
from typing import Any, TypeVar

import orjson
from django.db import connection
from django.db.models import F, Q, QuerySet, TextField
from django.db.models.expressions import RawSQL
from django.db.models.functions import Cast

from catalog.models import Column, Edge, Environment, Execution, FreshnessResult, Node, Project, Run
from lineage.graph import Dag
from lineage.queries import dag_get

TEST_TYPES = ("test", "unit_test")
# Nested node types show no code, config, meta, tags or catalog: their rows come without.
CODE_FIELDS = ("raw_code", "compiled_code", "config", "meta", "tags", "catalog_stats")
EXECUTION_UNREAD = ("adapter_response", "data", "run__args", "run__status_counts")


def among(field: str, values: Iterable[Any]) -> Q:
    """`field IN values` with `values` sent as one parameter, whatever their number. Fields
    named `id` or `<something>_id` (but unique_id) hold row ids; the others text."""
    items = list(values)
    if connection.vendor == "postgresql":
        ids = field == "id" or (field.endswith("_id") and not field.endswith("unique_id"))
        cast = "bigint[]" if ids else "text[]"
        return Q(**{f"{field}__in": RawSQL(f"SELECT unnest(%s::{cast})", (items,))})
    return Q(**{f"{field}__in": RawSQL("SELECT value FROM json_each(%s)", (json.dumps(items),))})


def job_id_of(run: Run) -> int:
    """The job of a run: dbt Cloud's when known, else one job per environment (its id)."""
    return run.job_id if run.job_id is not None else run.environment_id


def run_id_of(run: Run) -> int:
    """The id of a run: dbt Cloud's when known, else Lantern's own."""
    return run.run_id if run.run_id is not None else run.pk


def prefer(nodes: Iterable[Node], projects: dict[int, Project]) -> dict[str, Node]:
    """One node per unique_id: several projects of an environment may hold the same id (a
    package installed twice, another project's stand-in); the copy in the project it belongs
    to wins, then the newest row."""

    def own(node: Node) -> bool:
        project = projects.get(node.project_id)
        return project is not None and node.package_name == project.name

    found: dict[str, Node] = {}
    for node in sorted(nodes, key=lambda n: -n.pk):
        current = found.get(node.unique_id)
        if current is None or (own(node) and not own(current)):
            found[node.unique_id] = node
    return found


class Batch:
    """Sibling nodes: the rows of one list, whose related rows load together; `waves` holds
    the batches of their nested nodes by kind (Ctx.wave)."""

    __slots__ = ("nodes", "waves")

    def __init__(self, nodes: Iterable[Node] = ()) -> None:
        self.nodes = list(nodes)
        self.waves: dict[str, Batch] = {}


B = TypeVar("B", bound=Batch)


class Ctx:
    """One request: the environment and the caches of its loaders."""

    def __init__(self, environment: Environment) -> None:
        self.environment = environment
        self.account_id = environment.dbt_account_id or 0
        self.projects = {p.pk: p for p in Project.objects.filter(environment=environment)}
        self._dag: Dag | None = None
        self._executions: dict[int, Execution | None] = {}
        self._freshness: dict[int, FreshnessResult | None] = {}
        self._columns: dict[int, list[dict[str, Any]]] = {}
        self._parents: dict[int, list[str]] = {}
        self._macros: dict[int, list[str]] = {}
        self._children: dict[str, list[Node]] = {}
        self._tests: dict[str, list[Node]] = {}
        self._by_uid: dict[str, Node | None] = {}
        self._full_by_uid: dict[str, Node | None] = {}
        self._run_rows: dict[str, dict[tuple[tuple[int, ...], str], Any]] = {}
        self._ancestors: dict[tuple[int, tuple[str, ...]], list[str]] = {}
        self._versions: dict[tuple[int, str], list[Node]] = {}
        self._members: dict[str, list[Node]] = {}
        self._packages: list[str] | None = None
        self._definition_runs: dict[int, Run | None] | None = None
        self._health: dict[str, Health] = {}

    # ----------------------------------------------------------------------------------------
    # The environment

    @property
    def main_project(self) -> Project | None:
        """The project the environment stands for: the one loaded last."""
        if not self.projects:
            return None
        return max(
            self.projects.values(),
            key=lambda p: (p.loaded_at is not None, p.loaded_at or 0, p.pk),
        )

    def project_id(self, project_pk: int) -> int:
        project = self.projects.get(project_pk)
        if project is not None and project.dbt_cloud_project_id is not None:
            return project.dbt_cloud_project_id
        return project_pk

    @property
    def dag(self) -> Dag:
        """The environment's lineage DAG (cached per load, in the process)."""
        if self._dag is None:
            self._dag = dag_get(self.environment)
        return self._dag

    def nodes(self) -> QuerySet[Node]:
        return Node.objects.filter(environment=self.environment)

    def packages(self) -> list[str]:
        """Packages the environment's projects use, besides the projects themselves."""
        if self._packages is None:
            own = {p.name for p in self.projects.values()}
            found = self.nodes().values_list("package_name", flat=True).distinct().order_by()
            self._packages = sorted({p for p in found if p and p not in own})
        return self._packages

    def definition_run(self, project_pk: int) -> Run | None:
        """The run whose invocation wrote the project's manifest, when Lantern holds it
        (`dbt build` writes both; `dbt docs generate` writes no run results)."""
        if self._definition_runs is None:
            invocations = {
                p.manifest_invocation_id: p.pk
                for p in self.projects.values()
                if p.manifest_invocation_id
            }
            runs = Run.objects.filter(
                environment=self.environment,
                kind=Run.Kind.RESULTS,
                invocation_id__in=list(invocations),
            )
            self._definition_runs = dict.fromkeys(self.projects)
            for run in runs:
                self._definition_runs[invocations[run.invocation_id]] = run
        return self._definition_runs.get(project_pk)

    # ----------------------------------------------------------------------------------------
    # Rows of the history, by id

    def execution(self, batch: Batch, execution_id: int | None) -> Execution | None:
        """An execution (with its run) that a node of `batch` points at."""
        if execution_id is None:
            return None
        if execution_id not in self._executions:
            wanted = {
                i
                for n in batch.nodes
                for i in (n.last_execution_id, n.last_success_execution_id)
                if i is not None and i not in self._executions
            }
            wanted.add(execution_id)
            # Execution info reads neither adapter responses nor the run's arguments.
            found = (
                Execution.objects.filter(among("id", wanted))
                .select_related("run")
                .defer(*EXECUTION_UNREAD)
            )
            self._executions.update(dict.fromkeys(wanted))
            self._executions.update((e.pk, e) for e in found)
        return self._executions[execution_id]

    def freshness(self, batch: Batch, result_id: int | None) -> FreshnessResult | None:
        if result_id is None:
            return None
        if result_id not in self._freshness:
            wanted = {
                n.last_freshness_id
                for n in batch.nodes
                if n.last_freshness_id is not None and n.last_freshness_id not in self._freshness
            }
            wanted.add(result_id)
            found = FreshnessResult.objects.filter(among("id", wanted)).select_related("run")
            self._freshness.update(dict.fromkeys(wanted))
            self._freshness.update((f.pk, f) for f in found)
        return self._freshness[result_id]

    def catalog_columns(self, batch: Batch, node: Node) -> list[dict[str, Any]]:
        """The columns the warehouse reported (catalog.json) as CatalogColumn values, in its
        order, with their documentation. Read as plain rows, JSON as text parsed once per
        distinct text: most tag lists and metas are empty, and a page of 500 models has
        thousands of columns."""
        if node.pk not in self._columns:
            wanted = {n.pk for n in batch.nodes if n.pk not in self._columns} | {node.pk}
            rows = (
                Column.objects.filter(among("node_id", wanted), in_warehouse=True)
                .annotate(tags_json=Cast("tags", TextField()), meta_json=Cast("meta", TextField()))
                .order_by("node_id", F("warehouse_index").asc(nulls_last=True), "position")
                .values_list(
                    "node_id",
                    "name",
                    "description",
                    "warehouse_type",
                    "data_type",
                    "warehouse_index",
                    "warehouse_comment",
                    "tags_json",
                    "meta_json",
                )
            )
            parsed: dict[str, Any] = {}

            def json_value(text: str | None) -> Any:
                if text is None:
                    return None
                if text not in parsed:
                    parsed[text] = orjson.loads(text)
                return parsed[text]

            grouped: dict[int, list[dict[str, Any]]] = defaultdict(list)
            for node_id, name, description, kind, declared, index, comment, tags, meta in rows:
                grouped[node_id].append(
                    {
                        "comment": comment or None,
                        "description": description or None,
                        "index": index,
                        "meta": json_value(meta),
                        "name": name,
                        "tags": json_value(tags) or [],
                        "type": kind or declared or None,
                    }
                )
            for pk in wanted:
                self._columns[pk] = grouped.get(pk, [])
        return self._columns[node.pk]

    # ----------------------------------------------------------------------------------------
    # Lineage: unique_ids from the edge table or the DAG, then nodes by unique_id

    def parent_ids(self, batch: Batch, node: Node) -> list[str]:
        """What the node depends on (dbt's depends_on.nodes), in unique_id order."""
        if node.pk not in self._parents:
            wanted = {n.pk for n in batch.nodes if n.pk not in self._parents} | {node.pk}
            grouped: dict[int, set[str]] = defaultdict(set)
            edges = Edge.objects.filter(among("child_id", wanted), kind=Edge.Kind.NODE)
            for child, parent in edges.values_list("child_id", "parent_unique_id"):
                grouped[child].add(parent)
            for pk in wanted:
                self._parents[pk] = sorted(grouped.get(pk, ()))
        return self._parents[node.pk]

    def macro_ids(self, batch: Batch, node: Node) -> list[str]:
        """The macros the node calls (dbt's depends_on.macros)."""
        if node.pk not in self._macros:
            wanted = {n.pk for n in batch.nodes if n.pk not in self._macros} | {node.pk}
            grouped: dict[int, set[str]] = defaultdict(set)
            edges = Edge.objects.filter(among("child_id", wanted), kind=Edge.Kind.MACRO)
            for child, parent in edges.values_list("child_id", "parent_unique_id"):
                grouped[child].add(parent)
            for pk in wanted:
                self._macros[pk] = sorted(grouped.get(pk, ()))
        return self._macros[node.pk]

    def children(self, batch: Batch, node: Node) -> list[Node]:
        """Nodes that depend on the node (dbt's child_map), in unique_id order."""
        if node.unique_id not in self._children:
            wanted = {n.unique_id for n in batch.nodes if n.unique_id not in self._children}
            wanted.add(node.unique_id)
            pairs = list(
                Edge.objects.filter(
                    among("parent_unique_id", wanted),
                    environment=self.environment,
                    kind=Edge.Kind.NODE,
                ).values_list("parent_unique_id", "child_id")
            )
            rows = Node.objects.filter(among("id", {child for _, child in pairs})).defer(
                *CODE_FIELDS
            )
            by_pk = {n.pk: n for n in rows}
            grouped: dict[str, dict[str, Node]] = defaultdict(dict)
            for parent, child in pairs:
                found = by_pk.get(child)
                if found is not None:
                    grouped[parent].setdefault(found.unique_id, found)
            for uid in wanted:
                self._children[uid] = sorted(grouped[uid].values(), key=lambda n: n.unique_id)
        return self._children[node.unique_id]

    def tests(self, batch: Batch, node: Node) -> list[Node]:
        """Data and unit tests attached to the node, in unique_id order."""
        if node.unique_id not in self._tests:
            wanted = {n.unique_id for n in batch.nodes if n.unique_id not in self._tests}
            wanted.add(node.unique_id)
            rows = (
                self.nodes()
                .filter(among("tested_unique_id", wanted), resource_type__in=TEST_TYPES)
                .defer(*CODE_FIELDS)
            )
            grouped: dict[str, dict[str, Node]] = defaultdict(dict)
            for test in sorted(rows, key=lambda n: -n.pk):
                grouped[test.tested_unique_id].setdefault(test.unique_id, test)
            for uid in wanted:
                self._tests[uid] = sorted(grouped[uid].values(), key=lambda n: n.unique_id)
        return self._tests[node.unique_id]

    def ancestor_ids(self, batch: Batch, node: Node, types: tuple[str, ...]) -> list[str]:
        """Every node upstream of the node whose resource type is in `types`, from the DAG
        (macros: those that the node or any of its ancestors call)."""
        key = (node.pk, types)
        if key not in self._ancestors:
            dag = self.dag
            siblings = [n for n in batch.nodes if (n.pk, types) not in self._ancestors]
            if node not in siblings:
                siblings.append(node)
            upstream = {n.pk: dag.upstream([n.unique_id]) for n in siblings}
            macros: dict[str, set[str]] = defaultdict(set)
            if "macro" in types:
                ids = set().union(*upstream.values()) | {n.unique_id for n in siblings}
                edges = Edge.objects.filter(
                    among("child_unique_id", ids),
                    environment=self.environment,
                    kind=Edge.Kind.MACRO,
                ).values_list("child_unique_id", "parent_unique_id")
                for child, macro in edges:
                    macros[child].add(macro)
            infos = dag.infos
            for sibling in siblings:
                found = {uid for uid in upstream[sibling.pk] if infos[uid].resource_type in types}
                for uid in upstream[sibling.pk] | {sibling.unique_id}:
                    found |= macros.get(uid, set())
                self._ancestors[(sibling.pk, types)] = sorted(found)
        return self._ancestors[key]

    def by_uid(self, uids: Iterable[str], *, code: bool = False) -> dict[str, Node]:
        """Nodes of the environment by unique_id, loaded once per request; without their code
        unless `code` (job-level nodes show it, nested environment nodes do not)."""
        cache = self._full_by_uid if code else self._by_uid
        uids = set(uids)
        wanted = {uid for uid in uids if uid not in cache}
        if wanted:
            rows = self.nodes().filter(among("unique_id", wanted))
            if not code:
                rows = rows.defer(*CODE_FIELDS)
            found = prefer(rows, self.projects)
            for uid in wanted:
                cache[uid] = found.get(uid)
        return {uid: n for uid in uids if (n := cache.get(uid)) is not None}

    def run_rows(
        self,
        model: type[Execution] | type[FreshnessResult],
        requests: Iterable[tuple[tuple[int, ...], Iterable[str]]],
    ) -> dict[tuple[tuple[int, ...], str], Any]:
        """Executions (or freshness results) by (runs, unique_id): for each request (the Run
        pks of one job run, unique_ids), the row of each unique_id in those runs - the
        latest, when several steps of the run have one. One query for all the requests."""
        cache = self._run_rows.setdefault(model.__name__, {})
        asked = [(runs, uid) for runs, uids in requests for uid in uids]
        missing = [key for key in asked if key not in cache]
        if missing:
            found = model.objects.filter(
                among("unique_id", {uid for _, uid in missing}),
                among("run_id", {run for runs, _ in missing for run in runs}),
            )
            latest: dict[tuple[int, str], Any] = {}
            for row in found.select_related("run").order_by("generated_at", "id"):
                latest[(row.run_id, row.unique_id)] = row
            for runs, uid in missing:
                candidates = [r for run in runs if (r := latest.get((run, uid))) is not None]
                cache[(runs, uid)] = max(
                    candidates, key=lambda r: (r.generated_at, r.pk), default=None
                )
        return {key: row for key in asked if (row := cache[key]) is not None}

    def wave(self, kind: str, batch: Batch, load: Callable[[], B]) -> B:
        """The batch of nested nodes `kind` (parents, tests, ...) of all the siblings of
        `batch`, made once by `load`: their own related rows then load together too. Kept on
        the batch itself: a batch freed during the request may leave its id() to another."""
        wave = batch.waves.get(kind)
        if wave is None:
            wave = batch.waves[kind] = load()
        return wave  # type: ignore[return-value]

    def versions(self, batch: Batch, node: Node) -> list[Node]:
        """Every version of a versioned model (name, package), newest first."""
        key = (node.project_id, node.name)
        if key not in self._versions:
            wanted = {
                (n.project_id, n.name)
                for n in batch.nodes
                if n.version and (n.project_id, n.name) not in self._versions
            }
            wanted.add(key)
            rows = (
                self.nodes()
                .filter(among("name", {name for _, name in wanted}), resource_type="model")
                .exclude(version="")
                .only("id", "project_id", "name", "unique_id", "version", "latest_version")
            )
            grouped: dict[tuple[int, str], list[Node]] = defaultdict(list)
            for row in rows:
                grouped[(row.project_id, row.name)].append(row)
            for k in wanted:
                self._versions[k] = sorted(grouped.get(k, []), key=lambda n: n.unique_id)
        return self._versions[key]

    def group_members(self, batch: Batch, node: Node) -> list[Node]:
        """The models of a group node."""
        if node.name not in self._members:
            wanted = {n.name for n in batch.nodes if n.name not in self._members}
            wanted.add(node.name)
            rows = (
                self.nodes()
                .filter(among("group_name", wanted), resource_type="model")
                .defer(*CODE_FIELDS)
            )
            grouped: dict[str, list[Node]] = defaultdict(list)
            for row in rows:
                grouped[row.group_name].append(row)
            for name in wanted:
                self._members[name] = sorted(grouped.get(name, []), key=lambda n: n.unique_id)
        return self._members[node.name]

    def upstream_health(self, item: Any) -> Health:
        """The health of what is upstream of an exposure (`item`: an EnvNode), for all the
        exposures of its batch at once: one query for the freshness of their sources."""
        node: Node = item.node
        if node.unique_id not in self._health:
            dag = self.dag
            siblings = {n.unique_id for n in item.batch.nodes if n.unique_id not in self._health}
            siblings.add(node.unique_id)
            upstream = {uid: dag.upstream([uid]) for uid in siblings}
            sources = {
                uid
                for found in upstream.values()
                for uid in found
                if dag.infos[uid].resource_type == "source" and not dag.infos[uid].placeholder
            }
            rows = (
                self.nodes()
                .filter(among("unique_id", sources), resource_type="source")
                .select_related("last_freshness")
                .only("unique_id", "last_freshness")
            )
            freshness: dict[str, FreshnessResult | None] = dict.fromkeys(sources)
            freshness.update((row.unique_id, row.last_freshness) for row in rows)
            for uid in siblings:
                self._health[uid] = health_of(upstream[uid], dag, freshness)
        return self._health[node.unique_id]


class Health:
    """What is upstream of an exposure, and how it is doing (ExposureTileNode)."""

    __slots__ = ("freshness_status", "quality", "health_issues", "max_snapshotted_at", "stats")

    def __init__(
        self,
        freshness_status: str | None,
        quality: str,
        health_issues: list[str],
        max_snapshotted_at: datetime | None,
        stats: dict[str, dict[str, int]],
    ) -> None:
        self.freshness_status = freshness_status
        self.quality = quality
        self.health_issues = health_issues
        self.max_snapshotted_at = max_snapshotted_at
        self.stats = stats


def health_of(upstream: set[str], dag: Dag, freshness: dict[str, FreshnessResult | None]) -> Health:
    """An exposure's health from its upstream nodes: model runs and their tests (statuses
    from the DAG) and source freshness (`freshness`: source unique_id -> latest check)."""
    infos = dag.infos
    stats: dict[str, Counter[str]] = defaultdict(Counter)
    models = [uid for uid in upstream if infos[uid].resource_type == "model"]
    for uid in upstream:
        info = infos[uid]
        if not info.placeholder and not info.is_test:
            stats[info.resource_type][info.status or "none"] += 1
    tests = [infos[t].status for t in dag.tests_of(models)]
    stats["test"].update(s or "none" for s in tests)
    issues: list[str] = []
    if any(infos[m].status == "error" for m in models):
        issues.append("LastRunFailedUpstreamModels")
    failed = any(s in ("fail", "error") for s in tests)
    warned = any(s == "warn" for s in tests)
    if failed:
        issues.append("FailedTestUpstreamModels")
    if warned:
        issues.append("WarnedTestUpstreamModels")
    checks = [r for uid, r in freshness.items() if uid in upstream]
    statuses = {r.status for r in checks if r is not None}
    if statuses & {"error", "runtime error"}:
        issues.append("DegradedUpstreamSources")
    if "warn" in statuses:
        issues.append("CautionUpstreamSources")
    if not checks:
        freshness_status = None
    elif statuses & {"error", "runtime error"}:
        freshness_status = "Error"
    elif "warn" in statuses:
        freshness_status = "Warn"
    elif statuses and all(r is not None for r in checks):
        freshness_status = "Pass"
    else:
        freshness_status = "Unknown"
    if failed:
        quality = "Error"
    elif warned:
        quality = "Warn"
    elif tests and all(s == "pass" for s in tests):
        quality = "Pass"
    else:
        quality = "Unknown"
    snapshotted = [r.snapshotted_at for r in checks if r is not None and r.snapshotted_at]
    return Health(
        freshness_status,
        quality,
        issues,
        max(snapshotted) if snapshotted else None,
        {kind: dict(counts) for kind, counts in sorted(stats.items())},
    )
