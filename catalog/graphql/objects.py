"""The Python objects the GraphQL types of the environment resolve from.

The GraphQL types (catalog/graphql/types/) only declare fields; every field reads the
attribute of the same (snake_case) name on one of these objects, and calls it with the
field's arguments when it is a method (`catalog.graphql.types.base.resolve_attribute`). So
what a field means in Lantern is written here, once, whatever the types that share it.

`EnvNode` is one node of the environment's latest snapshot, in the applied or the definition
state, at the top of a list or nested (parents, children, ancestors, tests). Its GraphQL
type is decided when it is made and carried in `_EnvNode__typename`: graphql-core's
default type resolver reads that attribute to pick the concrete type of an interface field.

Lantern keeps one manifest per project (the latest), and the history of every run. Applied
and definition nodes therefore share their definition fields; what is applied is the
execution history: `executionInfo` keeps the latest attempt (`lastRun*`) apart from the
latest success (`executeStartedAt`... `lastSuccessRunId`), which stays pinned to the previous
success when a run errors, as dbt Cloud documents.

Empty strings in the catalog (a test has no alias, a model no version) are answered as null.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from datetime import datetime
from typing import Any

from catalog.graphql.enums import NODE_TYPES, TEST_TYPES
from catalog.graphql.loaders import Batch, Ctx, job_id_of, run_id_of
from catalog.models import Execution, FreshnessResult, Node, Project
from catalog.selectors import version_state
from lineage.graph import NodeInfo

# The concrete GraphQL type of a node, by state and by resource type.
APPLIED = {
    "model": "ModelAppliedStateNode",
    "source": "SourceAppliedStateNode",
    "seed": "SeedAppliedStateNode",
    "snapshot": "SnapshotAppliedStateNode",
    "test": "TestAppliedStateNode",
    "unit_test": "TestAppliedStateNode",
    "exposure": "ExposureAppliedStateNode",
    "macro": "MacroDefinitionNode",
    "metric": "MetricDefinitionNode",
    "semantic_model": "SemanticModelDefinitionNode",
    "saved_query": "SavedQueryDefinitionNode",
}
APPLIED_NESTED = {
    "model": "ModelAppliedStateNestedNode",
    "source": "SourceAppliedStateNestedNode",
    "seed": "SeedAppliedStateNestedNode",
    "snapshot": "SnapshotAppliedStateNestedNode",
    "test": "TestAppliedStateNestedNode",
    "unit_test": "TestAppliedStateNestedNode",
    "exposure": "ExposureAppliedStateNestedNode",
    "macro": "MacroDefinitionNestedNode",
    "metric": "MetricDefinitionNestedNode",
    "semantic_model": "SemanticModelDefinitionNestedNode",
    "saved_query": "SavedQueryDefinitionNestedNode",
}
DEFINITION = {
    "model": "ModelDefinitionNode",
    "source": "SourceDefinitionNode",
    "seed": "SeedDefinitionNode",
    "snapshot": "SnapshotDefinitionNode",
    "test": "TestDefinitionNode",
    "unit_test": "TestDefinitionNode",
    "exposure": "ExposureDefinitionNode",
    "group": "GroupNode",
    "macro": "MacroDefinitionNode",
    "metric": "MetricDefinitionNode",
    "semantic_model": "SemanticModelDefinitionNode",
    "saved_query": "SavedQueryDefinitionNode",
}
DEFINITION_NESTED = {
    "model": "ModelDefinitionNestedNode",
    "source": "SourceDefinitionNestedNode",
    "seed": "SeedDefinitionNestedNode",
    "snapshot": "SnapshotDefinitionNestedNode",
    "test": "TestDefinitionNestedNode",
    "unit_test": "TestDefinitionNestedNode",
    "exposure": "ExposureDefinitionNestedNode",
    "macro": "MacroDefinitionNestedNode",
    "metric": "MetricDefinitionNestedNode",
    "semantic_model": "SemanticModelDefinitionNestedNode",
    "saved_query": "SavedQueryDefinitionNestedNode",
}
TYPE_NAMES = {
    ("applied", False): APPLIED,
    ("applied", True): APPLIED_NESTED,
    ("definition", False): DEFINITION,
    ("definition", True): DEFINITION_NESTED,
}
# AncestorNodeType -> resource types.
ANCESTOR_TYPES = {
    "Exposure": ("exposure",),
    "Macro": ("macro",),
    "Model": ("model",),
    "Seed": ("seed",),
    "Snapshot": ("snapshot",),
    "Source": ("source",),
}
# Execution statuses as RunStatus (models): dbt-core writes lower case.
RUN_STATUSES = {"success": "success", "error": "error", "skipped": "skipped"}
TEST_STATUSES = frozenset({"pass", "fail", "error", "skipped", "warn"})
FAILED = frozenset({"error", "fail", "runtime error"})
# dbt freshness statuses as FreshnessStatus.
FRESHNESS_STATUSES = {
    "pass": "Pass",
    "warn": "Warn",
    "error": "Error",
    "runtime error": "Error",
    "skipped": "Skipped",
}
# Labels of catalog stats by id, as dbt adapters write them (catalog.json keeps only values).
STAT_LABELS = {
    "row_count": ("Row Count", "Approximate count of rows in this table"),
    "num_rows": ("# Rows", "Approximate count of rows in this table"),
    "rows": ("Approximate Row Count", "Approximate count of rows in this table"),
    "bytes": ("Approximate Size", "Approximate size of the table as reported by the warehouse"),
    "num_bytes": ("Approximate Size", "Approximate size of the table as reported by the warehouse"),
    "last_modified": ("Last Modified", "The timestamp for the last update/change"),
}


def opt(value: str) -> str | None:
    """A stored text, or None when empty."""
    return value or None


def enum_value(value: Any) -> Any:
    """The value of a GraphQL enum argument (graphene passes the Python enum member)."""
    return getattr(value, "value", value)


def as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def as_dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


class EnvNode:
    """A node of the environment, as an applied or a definition node, top-level or nested."""

    __slots__ = ("node", "ctx", "batch", "state", "__typename")

    def __init__(self, node: Node, ctx: Ctx, batch: Batch, typename: str, state: str) -> None:
        self.node = node
        self.ctx = ctx
        self.batch = batch
        self.state = state
        self.__typename = typename

    @property
    def typename(self) -> str:
        return self.__typename

    def __repr__(self) -> str:
        return f"<{self.__typename} {self.node.unique_id}>"

    # ----------------------------------------------------------------------------------------
    # Making nodes

    @classmethod
    def wrap(
        cls, nodes: list[Node], ctx: Ctx, state: str, *, nested: bool, batch: Batch | None = None
    ) -> list[Any]:
        """Nodes as EnvNodes of `state` (siblings of one batch), leaving out the resource
        types the API has no type for there (analyses, functions, groups when nested)."""
        names = TYPE_NAMES[(state, nested)]
        batch = batch if batch is not None else Batch(nodes)
        return [
            cls(n, ctx, batch, names[n.resource_type], state)
            for n in nodes
            if n.resource_type in names
        ]

    def _nested(self, kind: str, ids: list[str], loader: Callable[[Node], list[str]]) -> list[Any]:
        """Nested nodes of `kind` by unique_id; the wave of all siblings' loads as one batch,
        and ids not in the environment are models of other projects (ExternalModelNode)."""
        ctx, batch = self.ctx, self.batch
        wave = ctx.wave(
            kind,
            batch,
            lambda: Batch(ctx.by_uid({uid for n in batch.nodes for uid in loader(n)}).values()),
        )
        found = ctx.by_uid(ids)
        names = TYPE_NAMES[(self.state, True)]
        out: list[Any] = []
        for uid in ids:
            node = found.get(uid)
            if node is None:
                if uid.startswith("model."):
                    out.append(ExternalNode(uid, ctx))
            elif node.resource_type in names:
                out.append(EnvNode(node, ctx, wave, names[node.resource_type], self.state))
        return out

    def _nodes(
        self, kind: str, nodes: list[Node], everyone: Callable[[Node], list[Node]]
    ) -> list[Any]:
        """Nested nodes already loaded as rows; the wave holds those of every sibling."""
        ctx, batch = self.ctx, self.batch

        def load() -> Batch:
            unique = {n.pk: n for sibling in batch.nodes for n in everyone(sibling)}
            return Batch(unique.values())

        wave = ctx.wave(kind, batch, load)
        return EnvNode.wrap(nodes, ctx, self.state, nested=True, batch=wave)

    # ----------------------------------------------------------------------------------------
    # Identity (EnvironmentAppliedNode, EnvironmentDefinitionNode and the nested interfaces)

    @property
    def project(self) -> Project:
        return self.ctx.projects[self.node.project_id]

    @property
    def account_id(self) -> int:
        return self.ctx.account_id

    @property
    def environment_id(self) -> int:
        return self.ctx.environment.pk

    @property
    def project_id(self) -> int:
        return self.ctx.project_id(self.node.project_id)

    @property
    def unique_id(self) -> str:
        return self.node.unique_id

    @property
    def name(self) -> str:
        return self.node.name

    @property
    def description(self) -> str:
        return self.node.description

    @property
    def resource_type(self) -> str:
        return self.node.resource_type

    @property
    def file_path(self) -> str:
        return self.node.original_file_path

    @property
    def meta(self) -> Any:
        return self.node.meta

    @property
    def tags(self) -> Any:
        return self.node.tags

    @property
    def fqn(self) -> Any:
        return self.node.fqn

    @property
    def package_name(self) -> str | None:
        return opt(self.node.package_name)

    @property
    def patch_path(self) -> str | None:
        return opt(self.node.patch_path)

    @property
    def dbt_version(self) -> str | None:
        return opt(self.project.dbt_version)

    # The run that wrote the manifest: definition nodes' runId and jobDefinitionId.

    @property
    def run_generated_at(self) -> datetime | None:
        return self.project.manifest_generated_at

    @property
    def manifest_generated_at(self) -> datetime | None:
        return self.project.manifest_generated_at

    @property
    def run_id(self) -> int | None:
        run = self.ctx.definition_run(self.node.project_id)
        return run_id_of(run) if run else None

    @property
    def job_definition_id(self) -> int | None:
        run = self.ctx.definition_run(self.node.project_id)
        return job_id_of(run) if run else None

    job_id = job_definition_id

    # ----------------------------------------------------------------------------------------
    # Relations and their configuration

    @property
    def database(self) -> str | None:
        return opt(self.node.database)

    @property
    def schema(self) -> str | None:
        return opt(self.node.schema)

    @property
    def alias(self) -> str | None:
        return opt(self.node.alias)

    @property
    def identifier(self) -> str | None:
        return opt(self.node.alias)

    @property
    def relation_name(self) -> str | None:
        return opt(self.node.relation_name)

    @property
    def materialized_type(self) -> str | None:
        return opt(self.node.materialized)

    @property
    def language(self) -> str | None:
        return opt(self.node.language)

    @property
    def raw_code(self) -> str | None:
        return opt(self.node.raw_code)

    @property
    def compiled_code(self) -> str | None:
        return opt(self.node.compiled_code)

    @property
    def config(self) -> Any:
        return self.node.config

    # Governance

    @property
    def access(self) -> str | None:
        return opt(self.node.access)

    @property
    def group(self) -> str | None:
        return opt(self.node.group_name)

    @property
    def contract_enforced(self) -> bool:
        return self.node.contract_enforced

    @property
    def deprecation_date(self) -> datetime | None:
        return self.node.deprecation_date

    @property
    def is_description_inherited(self) -> None:
        return None

    @property
    def modeling_layer(self) -> str | None:
        return opt(self.node.modeling_layer)

    @property
    def version(self) -> str | None:
        return opt(self.node.version)

    @property
    def latest_version(self) -> str | None:
        return opt(self.node.latest_version)

    @property
    def release_version(self) -> str:
        return version_state(self.node) or "none"

    @property
    def constraints(self) -> list[dict[str, Any]]:
        return [
            {
                "columns": [str(c) for c in as_list(c.get("columns"))] or None,
                "expression": c.get("expression") or None,
                "name": c.get("name") or None,
                "type": c.get("type") or None,
                "warn_unenforced": c.get("warn_unenforced"),
                "warn_unsupported": c.get("warn_unsupported"),
            }
            for c in as_list(self.node.data.get("constraints"))
            if isinstance(c, dict)
        ]

    @property
    def packages(self) -> list[str]:
        return self.ctx.packages()

    def versions(self) -> list[dict[str, Any]]:
        if not self.node.version:
            return []
        return [
            {
                "name": v.version,
                "release_version": version_state(v) or "none",
                "unique_id": v.unique_id,
            }
            for v in self.ctx.versions(self.batch, self.node)
        ]

    # ----------------------------------------------------------------------------------------
    # Lineage

    def parents(self) -> list[Any]:
        ctx, batch = self.ctx, self.batch
        if self.node.resource_type == "macro":
            ids = ctx.macro_ids(batch, self.node)
            return self._nested("macro parents", ids, lambda n: ctx.macro_ids(batch, n))
        ids = ctx.parent_ids(batch, self.node)
        return self._nested("parents", ids, lambda n: ctx.parent_ids(batch, n))

    def children(self) -> list[Any]:
        ctx, batch = self.ctx, self.batch
        children = ctx.children(batch, self.node)
        return self._nodes("children", children, lambda n: ctx.children(batch, n))

    def ancestors(self, types: list[Any] | None = None) -> list[Any]:
        """Upstream nodes of the given AncestorNodeTypes. Where the field takes no argument
        (definition exposures, metrics, semantic models, saved queries): every node upstream,
        as dbt's parent_map links them (macros are not nodes)."""
        if types is None:
            wanted = tuple(sorted(set(NODE_TYPES) - {"macro"}))
        else:
            wanted = tuple(sorted({rt for t in types for rt in ANCESTOR_TYPES[str(enum_value(t))]}))
        ctx, batch = self.ctx, self.batch
        ids = ctx.ancestor_ids(batch, self.node, wanted)
        return self._nested(
            f"ancestors {wanted}", ids, lambda n: ctx.ancestor_ids(batch, n, wanted)
        )

    def tests(self) -> list[Any]:
        ctx, batch = self.ctx, self.batch
        tests = ctx.tests(batch, self.node)
        return self._nodes("tests", tests, lambda n: ctx.tests(batch, n))

    @property
    def test_statuses(self) -> dict[str, int]:
        counts: Counter[str] = Counter()
        for test in self.tests():
            last = test.last_execution
            if last is not None:
                counts[last.status] += 1
        return dict(counts)

    # ----------------------------------------------------------------------------------------
    # Execution (applied state)

    @property
    def last_execution(self) -> Execution | None:
        return self.ctx.execution(self.batch, self.node.last_execution_id)

    @property
    def last_success(self) -> Execution | None:
        return self.ctx.execution(self.batch, self.node.last_success_execution_id)

    @property
    def execution_info(self) -> ExecutionInfo | None:
        last, success = self.last_execution, self.last_success
        kind = self.node.resource_type
        if last is None and success is None and kind in ("model", "snapshot"):
            return None  # never executed (the field is nullable for models and snapshots)
        return ExecutionInfo(last, success, model=kind == "model")

    @property
    def catalog(self) -> Catalog | None:
        return Catalog(self) if self.node.has_catalog else None

    # ----------------------------------------------------------------------------------------
    # Sources

    @property
    def source_name(self) -> str | None:
        return opt(self.node.source_name)

    @property
    def source_description(self) -> str | None:
        return opt(str(self.node.data.get("source_description") or ""))

    @property
    def loader(self) -> str | None:
        return opt(str(self.node.data.get("loader") or ""))

    @property
    def freshness(self) -> Freshness:
        result = self.ctx.freshness(self.batch, self.node.last_freshness_id)
        return Freshness(self.node, result)

    # ----------------------------------------------------------------------------------------
    # Tests and unit tests

    @property
    def column_name(self) -> str | None:
        return opt(self.node.column_name)

    @property
    def test_type(self) -> str | None:
        return TEST_TYPES.get(self.node.test_type)

    @property
    def test_metadata(self) -> dict[str, Any]:
        metadata = as_dict(self.node.data.get("test_metadata"))
        kwargs = as_dict(metadata.get("kwargs"))
        return {
            "column_name": opt(self.node.column_name),
            "kwargs": kwargs or None,
            "name": metadata.get("name") or None,
            "namespace": metadata.get("namespace") or None,
        }

    @property
    def tested_node_unique_id(self) -> str | None:
        return opt(self.node.tested_unique_id)

    @property
    def this_input_node_unique_id(self) -> None:
        return None

    @property
    def model(self) -> str | None:
        return str(self.node.data["model"]) if self.node.data.get("model") else None

    @property
    def resource(self) -> str:
        return self.node.resource_type

    def _unit(self, key: str, empty: Any) -> Any:
        """A unit test's given/expect/overrides; definition types want them non-null."""
        value = self.node.data.get(key)
        if value:
            return value
        return empty if self.state == "definition" else None

    @property
    def expect(self) -> Any:
        return self._unit("expect", {})

    @property
    def given(self) -> Any:
        return self._unit("given", [])

    @property
    def overrides(self) -> Any:
        return self._unit("overrides", {})

    @property
    def event_status(self) -> Any:
        return {} if self.state == "definition" else None

    @property
    def num_given(self) -> int | None:
        given = self.node.data.get("given")
        return len(given) if isinstance(given, list) else None

    @property
    def num_given_rows(self) -> int | None:
        given = self.node.data.get("given")
        if not isinstance(given, list):
            return None
        return sum(len(as_list(as_dict(g).get("rows"))) for g in given)

    @property
    def num_expect_rows(self) -> int | None:
        expect = self.node.data.get("expect")
        return len(as_list(expect.get("rows"))) if isinstance(expect, dict) else None

    @property
    def last_known_result(self) -> str | None:
        last = self.last_execution
        return last.status if last is not None and last.status in TEST_STATUSES else None

    # ----------------------------------------------------------------------------------------
    # Exposures

    @property
    def exposure_type(self) -> str | None:
        return opt(str(self.node.data.get("type") or ""))

    @property
    def label(self) -> str | None:
        return opt(str(self.node.data.get("label") or ""))

    @property
    def maturity(self) -> str | None:
        return opt(str(self.node.data.get("maturity") or ""))

    @property
    def url(self) -> str | None:
        return opt(str(self.node.data.get("url") or ""))

    @property
    def owner_name(self) -> str | None:
        return opt(self.node.owner_name)

    @property
    def owner_email(self) -> str | None:
        return opt(self.node.owner_email)

    @property
    def freshness_status(self) -> str | None:
        """The worst freshness of the sources upstream of the exposure."""
        return self.ctx.upstream_health(self).freshness_status

    # ----------------------------------------------------------------------------------------
    # Macros, metrics, semantic models, saved queries, groups

    @property
    def macro_sql(self) -> str:
        return str(self.node.data.get("macro_sql") or "")

    @property
    def arguments(self) -> list[dict[str, Any]]:
        return [
            {
                "description": a.get("description") or None,
                "name": a.get("name") or None,
                "type": a.get("type") or None,
            }
            for a in as_list(self.node.data.get("arguments"))
            if isinstance(a, dict)
        ]

    @property
    def type(self) -> str | None:
        return opt(str(self.node.data.get("type") or ""))

    @property
    def type_params(self) -> dict[str, Any] | None:
        return as_dict(self.node.data.get("type_params")) or None

    @property
    def filter(self) -> dict[str, Any] | None:
        return as_dict(self.node.data.get("filter")) or None

    @property
    def formula(self) -> str | None:
        expr = as_dict(self.node.data.get("type_params")).get("expr")
        return str(expr) if expr else None

    @property
    def dimensions(self) -> list[dict[str, Any]]:
        return [
            {
                "description": d.get("description") or None,
                "name": d.get("name") or None,
                "type": d.get("type") or None,
                "type_params": as_dict(d.get("type_params")) or None,
            }
            for d in as_list(self.node.data.get("dimensions"))
            if isinstance(d, dict)
        ]

    @property
    def entities(self) -> list[dict[str, Any]]:
        return [
            {
                "description": e.get("description") or None,
                "name": e.get("name") or None,
                "type": e.get("type") or None,
            }
            for e in as_list(self.node.data.get("entities"))
            if isinstance(e, dict)
        ]

    @property
    def measures(self) -> list[dict[str, Any]]:
        return [
            {
                "agg": m.get("agg") or None,
                "create_metric": m.get("create_metric"),
                "description": m.get("description") or None,
                "expr": None if m.get("expr") is None else str(m["expr"]),
                "name": m.get("name") or None,
            }
            for m in as_list(self.node.data.get("measures"))
            if isinstance(m, dict)
        ]

    @property
    def exports(self) -> list[dict[str, Any]]:
        exports = []
        for e in as_list(self.node.data.get("exports")):
            if not isinstance(e, dict):
                continue
            config = as_dict(e.get("config"))
            exports.append(
                {
                    "name": e.get("name") or None,
                    "config": {
                        "alias": config.get("alias") or None,
                        "database": config.get("database") or None,
                        "export_as": str(config.get("export_as") or "table"),
                        "schema": config.get("schema_name") or config.get("schema") or None,
                    },
                }
            )
        return exports

    @property
    def query_params(self) -> dict[str, Any]:
        params = as_dict(self.node.data.get("query_params"))
        where = as_dict(params.get("where"))
        return {
            "group_by": [str(g) for g in as_list(params.get("group_by"))],
            "limit": params.get("limit"),
            "metrics": [str(m) for m in as_list(params.get("metrics"))],
            "order_by": [str(o) for o in as_list(params.get("order_by"))],
            "where": {
                "where_filters": [
                    {"where_sql_template": str(f.get("where_sql_template") or "")}
                    for f in as_list(where.get("where_filters"))
                    if isinstance(f, dict)
                ]
            }
            if where
            else None,
        }

    def models(self) -> list[Any]:
        """A group's models."""
        ctx, batch = self.ctx, self.batch
        members = ctx.group_members(batch, self.node)
        return self._nodes("members", members, lambda n: ctx.group_members(batch, n))

    @property
    def model_count(self) -> int:
        return len(self.ctx.group_members(self.batch, self.node))

    # ----------------------------------------------------------------------------------------
    # Exposure tiles

    @property
    def auto_bi_provider(self) -> None:
        return None

    @property
    def quality(self) -> str:
        return self.ctx.upstream_health(self).quality

    @property
    def health_issues(self) -> list[str]:
        return self.ctx.upstream_health(self).health_issues

    @property
    def max_snapshotted_at(self) -> datetime | None:
        return self.ctx.upstream_health(self).max_snapshotted_at

    @property
    def upstream_stats(self) -> dict[str, Any]:
        return self.ctx.upstream_health(self).stats


class ExternalNode:
    """A model of another project that a node refers to (dbt Mesh), known by its id only."""

    def __init__(self, unique_id: str, ctx: Ctx) -> None:
        self.info = NodeInfo.placeholder_for(unique_id)
        self.ctx = ctx
        self.__typename = "ExternalModelNode"

    @property
    def typename(self) -> str:
        return self.__typename

    account_id = property(lambda self: self.ctx.account_id)
    environment_id = property(lambda self: self.ctx.environment.pk)
    unique_id = property(lambda self: self.info.unique_id)
    name = property(lambda self: self.info.name)
    resource_type = property(lambda self: self.info.resource_type)
    fqn = property(lambda self: list(self.info.fqn))
    package_name = property(lambda self: opt(self.info.package_name))
    dbt_project_name = property(lambda self: opt(self.info.package_name))
    version = property(lambda self: opt(self.info.version))
    release_version = property(lambda self: "latest" if self.info.version else "none")
    # What another project's manifest would say: unknown here.
    project_id = 0
    description = None
    file_path = ""
    run_generated_at = None
    database = None
    schema = None
    identifier = None
    relation_name = None
    latest_version = None
    patch_path = None
    meta = None
    tags: list[str] = []


class ExecutionInfo:
    """A node's latest attempt and latest success (Model/Seed/Snapshot/TestExecutionInfoNode)."""

    def __init__(self, last: Execution | None, success: Execution | None, *, model: bool) -> None:
        self.last = last
        self.success = success
        self.model = model

    # The latest attempt, whatever its outcome

    @property
    def last_run_id(self) -> int | None:
        return run_id_of(self.last.run) if self.last else None

    @property
    def last_job_definition_id(self) -> int | None:
        return job_id_of(self.last.run) if self.last else None

    @property
    def last_run_status(self) -> str | None:
        if self.last is None:
            return None
        # ModelExecutionInfoNode.lastRunStatus is a RunStatus; the others are strings.
        return RUN_STATUSES.get(self.last.status) if self.model else self.last.status

    @property
    def last_run_error(self) -> str | None:
        if self.last is None or self.last.status not in FAILED:
            return None
        return self.last.message or None

    @property
    def last_run_generated_at(self) -> datetime | None:
        return self.last.generated_at if self.last else None

    @property
    def last_run_skip(self) -> bool | None:
        return self.last.status == "skipped" if self.last else None

    @property
    def last_run_failures(self) -> int | None:
        return self.last.failures if self.last else None

    # The latest success: what is in the warehouse

    @property
    def last_success_run_id(self) -> int | None:
        return run_id_of(self.success.run) if self.success else None

    @property
    def last_success_job_definition_id(self) -> int | None:
        return job_id_of(self.success.run) if self.success else None

    @property
    def run_generated_at(self) -> datetime | None:
        return self.success.generated_at if self.success else None

    @property
    def run_elapsed_time(self) -> float | None:
        return self.success.run.elapsed_time if self.success else None

    @property
    def execution_time(self) -> float | None:
        return self.success.execution_time if self.success else None

    @property
    def compile_started_at(self) -> datetime | None:
        return self.success.compile_started_at if self.success else None

    @property
    def compile_completed_at(self) -> datetime | None:
        return self.success.compile_completed_at if self.success else None

    @property
    def execute_started_at(self) -> datetime | None:
        return self.success.execute_started_at if self.success else None

    @property
    def execute_completed_at(self) -> datetime | None:
        return self.success.execute_completed_at if self.success else None


def catalog_stats(stats: dict[str, Any]) -> list[dict[str, Any]]:
    out = []
    for stat_id, value in stats.items():
        label, description = STAT_LABELS.get(stat_id, (stat_id.replace("_", " ").title(), None))
        out.append(
            {
                "description": description,
                "id": stat_id,
                "include": True,
                "label": label,
                "value": value,
            }
        )
    return out


class Catalog:
    """What catalog.json said about a node's relation (CatalogNode)."""

    def __init__(self, item: EnvNode) -> None:
        self.item = item
        node = item.node
        self.unique_id = node.unique_id
        self.environment_id = item.ctx.environment.pk
        self.bytes_stat = node.catalog_bytes
        self.row_count_stat = node.catalog_rows
        self.comment = opt(node.catalog_comment)
        self.owner = opt(node.catalog_owner)
        self.type = opt(node.catalog_type)
        # The catalog's invocation (dbt docs generate) is not kept as a run.
        self.run_id = None
        self.job_definition_id = None

    @property
    def run_generated_at(self) -> datetime | None:
        return self.item.project.catalog_generated_at

    @property
    def columns(self) -> list[dict[str, Any]]:
        return self.item.ctx.catalog_columns(self.item.batch, self.item.node)

    @property
    def stats(self) -> list[dict[str, Any]]:
        return catalog_stats(self.item.node.catalog_stats)


def criteria(node: Node, result: FreshnessResult | None) -> dict[str, Any]:
    """A source's freshness criteria: its configuration, else what the last check used."""
    configured = as_dict(node.data.get("freshness"))
    if not any(as_dict(configured.get(k)).get("count") for k in ("warn_after", "error_after")):
        configured = as_dict(result.criteria) if result else {}

    def info(key: str) -> dict[str, Any] | None:
        value = as_dict(configured.get(key))
        if value.get("count") is None and not value.get("period"):
            return None
        period = value.get("period")
        return {
            "count": value.get("count"),
            "period": period if period in ("minute", "hour", "day") else None,
        }

    return {"warn_after": info("warn_after"), "error_after": info("error_after")}


class Freshness:
    """A source's latest freshness check (SourceFreshnessNode)."""

    def __init__(self, node: Node, result: FreshnessResult | None) -> None:
        self.node = node
        self.result = result

    @property
    def criteria(self) -> dict[str, Any]:
        return criteria(self.node, self.result)

    @property
    def freshness_checked(self) -> bool:
        return self.result is not None

    @property
    def freshness_status(self) -> str | None:
        if self.result is None:
            configured = self.criteria
            return "Unknown" if configured["warn_after"] or configured["error_after"] else None
        return FRESHNESS_STATUSES.get(self.result.status, "Unknown")

    @property
    def max_loaded_at(self) -> datetime | None:
        return self.result.max_loaded_at if self.result else None

    @property
    def snapshotted_at(self) -> datetime | None:
        return self.result.snapshotted_at if self.result else None

    @property
    def max_loaded_at_time_ago_in_s(self) -> float | None:
        return self.result.age_seconds if self.result else None

    @property
    def freshness_run_generated_at(self) -> datetime | None:
        return self.result.generated_at if self.result else None

    @property
    def freshness_run_id(self) -> int | None:
        return run_id_of(self.result.run) if self.result else None

    @property
    def freshness_job_definition_id(self) -> int | None:
        return job_id_of(self.result.run) if self.result else None
