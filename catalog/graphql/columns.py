"""The `column(environmentId:)` root: column-level lineage, as dbt Cloud's beta endpoint has it.

`lineage(nodeUniqueId:, filters:)` lists one ColumnLineageNode per column in the lineage of the
node's columns (the node's own columns, everything upstream and everything downstream of
them), read from lineage.columns.queries in a fixed number of queries. A column the parser
could not trace, or any column of a node it could not parse, is `isError: true` with the
reason: never an empty lineage that looks complete.
"""

from __future__ import annotations

from typing import Any

import graphene

from catalog.graphql.loaders import Ctx
from catalog.graphql.scalars import BigInt
from catalog.graphql.states import environment_ctx
from catalog.graphql.types.base import ObjectType
from lineage.columns.queries import ColumnGraph, column_graph


class ColumnLineageFilter(graphene.InputObjectType):
    class Meta:
        description = "Which columns of the lineage to return"

    column_name = graphene.String(
        description="Only the lineage of this column of the node (any case)"
    )
    is_error = graphene.Boolean(
        description="Only the columns that could not be traced (true) or only those that could"
    )
    max_depth = graphene.Int(
        description="At most this many hops upstream and downstream (0: the node's own columns)"
    )


class ColumnLineageNode(ObjectType):
    class Meta:
        description = "A column in a column-level lineage: what it is made from, and how"

    account_id = BigInt(description="The dbt Cloud account id of the environment, if known")
    child_columns = graphene.List(
        graphene.NonNull(graphene.String),
        description="The columns made from this one, as `<node unique_id>.<column>`, within "
        "the returned lineage",
    )
    environment_id = BigInt(description="The environment id")
    error = graphene.String(description="Why the column could not be traced")
    error_category = graphene.String(
        description="parse_error, python_model, unknown_relation, missing_compiled_code, "
        "unsupported or unknown_columns"
    )
    is_error = graphene.Boolean(description="Whether the column could not be traced")
    name = graphene.String(description="The column's name")
    node_unique_id = graphene.String(description="The unique id of the column's node")
    parent_columns = graphene.List(
        graphene.NonNull(graphene.String),
        description="The columns this one is made from, as `<node unique_id>.<column>`, "
        "within the returned lineage",
    )
    project_id = BigInt(description="The project id of the column's node")
    relationship = graphene.String(
        description="How the column is made from its parents: passthrough, rename, "
        "transformed or aggregated (null for sources and seeds, and for errors)"
    )
    run_id = BigInt(description="Not known to Lantern: always null")
    unique_id = graphene.String(description="`<node unique_id>.<column>`")


class ColumnQueryNode(ObjectType):
    class Meta:
        description = "Column-level lineage of an environment"

    lineage = graphene.List(
        graphene.NonNull(ColumnLineageNode),
        required=True,
        args={
            "node_unique_id": graphene.Argument(
                graphene.String, required=True, description="The node whose columns to trace"
            ),
            "filters": graphene.Argument(ColumnLineageFilter, description="Which columns"),
        },
        description="Every column in the lineage of the node's columns, upstream and downstream",
    )


class ColumnRoot:
    def __init__(self, ctx: Ctx) -> None:
        self.ctx = ctx

    def lineage(self, node_unique_id: str, filters: Any = None) -> list[dict[str, Any]]:
        filters = filters or {}
        depth = filters.get("max_depth")
        if depth is not None and depth < 0:
            depth = 0
        graph = column_graph(
            environment=self.ctx.environment,
            unique_id=node_unique_id,
            column=filters.get("column_name") or "",
            up_depth=depth,
            down_depth=depth,
        )
        nodes = lineage_nodes(graph, self.ctx)
        is_error = filters.get("is_error")
        if is_error is not None:
            nodes = [n for n in nodes if n["is_error"] == is_error]
        return nodes


def _id(ref: tuple[str, str]) -> str:
    return f"{ref[0]}.{ref[1]}"


def lineage_nodes(graph: ColumnGraph, ctx: Ctx) -> list[dict[str, Any]]:
    parents: dict[tuple[str, str], set[str]] = {}
    children: dict[tuple[str, str], set[str]] = {}
    for edge in graph.edges:
        parents.setdefault(edge.child, set()).add(_id(edge.parent))
        children.setdefault(edge.parent, set()).add(_id(edge.child))
    out = []
    for ref, state in sorted(graph.columns.items()):
        out.append(
            {
                "account_id": ctx.account_id or None,
                "child_columns": sorted(children.get(ref, ())),
                "environment_id": ctx.environment.pk,
                "error": state.error or None,
                "error_category": state.error_category or None,
                "is_error": state.is_error,
                "name": state.column,
                "node_unique_id": state.unique_id,
                "parent_columns": sorted(parents.get(ref, ())),
                "project_id": (
                    ctx.project_id(state.project_pk) if state.project_pk is not None else None
                ),
                "relationship": state.kind or None,
                "run_id": None,
                "unique_id": _id(ref),
            }
        )
    return out


class ColumnQueries(ObjectType):
    class Meta:
        abstract = True

    column = graphene.Field(
        ColumnQueryNode,
        args={
            "environment_id": graphene.Argument(
                BigInt, required=True, description="The environment id"
            )
        },
        description="Column-level lineage of an environment",
    )

    @staticmethod
    def resolve_column(_root: Any, _info: Any, environment_id: int) -> ColumnRoot:
        return ColumnRoot(environment_ctx(environment_id))
