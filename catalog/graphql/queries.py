"""The root types: Environment, AppliedState, DefinitionState and the catalog's root fields.

`CatalogQueries` holds the root fields; lantern/schema.py composes it into `Query`. Each
root field makes the request's context (catalog.graphql.loaders.Ctx) and hands it down.
"""

from __future__ import annotations

from typing import Any

import graphene

from catalog.graphql import filters
from catalog.graphql.enums import OwnerResourceType, PackageResourceType
from catalog.graphql.runs import JobRoot, RunNode, job_get, model_history
from catalog.graphql.scalars import BigInt, DateTime, JSONObject
from catalog.graphql.states import EnvironmentRoot, environment_ctx
from catalog.graphql.types import connections as c
from catalog.graphql.types.applied import ExposureTileNode
from catalog.graphql.types.base import ObjectType
from catalog.graphql.types.common import ExposureOwner, Tag
from catalog.graphql.types.interfaces import LineageNode
from catalog.graphql.types.jobs import (
    ExposureNode,
    JobNode,
    MacroNode,
    MetricNode,
    ModelNode,
    SeedNode,
    SnapshotNode,
    SourceNode,
    TestNode,
)

PAGE = "At most this many nodes: 500 when omitted, and a larger number counts as 500"
AFTER = "The nodes after this cursor (a previous page's endCursor)"


def paged(node: Any, description: str, filter_type: Any = None, **more: Any) -> graphene.Field:
    """A connection field with `first`, `after` and (when given) `filter`."""
    args: dict[str, Any] = {
        "first": graphene.Argument(graphene.Int, description=PAGE),
        "after": graphene.Argument(graphene.String, description=AFTER),
    }
    if filter_type is not None:
        args["filter"] = graphene.Argument(filter_type, description="Which nodes to list")
    args.update(more)
    return graphene.Field(node, required=True, args=args, description=description)


def lineage_field() -> graphene.List:
    return graphene.List(
        graphene.NonNull(LineageNode),
        required=True,
        args={
            "filter": graphene.Argument(
                filters.LineageFilter, required=True, description="Which nodes to list"
            )
        },
        description=(
            "The lineage nodes the filter picks, each with its parents' ids: the whole graph of "
            "a selector in one list (not paged)"
        ),
    )


def packages_field() -> graphene.List:
    return graphene.List(
        graphene.NonNull(graphene.String),
        required=True,
        args={
            "resource": graphene.Argument(
                PackageResourceType, required=True, description="Models or macros"
            )
        },
        description="The packages that define the models (or macros) of the state",
    )


def resources_filter(filter_type: Any) -> graphene.Argument:
    return graphene.Argument(filter_type, required=True, description="Which resources to list")


class AppliedState(ObjectType):
    class Meta:
        description = (
            "What runs have applied to the warehouse, with execution, catalog and freshness"
        )

    models = paged(
        c.ModelAppliedStateNodeConnection,
        "The models runs have executed",
        filters.ModelAppliedFilter,
        sort=graphene.Argument(filters.AppliedModelSort, description="The order of the models"),
    )
    sources = paged(c.SourceAppliedStateNodeConnection, "The sources", filters.SourceAppliedFilter)
    seeds = paged(
        c.SeedAppliedStateNodeConnection,
        "The seeds runs have executed",
        filters.GenericMaterializedFilter,
    )
    snapshots = paged(
        c.SnapshotAppliedStateNodeConnection,
        "The snapshots runs have executed",
        filters.GenericMaterializedFilter,
    )
    tests = paged(
        c.TestAppliedStateNodeConnection,
        "The data tests and unit tests runs have executed",
        filters.TestAppliedFilter,
    )
    exposures = paged(c.ExposureAppliedStateNodeConnection, "The exposures", filters.ExposureFilter)
    resources = paged(
        c.EnvironmentAppliedNodeConnection,
        "Applied resources of several types in one list",
        filter=resources_filter(filters.AppliedResourcesFilter),
    )
    lineage = lineage_field()
    model_historical_runs = graphene.List(
        graphene.NonNull(ModelNode),
        required=True,
        args={
            "identifier": graphene.Argument(
                graphene.String, description="The model's relation name, if no uniqueId"
            ),
            "last_run_count": graphene.Argument(
                graphene.Int, default_value=1, description="How many runs (at most 20)"
            ),
            "unique_id": graphene.Argument(graphene.String, description="The model's unique id"),
            "with_catalog": graphene.Argument(
                graphene.Boolean, default_value=False, description="Whether to fill columns/stats"
            ),
        },
        description="A model's latest executions across every job of the environment, newest first",
    )
    exposure_tile = graphene.Field(
        ExposureTileNode,
        args={
            "filter": graphene.Argument(
                filters.ExposureTileFilter, required=True, description="Which exposure"
            )
        },
        description="An exposure with the health of what it depends on",
    )
    owners = graphene.List(
        graphene.NonNull(ExposureOwner),
        required=True,
        args={
            "resource": graphene.Argument(
                OwnerResourceType, required=True, description="Exposures or groups"
            )
        },
        description="The owners of the exposures (or groups)",
    )
    packages = packages_field()
    tags = graphene.List(
        graphene.NonNull(Tag), required=True, description="The tags of the applied nodes"
    )
    resource_counts = JSONObject(description="The number of applied resources by resource type")
    last_updated_at = DateTime(description="When the latest run loaded was generated")
    latest_git_sha = graphene.String(description="The git commit of the latest load, when known")


class DefinitionState(ObjectType):
    class Meta:
        description = "What the latest manifests define, run or not"

    models = paged(c.ModelDefinitionNodeConnection, "The models", filters.ModelDefinitionFilter)
    sources = paged(c.SourceDefinitionNodeConnection, "The sources", filters.SourceDefinitionFilter)
    seeds = paged(c.SeedDefinitionNodeConnection, "The seeds", filters.GenericMaterializedFilter)
    snapshots = paged(
        c.SnapshotDefinitionNodeConnection, "The snapshots", filters.GenericMaterializedFilter
    )
    tests = paged(
        c.TestDefinitionNodeConnection,
        "The data tests and unit tests",
        filters.TestDefinitionFilter,
    )
    exposures = paged(c.ExposureDefinitionNodeConnection, "The exposures", filters.ExposureFilter)
    metrics = paged(
        c.MetricDefinitionNodeConnection, "The metrics", filters.GenericMaterializedFilter
    )
    semantic_models = paged(
        c.SemanticModelDefinitionNodeConnection,
        "The semantic models",
        filters.GenericMaterializedFilter,
    )
    saved_queries = paged(
        c.SavedQueryDefinitionNodeConnection,
        "The saved queries",
        filters.GenericMaterializedFilter,
    )
    macros = paged(c.MacroDefinitionNodeConnection, "The macros", filters.MacroDefinitionFilter)
    groups = paged(c.GroupNodeConnection, "The groups", filters.GroupFilter)
    resources = paged(
        c.EnvironmentDefinitionNodeConnection,
        "Resources of several types in one list",
        filter=resources_filter(filters.DefinitionResourcesFilter),
    )
    lineage = lineage_field()
    packages = packages_field()
    tags = graphene.List(graphene.NonNull(Tag), required=True, description="The tags in use")
    resource_counts = JSONObject(description="The number of resources by resource type")
    last_updated_at = DateTime(description="When the latest manifest was generated")


class Environment(ObjectType):
    class Meta:
        description = "A Lantern environment (its id stands for a dbt Cloud environment id)"

    dbt_project_name = graphene.String(description="The name of the environment's dbt project")
    adapter_type = graphene.String(
        description="The adapter of the environment's warehouse: snowflake, bigquery, duckdb, ..."
    )
    applied = graphene.Field(AppliedState, description="What runs have applied to the warehouse")
    definition = graphene.Field(DefinitionState, description="What the latest manifests define")


def _legacy(node: Any, description: str, *, relation: bool = False) -> graphene.List:
    args: dict[str, Any] = {
        "job_id": graphene.Argument(graphene.Int, required=True, description="The job id"),
        "run_id": graphene.Argument(graphene.Int, description="The run id (default: latest)"),
    }
    if relation:
        for name in ("database", "schema", "identifier"):
            args[name] = graphene.Argument(graphene.String, description=f"Only this {name}")
    return graphene.List(
        graphene.NonNull(node),
        required=True,
        args=args,
        description=f"{description} (deprecated: job(id, runId))",
    )


def _legacy_one(node: Any, description: str, key: str = "unique_id") -> graphene.Field:
    return graphene.Field(
        node,
        args={
            "job_id": graphene.Argument(graphene.Int, required=True, description="The job id"),
            "run_id": graphene.Argument(graphene.Int, description="The run id (default: latest)"),
            key: graphene.Argument(graphene.String, required=True, description=f"The {key}"),
        },
        description=f"{description} (deprecated: job(id, runId))",
    )


def _job_list(field: str, job_id: int, run_id: int | None, **args: Any) -> list[RunNode]:
    job = job_get(job_id, run_id)
    found: list[RunNode] = getattr(job, field)(**args) if job is not None else []
    return found


def _job_one(field: str, job_id: int, run_id: int | None, **args: Any) -> RunNode | None:
    job = job_get(job_id, run_id)
    found: RunNode | None = getattr(job, field)(**args) if job is not None else None
    return found


class CatalogQueries(ObjectType):
    """The catalog's root fields: the environment, the job level and the deprecated roots."""

    class Meta:
        abstract = True

    environment = graphene.Field(
        Environment,
        required=True,
        args={"id": graphene.Argument(BigInt, required=True, description="The environment id")},
        description="An environment: its applied and definition states",
    )
    job = graphene.Field(
        JobNode,
        args={
            "id": graphene.Argument(BigInt, required=True, description="The job id"),
            "run_id": graphene.Argument(BigInt, description="The run id (default: the latest)"),
        },
        description="A run of a job, and what it saw",
    )
    model_by_environment = graphene.List(
        graphene.NonNull(ModelNode),
        required=True,
        args={
            "environment_id": graphene.Argument(
                graphene.Int, required=True, description="The environment id"
            ),
            "identifier": graphene.Argument(graphene.String, description="The relation name"),
            "last_run_count": graphene.Argument(
                graphene.Int, default_value=1, description="How many runs (at most 20)"
            ),
            "unique_id": graphene.Argument(graphene.String, description="The model's unique id"),
            "with_catalog": graphene.Argument(
                graphene.Boolean, default_value=False, description="Whether to fill columns/stats"
            ),
        },
        description=(
            "A model's latest executions across the environment's jobs "
            "(deprecated: environment { applied { modelHistoricalRuns } })"
        ),
    )
    models = _legacy(ModelNode, "The models a job run executed", relation=True)
    sources = _legacy(SourceNode, "The sources of a job run", relation=True)
    seeds = _legacy(SeedNode, "The seeds a job run executed")
    snapshots = _legacy(SnapshotNode, "The snapshots a job run executed")
    tests = _legacy(TestNode, "The tests a job run executed")
    exposures = _legacy(ExposureNode, "The exposures of a job run")
    macros = _legacy(MacroNode, "The macros of a job run")
    metrics = _legacy(MetricNode, "The metrics of a job run")
    model = _legacy_one(ModelNode, "A model a job run executed")
    source = _legacy_one(SourceNode, "A source of a job run")
    seed = _legacy_one(SeedNode, "A seed a job run executed")
    snapshot = _legacy_one(SnapshotNode, "A snapshot a job run executed")
    test = _legacy_one(TestNode, "A test a job run executed")
    macro = _legacy_one(MacroNode, "A macro of a job run")
    metric = _legacy_one(MetricNode, "A metric of a job run")
    exposure = _legacy_one(ExposureNode, "An exposure of a job run", key="name")

    @staticmethod
    def resolve_environment(_root: Any, _info: Any, id: int) -> EnvironmentRoot:
        return EnvironmentRoot(environment_ctx(id))

    @staticmethod
    def resolve_job(_root: Any, _info: Any, id: int, run_id: int | None = None) -> JobRoot | None:
        return job_get(id, run_id)

    @staticmethod
    def resolve_model_by_environment(
        _root: Any,
        _info: Any,
        environment_id: int,
        identifier: str | None = None,
        last_run_count: int = 1,
        unique_id: str | None = None,
        with_catalog: bool = False,
    ) -> list[RunNode]:
        return model_history(
            environment_ctx(environment_id),
            unique_id=unique_id,
            identifier=identifier,
            count=last_run_count,
            with_catalog=with_catalog,
        )

    @staticmethod
    def resolve_models(
        _root: Any, _info: Any, job_id: int, run_id: int | None = None, **relation: Any
    ) -> list[RunNode]:
        return _job_list("models", job_id, run_id, **relation)

    @staticmethod
    def resolve_sources(
        _root: Any, _info: Any, job_id: int, run_id: int | None = None, **relation: Any
    ) -> list[RunNode]:
        return _job_list("sources", job_id, run_id, **relation)

    @staticmethod
    def resolve_seeds(
        _root: Any, _info: Any, job_id: int, run_id: int | None = None
    ) -> list[RunNode]:
        return _job_list("seeds", job_id, run_id)

    @staticmethod
    def resolve_snapshots(
        _root: Any, _info: Any, job_id: int, run_id: int | None = None
    ) -> list[RunNode]:
        return _job_list("snapshots", job_id, run_id)

    @staticmethod
    def resolve_tests(
        _root: Any, _info: Any, job_id: int, run_id: int | None = None
    ) -> list[RunNode]:
        return _job_list("tests", job_id, run_id)

    @staticmethod
    def resolve_exposures(
        _root: Any, _info: Any, job_id: int, run_id: int | None = None
    ) -> list[RunNode]:
        return _job_list("exposures", job_id, run_id)

    @staticmethod
    def resolve_macros(
        _root: Any, _info: Any, job_id: int, run_id: int | None = None
    ) -> list[RunNode]:
        return _job_list("macros", job_id, run_id)

    @staticmethod
    def resolve_metrics(
        _root: Any, _info: Any, job_id: int, run_id: int | None = None
    ) -> list[RunNode]:
        return _job_list("metrics", job_id, run_id)

    @staticmethod
    def resolve_model(
        _root: Any, _info: Any, job_id: int, unique_id: str, run_id: int | None = None
    ) -> RunNode | None:
        return _job_one("model", job_id, run_id, unique_id=unique_id)

    @staticmethod
    def resolve_source(
        _root: Any, _info: Any, job_id: int, unique_id: str, run_id: int | None = None
    ) -> RunNode | None:
        return _job_one("source", job_id, run_id, unique_id=unique_id)

    @staticmethod
    def resolve_seed(
        _root: Any, _info: Any, job_id: int, unique_id: str, run_id: int | None = None
    ) -> RunNode | None:
        return _job_one("seed", job_id, run_id, unique_id=unique_id)

    @staticmethod
    def resolve_snapshot(
        _root: Any, _info: Any, job_id: int, unique_id: str, run_id: int | None = None
    ) -> RunNode | None:
        return _job_one("snapshot", job_id, run_id, unique_id=unique_id)

    @staticmethod
    def resolve_test(
        _root: Any, _info: Any, job_id: int, unique_id: str, run_id: int | None = None
    ) -> RunNode | None:
        return _job_one("test", job_id, run_id, unique_id=unique_id)

    @staticmethod
    def resolve_macro(
        _root: Any, _info: Any, job_id: int, unique_id: str, run_id: int | None = None
    ) -> RunNode | None:
        return _job_one("macro", job_id, run_id, unique_id=unique_id)

    @staticmethod
    def resolve_metric(
        _root: Any, _info: Any, job_id: int, unique_id: str, run_id: int | None = None
    ) -> RunNode | None:
        return _job_one("metric", job_id, run_id, unique_id=unique_id)

    @staticmethod
    def resolve_exposure(
        _root: Any, _info: Any, job_id: int, name: str, run_id: int | None = None
    ) -> RunNode | None:
        return _job_one("exposure", job_id, run_id, name=name)
