"""Lantern's GraphQL schema: the dbt Cloud Discovery API, served by catalog.graphql.

The transport (catalog/graphql/views.py) executes `schema`; catalog/graphql/schema.graphql is
its printed SDL, kept current by `python -m catalog.graphql.sdl` (a test fails when it is
stale).
"""

from __future__ import annotations

import graphene

from catalog.graphql.columns import ColumnQueries
from catalog.graphql.queries import CatalogQueries
from catalog.graphql.types import applied, definition, jobs, lineage
from catalog.graphql.types.base import ObjectType


class Query(CatalogQueries, ColumnQueries):
    class Meta:
        description = (
            "The dbt Cloud Discovery API (environment and job levels), over Lantern's catalog"
        )


def implementations() -> list[type[ObjectType]]:
    """Every node type, including those reached only through an interface (nested nodes,
    lineage nodes, ...), which the schema must be told about."""
    return [
        value
        for module in (applied, definition, lineage, jobs)
        for value in vars(module).values()
        if isinstance(value, type)
        and issubclass(value, ObjectType)
        and value.__module__ == module.__name__
    ]


schema = graphene.Schema(query=Query, types=implementations())
