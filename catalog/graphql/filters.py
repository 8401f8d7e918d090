"""The filter and sort inputs of the Discovery API, and the querysets they select.

Given fields AND together; a list field matches any of its values; an empty list or a null
is no filter. `identifier` is the relation's name in the warehouse (a model's alias, a
source's identifier), not the dbt name, as dbt-mcp relies on; `database`, `schema` and
`identifier` ignore case, as most warehouses do; `uniqueIds` is case-sensitive.
"""

from __future__ import annotations

from typing import Any

import graphene
from django.db import connection
from django.db.models import Q, QuerySet
from django.db.models.expressions import RawSQL

from catalog.graphql.enums import (
    RESOURCE_TYPES,
    AccessLevel,
    AppliedModelSortField,
    AutoExposureBIProvider,
    FreshnessStatus,
    ResourceNodeType,
    RunStatus,
    SortDirection,
    TestStatus,
    TestType,
)
from catalog.graphql.loaders import among
from catalog.models import Node

UNIQUE_IDS = "Nodes with one of these unique ids (case-sensitive)"
TAGS = "Nodes with at least one of these tags"
DATABASE = "Nodes whose relation is in this database (any case)"
SCHEMA = "Nodes whose relation is in this schema (any case)"
IDENTIFIER = "Nodes whose relation has this name in the warehouse (any case): the alias"
TYPES = "Nodes of these resource types"


def _strings(description: str, **kwargs: Any) -> graphene.List:
    return graphene.List(graphene.NonNull(graphene.String), description=description, **kwargs)


class AppliedModelSort(graphene.InputObjectType):
    class Meta:
        description = "How to order applied models; ties are ordered by uniqueId"

    direction = SortDirection(required=True, description="Ascending or descending")
    field = AppliedModelSortField(required=True, description="The field to sort by")


class AppliedResourcesFilter(graphene.InputObjectType):
    class Meta:
        description = "Which resources of the applied state to list"

    tags = _strings(TAGS)
    types = graphene.List(graphene.NonNull(ResourceNodeType), required=True, description=TYPES)
    unique_ids = _strings(UNIQUE_IDS)


class DefinitionResourcesFilter(graphene.InputObjectType):
    class Meta:
        description = "Which resources of the definition state to list"

    tags = _strings(TAGS)
    types = graphene.List(graphene.NonNull(ResourceNodeType), required=True, description=TYPES)
    unique_ids = _strings(UNIQUE_IDS)


class ExposureFilter(graphene.InputObjectType):
    class Meta:
        description = "Which exposures to list"

    exposure_type = graphene.String(
        description="Exposures of this type: dashboard, notebook, analysis, ml, application"
    )
    tags = _strings(TAGS)
    unique_ids = _strings("Exposures with one of these unique ids (case-sensitive)")


class ExposureTileFilter(graphene.InputObjectType):
    class Meta:
        description = "Which exposure to show as a tile"

    auto_bi_provider = AutoExposureBIProvider(
        description="The BI tool of an automatically discovered exposure (Lantern has none)"
    )
    bi_resource_id = graphene.String(
        description="The BI tool's id of an automatically discovered exposure (Lantern has none)"
    )
    unique_id = graphene.String(description="The unique id of the exposure")


class GenericMaterializedFilter(graphene.InputObjectType):
    class Meta:
        description = "Which seeds, snapshots, metrics, semantic models or saved queries to list"

    database = graphene.String(description=DATABASE)
    identifier = graphene.String(description=IDENTIFIER)
    schema = graphene.String(description=SCHEMA)
    tags = _strings(TAGS)
    unique_ids = _strings(UNIQUE_IDS)


class GroupFilter(graphene.InputObjectType):
    class Meta:
        description = "Which groups to list"

    unique_ids = _strings(UNIQUE_IDS)


class LineageFilter(graphene.InputObjectType):
    class Meta:
        description = (
            "Which part of the lineage to return: the nodes `select` picks (dbt's selector "
            "syntax; all nodes when omitted) minus `exclude`, then only those of `types`, "
            "`uniqueIds` and `tags` when given"
        )

    column_names = _strings("Column-level lineage: not supported yet (an error when given)")
    exclude = graphene.String(
        description="A dbt selector of nodes to leave out (a leading --exclude is accepted)"
    )
    select = graphene.String(
        description="A dbt selector, e.g. +fct_orders+ tag:finance (a leading --select is accepted)"
    )
    tags = _strings(TAGS)
    types = graphene.List(graphene.NonNull(ResourceNodeType), description=TYPES)
    unique_ids = _strings(UNIQUE_IDS)


class MacroDefinitionFilter(graphene.InputObjectType):
    class Meta:
        description = "Which macros to list"

    package_name = graphene.String(description="Macros of this package")
    unique_ids = _strings(UNIQUE_IDS)


class ModelAppliedFilter(graphene.InputObjectType):
    class Meta:
        description = "Which applied models to list"

    access = AccessLevel(description="Models with this access level")
    database = graphene.String(description=DATABASE)
    group = graphene.String(description="Models of this group")
    identifier = graphene.String(description=IDENTIFIER)
    last_run_status = RunStatus(description="Models whose latest execution had this status")
    modeling_layer = graphene.String(description="Models of this modeling layer, e.g. marts")
    package_name = graphene.String(description="Models of this package")
    schema = graphene.String(description=SCHEMA)
    tags = _strings(TAGS)
    unique_ids = _strings(UNIQUE_IDS)


class ModelDefinitionFilter(graphene.InputObjectType):
    class Meta:
        description = "Which models to list"

    access = AccessLevel(description="Models with this access level")
    database = graphene.String(description=DATABASE)
    group = graphene.String(description="Models of this group")
    identifier = graphene.String(description=IDENTIFIER)
    modeling_layer = graphene.String(description="Models of this modeling layer, e.g. marts")
    schema = graphene.String(description=SCHEMA)
    tags = _strings(TAGS)
    unique_ids = _strings(UNIQUE_IDS)


class SourceAppliedFilter(graphene.InputObjectType):
    class Meta:
        description = "Which applied sources to list"

    database = graphene.String(description=DATABASE)
    freshness_checked = graphene.Boolean(
        description="Sources whose freshness was (true) or was never (false) checked"
    )
    freshness_status = FreshnessStatus(
        description="Sources whose latest freshness check had this status"
    )
    identifier = graphene.String(description="Sources whose table has this name (any case)")
    schema = graphene.String(description=SCHEMA)
    source_names = _strings("Sources of one of these source names")
    tags = _strings(TAGS)
    unique_ids = _strings(UNIQUE_IDS)


class SourceDefinitionFilter(graphene.InputObjectType):
    class Meta:
        description = "Which sources to list"

    database = graphene.String(description=DATABASE)
    identifier = graphene.String(description="Sources whose table has this name (any case)")
    schema = graphene.String(description=SCHEMA)
    source_names = _strings("Sources of one of these source names")
    tags = _strings(TAGS)
    unique_ids = _strings(UNIQUE_IDS)


class TestAppliedFilter(graphene.InputObjectType):
    class Meta:
        description = "Which applied tests to list"

    status = graphene.String(
        description="Tests whose latest execution had this status: pass, fail, warn, error, ..."
    )
    tags = _strings(TAGS)
    test_types = graphene.List(graphene.NonNull(TestType), description="Tests of these kinds")
    unique_ids = _strings(UNIQUE_IDS)
    last_known_result = TestStatus(
        description="Tests whose latest execution had this status (deprecated: lastKnownResults)"
    )
    last_known_results = graphene.List(
        TestStatus,
        description=(
            "Tests whose latest execution had one of these statuses; wins over lastKnownResult; "
            "an empty list or null is no filter"
        ),
    )


class TestDefinitionFilter(graphene.InputObjectType):
    class Meta:
        description = "Which tests to list"

    tags = _strings(TAGS)
    unique_ids = _strings(UNIQUE_IDS)


# --------------------------------------------------------------------------------------------
# From inputs to querysets


def value(item: Any) -> Any:
    """A plain value of an input: graphene passes enum inputs as Python enum members."""
    return getattr(item, "value", item)


def tagged(tags: list[str]) -> Q:
    """Nodes with at least one of `tags` (a JSON list), on either database."""
    if connection.vendor == "postgresql":
        condition = Q(pk__in=[])
        for tag in tags:
            condition |= Q(tags__contains=[tag])
        return condition
    placeholders = ", ".join("%s" for _ in tags)
    return Q(
        id__in=RawSQL(
            "SELECT n.id FROM catalog_node n, json_each(n.tags) t "
            f"WHERE t.value IN ({placeholders})",
            tuple(tags),
        )
    )


def common(rows: QuerySet[Node], given: Any) -> QuerySet[Node]:
    """The fields most filters share: uniqueIds, tags, database, schema, identifier."""
    if given is None:
        return rows
    unique_ids = getattr(given, "unique_ids", None)
    if unique_ids:
        rows = rows.filter(among("unique_id", unique_ids))
    tags = getattr(given, "tags", None)
    if tags:
        rows = rows.filter(tagged(list(tags)))
    for name, lookup in (
        ("database", "database__iexact"),
        ("schema", "schema__iexact"),
        ("identifier", "alias__iexact"),
    ):
        wanted = getattr(given, name, None)
        if wanted is not None:
            rows = rows.filter(**{lookup: wanted})
    return rows


def models(rows: QuerySet[Node], given: Any) -> QuerySet[Node]:
    """ModelAppliedFilter and ModelDefinitionFilter."""
    rows = common(rows, given)
    if given is None:
        return rows
    for name, lookup in (
        ("access", "access"),
        ("group", "group_name"),
        ("modeling_layer", "modeling_layer"),
        ("package_name", "package_name"),
        ("last_run_status", "last_execution__status"),
    ):
        wanted = getattr(given, name, None)
        if wanted is not None:
            rows = rows.filter(**{lookup: value(wanted)})
    return rows


FRESHNESS = {
    "Pass": ("pass",),
    "Warn": ("warn",),
    "Error": ("error", "runtime error"),
    "Skipped": ("skipped",),
}


def sources(rows: QuerySet[Node], given: Any) -> QuerySet[Node]:
    """SourceAppliedFilter and SourceDefinitionFilter."""
    rows = common(rows, given)
    if given is None:
        return rows
    names = getattr(given, "source_names", None)
    if names:
        rows = rows.filter(source_name__in=list(names))
    checked = getattr(given, "freshness_checked", None)
    if checked is not None:
        rows = rows.filter(last_freshness__isnull=not checked)
    status = getattr(given, "freshness_status", None)
    if status is not None:
        status = value(status)
        if status == "Unknown":
            rows = rows.filter(last_freshness__isnull=True)
        else:
            rows = rows.filter(last_freshness__status__in=FRESHNESS.get(status, ()))
    return rows


TEST_KINDS = {"GENERIC_DATA_TEST": "generic", "SINGULAR_DATA_TEST": "singular", "UNIT_TEST": "unit"}


def tests(rows: QuerySet[Node], given: Any) -> QuerySet[Node]:
    """TestAppliedFilter and TestDefinitionFilter."""
    rows = common(rows, given)
    if given is None:
        return rows
    status = getattr(given, "status", None)
    if status is not None:
        rows = rows.filter(last_execution__status=status.lower())
    kinds = getattr(given, "test_types", None)
    if kinds:
        rows = rows.filter(test_type__in=[TEST_KINDS[value(k)] for k in kinds])
    results = [value(r) for r in getattr(given, "last_known_results", None) or [] if r]
    if not results and getattr(given, "last_known_result", None) is not None:
        results = [value(given.last_known_result)]
    if results:
        rows = rows.filter(last_execution__status__in=results)
    return rows


def exposures(rows: QuerySet[Node], given: Any) -> QuerySet[Node]:
    rows = common(rows, given)
    kind = getattr(given, "exposure_type", None) if given is not None else None
    if kind is not None:
        rows = rows.filter(data__type=kind)
    return rows


def macros(rows: QuerySet[Node], given: Any) -> QuerySet[Node]:
    rows = common(rows, given)
    package = getattr(given, "package_name", None) if given is not None else None
    if package is not None:
        rows = rows.filter(package_name=package)
    return rows


def resource_types(types: list[Any] | None) -> list[str]:
    """ResourceNodeTypes as Lantern's resource types."""
    return [rt for t in types or [] for rt in RESOURCE_TYPES[str(value(t))]]
