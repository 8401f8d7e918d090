"""`environment(id)`: the environment, its applied state and its definition state.

What each state holds, in Lantern (which keeps the latest manifest of each project and every
run's results):

- **definition**: every resource of the latest manifests, whether or not it ever ran
  (models, sources, seeds, snapshots, tests and unit tests, exposures, metrics, semantic
  models, saved queries, macros, groups).
- **applied**: what runs have applied to the warehouse. Models, seeds, snapshots, tests and
  unit tests are in it once a loaded run has executed them (whatever the outcome: a model
  whose first build failed is listed, with `lastRunStatus: error` and no success fields); an
  ephemeral model, which dbt never executes, is not. Sources and exposures are always in it
  (dbt does not build them), and so are the macros, metrics, semantic models and saved
  queries `resources` can list. Their definition fields come from the latest manifest.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db.models import Count, F, Max, Q, QuerySet
from graphql import GraphQLError

from catalog.graphql import filters
from catalog.graphql.loaders import Batch, Ctx
from catalog.graphql.objects import EnvNode, enum_value, opt
from catalog.graphql.pagination import Connection, Sort
from catalog.models import Node, Run

# Resource types that are applied by being executed; the others are applied as defined.
EXECUTED = ("model", "seed", "snapshot", "test", "unit_test")
APPLIED_TYPES = (
    *EXECUTED,
    "source",
    "exposure",
    "macro",
    "metric",
    "semantic_model",
    "saved_query",
)
NO_DATA = "There is no data available for this input"


class EnvironmentRoot:
    """The `Environment` type."""

    def __init__(self, ctx: Ctx) -> None:
        self.ctx = ctx
        self.applied = StateRoot(ctx, "applied")
        self.definition = StateRoot(ctx, "definition")

    @property
    def dbt_project_name(self) -> str | None:
        project = self.ctx.main_project
        return project.name if project else None

    @property
    def adapter_type(self) -> str | None:
        project = self.ctx.main_project
        return opt(project.adapter_type) if project else None


class StateRoot:
    """`AppliedState` or `DefinitionState`: the connections and summaries of one state."""

    def __init__(self, ctx: Ctx, state: str) -> None:
        self.ctx = ctx
        self.state = state

    def rows(self, *types: str) -> QuerySet[Node]:
        """The nodes of the state of these resource types."""
        rows = self.ctx.nodes().filter(resource_type__in=types)
        if self.state == "applied":
            rows = rows.filter(~Q(resource_type__in=EXECUTED) | Q(last_execution__isnull=False))
        return rows

    def connection(
        self,
        rows: QuerySet[Node],
        first: int | None,
        after: str | None,
        sort: Sort | None = None,
        typename: str | None = None,
    ) -> Connection:
        def make(nodes: list[Node]) -> list[Any]:
            if typename:
                return [EnvNode(n, self.ctx, Batch(nodes), typename, self.state) for n in nodes]
            return EnvNode.wrap(nodes, self.ctx, self.state, nested=False)

        return Connection(rows, first=first, after=after, make=make, sort=sort)

    # ----------------------------------------------------------------------------------------
    # Connections

    def models(
        self,
        first: int | None = None,
        after: str | None = None,
        filter: Any = None,
        sort: Any = None,
    ) -> Connection:
        rows = filters.models(self.rows("model"), filter)
        return self.connection(rows, first, after, model_sort(sort))

    def sources(
        self, first: int | None = None, after: str | None = None, filter: Any = None
    ) -> Connection:
        return self.connection(filters.sources(self.rows("source"), filter), first, after)

    def seeds(
        self, first: int | None = None, after: str | None = None, filter: Any = None
    ) -> Connection:
        return self.connection(filters.common(self.rows("seed"), filter), first, after)

    def snapshots(
        self, first: int | None = None, after: str | None = None, filter: Any = None
    ) -> Connection:
        return self.connection(filters.common(self.rows("snapshot"), filter), first, after)

    def tests(
        self, first: int | None = None, after: str | None = None, filter: Any = None
    ) -> Connection:
        rows = filters.tests(self.rows("test", "unit_test"), filter)
        return self.connection(rows, first, after)

    def exposures(
        self, first: int | None = None, after: str | None = None, filter: Any = None
    ) -> Connection:
        return self.connection(filters.exposures(self.rows("exposure"), filter), first, after)

    def metrics(
        self, first: int | None = None, after: str | None = None, filter: Any = None
    ) -> Connection:
        return self.connection(filters.common(self.rows("metric"), filter), first, after)

    def semantic_models(
        self, first: int | None = None, after: str | None = None, filter: Any = None
    ) -> Connection:
        return self.connection(filters.common(self.rows("semantic_model"), filter), first, after)

    def saved_queries(
        self, first: int | None = None, after: str | None = None, filter: Any = None
    ) -> Connection:
        return self.connection(filters.common(self.rows("saved_query"), filter), first, after)

    def macros(
        self, first: int | None = None, after: str | None = None, filter: Any = None
    ) -> Connection:
        return self.connection(filters.macros(self.rows("macro"), filter), first, after)

    def groups(
        self, first: int | None = None, after: str | None = None, filter: Any = None
    ) -> Connection:
        return self.connection(filters.common(self.rows("group"), filter), first, after)

    def resources(
        self, filter: Any, first: int | None = None, after: str | None = None
    ) -> Connection:
        types = filters.resource_types(filter.types)
        allowed = APPLIED_TYPES if self.state == "applied" else (*APPLIED_TYPES, "group")
        rows = filters.common(self.rows(*[t for t in types if t in allowed]), filter)
        return self.connection(rows, first, after)

    # ----------------------------------------------------------------------------------------
    # Lineage and history (catalog.graphql.dag, catalog.graphql.runs)

    def lineage(self, filter: Any) -> list[Any]:
        from catalog.graphql.dag import lineage

        return lineage(self.ctx, filter)

    def model_historical_runs(
        self,
        identifier: str | None = None,
        last_run_count: int = 1,
        unique_id: str | None = None,
        with_catalog: bool = False,
    ) -> list[Any]:
        from catalog.graphql.runs import model_history

        return model_history(
            self.ctx,
            unique_id=unique_id,
            identifier=identifier,
            count=last_run_count,
            with_catalog=with_catalog,
        )

    def exposure_tile(self, filter: Any) -> EnvNode | None:
        """An exposure with the health of what it depends on. Lantern knows no BI tool, so
        only `uniqueId` can find one."""
        if not filter.unique_id:
            return None
        rows = list(self.rows("exposure").filter(unique_id=filter.unique_id).order_by("-pk")[:1])
        if not rows:
            return None
        return EnvNode(rows[0], self.ctx, Batch(rows), "ExposureTileNode", self.state)

    # ----------------------------------------------------------------------------------------
    # Summaries

    def owners(self, resource: Any) -> list[dict[str, str]]:
        rows = self.rows(str(enum_value(resource)))
        owners = {
            (name, email)
            for name, email in rows.values_list("owner_name", "owner_email").distinct().order_by()
            if name or email
        }
        return [{"name": name, "email": email} for name, email in sorted(owners)]

    def packages(self, resource: Any) -> list[str]:
        rows = self.rows(str(enum_value(resource))).exclude(package_name="")
        return sorted(set(rows.values_list("package_name", flat=True).distinct().order_by()))

    @property
    def tags(self) -> list[dict[str, str]]:
        types = APPLIED_TYPES if self.state == "applied" else [*APPLIED_TYPES, "group"]
        found: set[str] = set()
        for tags in self.rows(*types).exclude(tags=[]).values_list("tags", flat=True):
            found.update(t for t in tags if isinstance(t, str))
        return [{"name": tag} for tag in sorted(found)]

    @property
    def resource_counts(self) -> dict[str, int]:
        if self.state == "applied":
            rows = self.rows(*APPLIED_TYPES)
        else:
            rows = self.ctx.nodes()
        counts = rows.values_list("resource_type").annotate(n=Count("id")).order_by()
        return dict(sorted(counts))

    @property
    def last_updated_at(self) -> datetime | None:
        """Applied: the latest run loaded; definition: the latest manifest."""
        if self.state == "applied":
            runs = Run.objects.filter(environment=self.ctx.environment)
            latest: datetime | None = runs.aggregate(latest=Max("generated_at"))["latest"]
            return latest
        times = [p.manifest_generated_at for p in self.ctx.projects.values()]
        return max((t for t in times if t), default=None)

    @property
    def latest_git_sha(self) -> str | None:
        project = self.ctx.main_project
        return opt(project.latest_git_sha) if project else None


def model_sort(sort: Any) -> Sort | None:
    """AppliedModelSort as a Sort. Lantern has no query usage, so queryUsageCount sorts as
    uniqueId does."""
    if sort is None:
        return None
    field = str(enum_value(sort.field))
    desc = enum_value(sort.direction) == "desc"
    if field == "executeCompletedAt":
        return Sort(field, F("last_success_execution__execute_completed_at"), desc=desc)
    if field == "rowCount":
        return Sort(field, F("catalog_rows"), desc=desc)
    if field == "queryUsageCount":
        return Sort()
    return Sort("uniqueId", desc=desc)


def environment_ctx(environment_id: Any) -> Ctx:
    """The request context of an environment id, or the Discovery API's no-data error."""
    from catalog.models import Environment

    try:
        pk = int(environment_id)
        if not 0 < pk < 2**63:  # a BigInt the database could not even compare
            raise ValueError(pk)
        environment = Environment.objects.get(pk=pk)
    except (Environment.DoesNotExist, ValueError, TypeError):
        raise GraphQLError(NO_DATA) from None
    return Ctx(environment)
