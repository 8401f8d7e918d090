"""Reads of the catalog. Views and the API call these; each decides its own prefetching."""

from __future__ import annotations

from django.db.models import Case, Count, F, QuerySet, When
from django.http import Http404
from django.shortcuts import get_object_or_404

from catalog.models import Column, Edge, Environment, Ingest, Node

# Order in which resource types are listed.
RESOURCE_TYPES = (
    "model",
    "source",
    "seed",
    "snapshot",
    "test",
    "unit_test",
    "exposure",
    "metric",
    "semantic_model",
    "saved_query",
    "analysis",
    "group",
    "macro",
    "operation",
    "function",
)
LIST_FIELDS = (
    "id",
    "unique_id",
    "resource_type",
    "name",
    "package_name",
    "description",
    "materialized",
    "access",
    "owner_name",
    "owner_email",
    "database",
    "schema",
    "alias",
    "last_execution",
)


def environment_get(*, env_id: int) -> Environment:
    return get_object_or_404(Environment, pk=env_id)


def environment_default() -> Environment | None:
    return Environment.objects.filter(is_default=True).first() or Environment.objects.first()


def environment_counts(*, environment: Environment) -> list[tuple[str, int]]:
    """(resource type, count) in display order, only types that occur."""
    counts = dict(
        Node.objects.filter(environment=environment)
        .values_list("resource_type")
        .annotate(n=Count("id"))
        .order_by()
    )
    ordered = [(t, counts.pop(t)) for t in RESOURCE_TYPES if t in counts]
    return ordered + sorted(counts.items())


def node_list(*, environment: Environment, resource_type: str = "") -> QuerySet[Node]:
    """Nodes for a list page: light columns only, with their latest execution."""
    nodes = Node.objects.filter(environment=environment)
    if resource_type:
        nodes = nodes.filter(resource_type=resource_type)
    return (
        nodes.select_related("last_execution")
        .only(*LIST_FIELDS, "last_execution__status", "last_execution__generated_at")
        .order_by("resource_type", "name", "unique_id")
    )


def node_get(*, environment: Environment, unique_id: str, project: str = "") -> Node:
    """One node with its project and latest results (one query).

    Several projects of an environment can hold the same unique_id: dbt's own macros, a
    package installed in both, or the stand-in a dbt Mesh project keeps of an upstream public
    model. Without `project`, the copy of the project that defines it (package_name is the
    project's name) wins, then the most recently loaded one.
    """
    nodes = Node.objects.filter(environment=environment, unique_id=unique_id)
    if project:
        nodes = nodes.filter(project__name=project)
    node = (
        nodes.select_related(
            "project", "last_execution", "last_success_execution", "last_freshness"
        )
        .annotate(
            borrowed=Case(When(package_name=F("project__name"), then=0), default=1),
        )
        .order_by("borrowed", F("project__loaded_at").desc(nulls_last=True), "id")
        .first()
    )
    if node is None:
        raise Http404(f"{unique_id} is not in this environment")
    return node


def node_columns(*, node: Node) -> QuerySet[Column]:
    return node.columns.order_by("position")


def node_parents(*, node: Node) -> list[tuple[str, Node | None]]:
    """What the node depends on: (unique_id, node or None when not in this environment)."""
    parent_ids = list(
        Edge.objects.filter(child=node, kind=Edge.Kind.NODE).values_list(
            "parent_unique_id", flat=True
        )
    )
    found = {
        n.unique_id: n
        for n in Node.objects.filter(
            environment=node.environment_id, unique_id__in=parent_ids
        ).only("unique_id", "name", "resource_type", "description")
    }
    return [(uid, found.get(uid)) for uid in sorted(parent_ids)]


def node_children(*, node: Node) -> list[Node]:
    """Nodes that depend on this one, once each (a unique_id held by two projects counts once)."""
    children = (
        Node.objects.filter(
            environment=node.environment_id,
            parent_edges__parent_unique_id=node.unique_id,
            parent_edges__kind=Edge.Kind.NODE,
        )
        .only("unique_id", "name", "resource_type", "description")
        .order_by("resource_type", "name", "unique_id")
        .distinct()
    )
    return list({child.unique_id: child for child in reversed(children)}.values())[::-1]


def ingest_latest(*, environment: Environment) -> Ingest | None:
    return environment.ingests.select_related("project").first()
