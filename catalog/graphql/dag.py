"""`applied.lineage` / `definition.lineage`: the flat list of lineage nodes a filter picks.

The list is computed on the environment's lineage DAG (lineage.queries.dag_get: built once
per load, then held in memory), so it costs one query whatever its size: the few relation
fields the DAG does not hold (database, schema, alias, project). Both states see the same
graph, the latest manifest's; `lastRunStatus` and `worstTestStatus` come from the runs.

The filter (LineageFilter):

- `select` and `exclude` are dbt selectors (lineage.selection, dbt-core 1.11's syntax, with
  tests selected indirectly as `dbt ls` does); a leading `--select`/`-s` or `--exclude`, as
  some clients send, is ignored. Without either, every node is in.
- `types`, `uniqueIds` and `tags` then keep only the nodes that match them.
- `matchesMethod` says whether a node matched the selector's methods themselves (`tag:x`,
  `fct_orders`, ...) rather than coming in through a graph operator (`+`, `@`) or as a test of
  a selected node; without a selector, every node matches.
- `parentIds` are the node's parents in the environment, `publicParentIds` the ones it refers
  to in other projects (dbt Mesh), whether or not they are in the list.
- Macros are not in dbt's graph: with `types: [Macro]`, the macros the listed nodes call come
  too.
- `columnNames` (column-level lineage) is not supported yet: asking for it is an error.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from graphql import GraphQLError

from catalog.graphql.enums import NODE_TYPES
from catalog.graphql.filters import resource_types
from catalog.graphql.loaders import Ctx, among, prefer
from catalog.models import Edge
from lineage.graph import Dag, NodeInfo
from lineage.selection import (
    Criteria,
    Difference,
    Indirect,
    Intersection,
    InvalidSelector,
    Spec,
    Union,
    evaluate,
    parse,
)

LINEAGE_TYPES = {
    "model": "ModelLineageNode",
    "snapshot": "SnapshotLineageNode",
    "seed": "SeedLineageNode",
    "source": "SourceLineageNode",
    "test": "TestLineageNode",
    "unit_test": "TestLineageNode",
    "exposure": "ExposureLineageNode",
    "metric": "MetricLineageNode",
    "semantic_model": "SemanticModelLineageNode",
    "saved_query": "SavedQueryLineageNode",
    "macro": "MacroLineageNode",
}
# Test statuses from worst to best.
SEVERITY = {"error": 5, "runtime error": 5, "fail": 4, "warn": 3, "skipped": 2, "pass": 1}
FLAGS = ("--select", "--models", "-s", "-m", "--exclude")


def strip_flag(text: str | None) -> str:
    """A selector without the dbt flag some clients put in front of it."""
    text = (text or "").strip()
    for flag in FLAGS:
        if text == flag or text.startswith(flag + " "):
            return text[len(flag) :].strip()
    return text


def methods_only(spec: Spec) -> Spec:
    """The spec without graph operators: what the selector's methods match by themselves."""
    if isinstance(spec, Criteria):
        return dataclasses.replace(spec, parents=False, children=False, childrens_parents=False)
    if isinstance(spec, Difference):
        return Difference(methods_only(spec.include), spec.exclude)
    if isinstance(spec, Union):
        return Union(tuple(methods_only(part) for part in spec.parts))
    return Intersection(tuple(methods_only(part) for part in spec.parts))


def select_nodes(dag: Dag, select: str, exclude: str) -> tuple[set[str], set[str] | None]:
    """(selected unique_ids, those the methods matched; None when there is no selector)."""
    if not select and not exclude:
        return set(dag.infos), None
    try:
        spec = parse(select, exclude)
    except InvalidSelector as e:
        raise GraphQLError(
            str(e),
            extensions={"code": "INVALID_SELECTOR", "field": e.field, "position": e.position},
        ) from None
    selected = evaluate(dag, spec)
    return selected, evaluate(dag, methods_only(spec), indirect=Indirect.EMPTY)


def lineage(ctx: Ctx, filter: Any) -> list[LineageItem]:
    if filter.column_names:
        raise GraphQLError(
            "LineageFilter.columnNames: column-level lineage is not supported yet",
            extensions={"code": "NOT_SUPPORTED"},
        )
    dag = ctx.dag
    infos = dag.infos
    selected, matched = select_nodes(dag, strip_flag(filter.select), strip_flag(filter.exclude))
    keep = {
        uid
        for uid in selected
        if not infos[uid].placeholder and infos[uid].resource_type in LINEAGE_TYPES
    }
    types = set(resource_types(filter.types)) if filter.types else None
    if filter.unique_ids:
        keep &= set(filter.unique_ids)
    if filter.tags:
        wanted = set(filter.tags)
        keep = {uid for uid in keep if wanted.intersection(infos[uid].tags)}
    macros: dict[str, list[str]] = {}
    if types is not None and "macro" in types:
        macros = macro_calls(ctx, keep)
    if types is not None:
        keep = {uid for uid in keep if infos[uid].resource_type in types}
    rows = (
        ctx.nodes()
        .filter(among("unique_id", keep | set(macros)))
        .only(
            "id",
            "unique_id",
            "project_id",
            "package_name",
            "alias",
            "database",
            "schema",
            "resource_type",
            "name",
            "original_file_path",
            "tags",
            "fqn",
        )
    )
    found = prefer(rows, ctx.projects)
    items = []
    for uid in sorted(keep | set(macros)):
        node = found.get(uid)
        if node is None:
            continue
        if uid in macros:
            info = NodeInfo(
                unique_id=uid,
                resource_type="macro",
                name=node.name,
                package_name=node.package_name,
                original_file_path=node.original_file_path,
                tags=tuple(node.tags),
            )
            parents, public = macros[uid], []
        else:
            info = infos[uid]
            parents = sorted(p for p in dag.parents(uid) if not infos[p].placeholder)
            public = sorted(p for p in dag.parents(uid) if infos[p].placeholder)
        items.append(
            LineageItem(
                info,
                alias=node.alias,
                database=node.database,
                schema=node.schema,
                project_id=ctx.project_id(node.project_id),
                parent_ids=parents,
                public_parent_ids=public,
                matches=matched is None or uid in matched,
                worst=worst_test_status(dag, uid),
            )
        )
    return items


def macro_calls(ctx: Ctx, ids: set[str]) -> dict[str, list[str]]:
    """The macros nodes of `ids` call, with the macros each of those calls."""
    calls = Edge.objects.filter(environment=ctx.environment, kind=Edge.Kind.MACRO)
    called = set(
        calls.filter(among("child_unique_id", ids)).values_list("parent_unique_id", flat=True)
    )
    found: dict[str, set[str]] = {uid: set() for uid in called}
    for child, parent in calls.filter(among("child_unique_id", called)).values_list(
        "child_unique_id", "parent_unique_id"
    ):
        found[child].add(parent)
    return {uid: sorted(parents) for uid, parents in found.items()}


def worst_test_status(dag: Dag, unique_id: str) -> str | None:
    statuses = [dag.infos[t].status for t in dag.tests_of([unique_id]) if dag.infos[t].status]
    return max(statuses, key=lambda s: SEVERITY.get(s, 0)) if statuses else None


class LineageItem:
    """One node of a lineage list (ModelLineageNode, SourceLineageNode, ...)."""

    __slots__ = (
        "info",
        "alias",
        "database",
        "schema",
        "project_id",
        "parent_ids",
        "public_parent_ids",
        "matches_method",
        "worst_test_status",
        "__typename",
    )

    def __init__(
        self,
        info: NodeInfo,
        *,
        alias: str,
        database: str,
        schema: str,
        project_id: int,
        parent_ids: list[str],
        public_parent_ids: list[str],
        matches: bool,
        worst: str | None,
    ) -> None:
        self.info = info
        self.alias = alias or None
        self.database = database or None
        self.schema = schema or None
        self.project_id = project_id
        self.parent_ids = parent_ids
        self.public_parent_ids = public_parent_ids
        self.matches_method = matches
        self.worst_test_status = worst
        self.__typename = LINEAGE_TYPES[info.resource_type]

    @property
    def typename(self) -> str:
        return self.__typename

    unique_id = property(lambda self: self.info.unique_id)
    name = property(lambda self: self.info.name)
    resource_type = property(lambda self: NODE_TYPES[self.info.resource_type])
    file_path = property(lambda self: self.info.original_file_path)
    fqn = property(lambda self: list(self.info.fqn))
    tags = property(lambda self: list(self.info.tags))
    access = property(lambda self: self.info.access or None)
    group = property(lambda self: self.info.group or None)
    version = property(lambda self: self.info.version or None)
    materialization_type = property(lambda self: self.info.materialized or None)
    modeling_layer = property(lambda self: self.info.modeling_layer or None)
    source_name = property(lambda self: self.info.source_name or None)
    last_run_status = property(lambda self: self.info.status or None)
