"""Reads of the catalog. Views and the API call these; each decides its own prefetching.

What is the same for every request until the next load (facet values, trees, counts) is cached
under the environment's `generation`, which every load that changes something bumps: a cached
value can never outlive the snapshot it was computed from.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any, TypeVar

from django.core.cache import cache
from django.db import connection
from django.db.models import Case, Count, F, IntegerField, Q, QuerySet, TextField, Value, When
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce, Lower, NullIf
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from catalog.models import Column, Edge, Environment, Execution, FreshnessResult, Ingest, Node

T = TypeVar("T")

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
TEST_TYPES = ("test", "unit_test")
# Resource types that read data from a relation: what "downstream users" means in governance.
USER_TYPES = ("model", "snapshot", "seed", "exposure", "metric", "semantic_model", "saved_query")
LIST_FIELDS = (
    "id",
    "unique_id",
    "resource_type",
    "name",
    "package_name",
    "folder",
    "description",
    "materialized",
    "access",
    "group_name",
    "contract_enforced",
    "version",
    "latest_version",
    "deprecation_date",
    "owner_name",
    "owner_email",
    "modeling_layer",
    "database",
    "schema",
    "alias",
    "catalog_rows",
    "catalog_bytes",
    "tags",
    "last_execution",
)
# Filters of the node lists, as named in URLs. "q" narrows by name.
LIST_FILTERS = (
    "type",
    "package",
    "folder",
    "tag",
    "access",
    "materialized",
    "owner",
    "group",
    "layer",
    "status",
    "database",
    "schema",
    "q",
)
# Sort keys of the node lists, as named in URLs ("-" reverses).
LIST_SORTS: dict[str, tuple[Any, ...]] = {
    "name": (Lower("name"), "unique_id"),
    "type": ("resource_type", Lower("name"), "unique_id"),
    "package": ("package_name", Lower("name"), "unique_id"),
    "folder": ("folder", Lower("name"), "unique_id"),
    "materialized": ("materialized", Lower("name"), "unique_id"),
    "owner": ("owner_sort", Lower("name"), "unique_id"),
    "status": ("last_execution__status", Lower("name"), "unique_id"),
    "run": ("last_execution__generated_at", Lower("name"), "unique_id"),
    "rows": ("catalog_rows", Lower("name"), "unique_id"),
    "size": ("catalog_bytes", Lower("name"), "unique_id"),
}


class _Recent:
    """The last values `cached` returned in this process, by key, to save unpickling them.

    A report of a 10k-model project (thousands of rows) costs tens of milliseconds to unpickle
    from the shared cache on every request; kept here it costs nothing. Bounded, least
    recently used first out. Values are shared between requests: callers never mutate them.
    """

    def __init__(self, size: int) -> None:
        self.size = size
        self.items: OrderedDict[str, Any] = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key: str) -> Any:
        with self.lock:
            value = self.items.get(key)
            if value is not None:
                self.items.move_to_end(key)
            return value

    def put(self, key: str, value: Any) -> None:
        with self.lock:
            self.items[key] = value
            self.items.move_to_end(key)
            while len(self.items) > self.size:
                self.items.popitem(last=False)

    def clear(self) -> None:
        with self.lock:
            self.items.clear()


recent = _Recent(size=48)


def cached(environment: Environment, key: str, compute: Callable[[], T]) -> T:
    """`compute()` once per snapshot of `environment` (until the next load changes it).

    Shared between processes through Django's cache (Redis in deployments), and kept in this
    process too. The key holds the environment's creation time, so an environment that reuses
    the id of a deleted one (a restored backup, a test database) never sees its values.
    """
    created = environment.created_at.timestamp() if environment.created_at else 0
    full_key = f"lantern:{environment.pk}:{created:.6f}:{environment.generation}:{key}"
    value: T | None = recent.get(full_key)
    if value is not None:
        return value
    value = cache.get(full_key)
    if value is None:
        value = compute()
        cache.set(full_key, value, timeout=24 * 3600)
    recent.put(full_key, value)
    return value


# --------------------------------------------------------------------------------------------
# Environments


def environment_get(*, env_id: int) -> Environment:
    return get_object_or_404(Environment, pk=env_id)


def environment_default() -> Environment | None:
    return Environment.objects.filter(is_default=True).first() or Environment.objects.first()


def environment_list() -> list[Environment]:
    return list(Environment.objects.only("id", "name", "is_default").order_by("name"))


def environment_counts(*, environment: Environment) -> list[tuple[str, int]]:
    """(resource type, count) in display order, only types that occur."""

    def compute() -> list[tuple[str, int]]:
        counts = dict(
            Node.objects.filter(environment=environment)
            .values_list("resource_type")
            .annotate(n=Count("id"))
            .order_by()
        )
        ordered = [(t, counts.pop(t)) for t in RESOURCE_TYPES if t in counts]
        return ordered + sorted(counts.items())

    return cached(environment, "counts", compute)


@dataclass
class Overview:
    """The environment's front page: what is in it and how it is doing."""

    counts: list[tuple[str, int]]
    columns: int
    projects: list[dict[str, Any]]
    documented: int
    models: int
    tested: int
    statuses: list[tuple[str, int]]
    layers: list[tuple[str, int]]


def environment_overview(*, environment: Environment) -> Overview:
    def compute() -> Overview:
        models = Node.objects.filter(environment=environment, resource_type="model")
        statuses = (
            models.exclude(last_execution=None)
            .values_list("last_execution__status")
            .annotate(n=Count("id"))
            .order_by("-n")
        )
        layers = (
            models.exclude(modeling_layer="")
            .values_list("modeling_layer")
            .annotate(n=Count("id"))
            .order_by("-n")
        )
        return Overview(
            counts=environment_counts(environment=environment),
            columns=Column.objects.filter(node__environment=environment).count(),
            projects=[
                dict(p)
                for p in environment.projects.values(
                    "name", "dbt_version", "adapter_type", "loaded_at", "manifest_generated_at"
                )
            ],
            documented=models.exclude(description="").count(),
            models=models.count(),
            tested=len(tested_ids(environment=environment) & set(model_ids(environment))),
            statuses=list(statuses),
            layers=list(layers),
        )

    return cached(environment, "overview", compute)


def model_ids(environment: Environment) -> list[str]:
    return list(
        Node.objects.filter(environment=environment, resource_type="model").values_list(
            "unique_id", flat=True
        )
    )


def tested_ids(*, environment: Environment) -> set[str]:
    """unique_ids that at least one data or unit test tests."""
    return set(
        Node.objects.filter(environment=environment, resource_type__in=TEST_TYPES)
        .exclude(tested_unique_id="")
        .values_list("tested_unique_id", flat=True)
        .distinct()
    )


def ingest_latest(*, environment: Environment) -> Ingest | None:
    """The latest load that ran (a skipped sync left the catalog as the one before it)."""
    ingests = environment.ingests.exclude(status=Ingest.Status.SKIPPED)
    return ingests.select_related("project").first()


# --------------------------------------------------------------------------------------------
# Lists


def _tag_condition(tag: str) -> Q:
    """Nodes whose tags hold `tag` (a JSON list), on either backend."""
    if connection.vendor == "postgresql":
        return Q(tags__contains=[tag])
    return Q(
        id__in=RawSQL(
            "SELECT n.id FROM catalog_node n, json_each(n.tags) t WHERE t.value = %s", (tag,)
        )
    )


def node_list(
    *, environment: Environment, filters: Mapping[str, str] | None = None, sort: str = "name"
) -> QuerySet[Node]:
    """Nodes for a list page: light columns only, with their latest execution.

    `filters` are LIST_FILTERS by name (empty values ignored); `sort` is a LIST_SORTS key,
    "-" first to reverse. Unknown sorts fall back to name.
    """
    filters = {k: v for k, v in (filters or {}).items() if v and k in LIST_FILTERS}
    nodes = Node.objects.filter(environment=environment)
    lookups = {
        "type": "resource_type",
        "package": "package_name",
        "access": "access",
        "materialized": "materialized",
        "group": "group_name",
        "layer": "modeling_layer",
        "database": "database",
        "schema": "schema",
        "status": "last_execution__status",
    }
    for key, lookup in lookups.items():
        if key in filters:
            value = filters[key]
            if key == "status" and value == "none":
                nodes = nodes.filter(last_execution=None)
            else:
                nodes = nodes.filter(**{lookup: value})
    if "folder" in filters:
        folder = filters["folder"].strip("/")
        nodes = nodes.filter(Q(folder=folder) | Q(folder__startswith=folder + "/"))
    if "owner" in filters:
        owner = filters["owner"]
        nodes = nodes.filter(Q(owner_email=owner) | Q(owner_name=owner))
    if "tag" in filters:
        nodes = nodes.filter(_tag_condition(filters["tag"]))
    if "q" in filters:
        nodes = nodes.filter(name__icontains=filters["q"])

    descending = sort.startswith("-")
    key = sort.lstrip("-")
    order = LIST_SORTS.get(key, LIST_SORTS["name"])
    if key == "owner":
        nodes = nodes.annotate(
            owner_sort=Coalesce(
                NullIf("owner_name", Value("")),
                NullIf("owner_email", Value("")),
                output_field=TextField(),
            )
        )
    # Descending reverses every key, ties included, so "-name" is exactly "name" reversed.
    ordering = []
    for part in order:
        expression = F(part) if isinstance(part, str) else part
        ordering.append(
            expression.desc(nulls_last=True) if descending else expression.asc(nulls_last=True)
        )
    return (
        nodes.select_related("last_execution")
        .only(*LIST_FIELDS, "last_execution__status", "last_execution__generated_at")
        .order_by(*ordering)
    )


def node_count(*, environment: Environment, filters: Mapping[str, str]) -> int:
    """How many nodes node_list gives for `filters` (cached per snapshot)."""
    used = sorted((k, v) for k, v in filters.items() if v and k in LIST_FILTERS)
    key = "count:" + hashlib.blake2b(repr(used).encode(), digest_size=12).hexdigest()
    return cached(
        environment, key, lambda: node_list(environment=environment, filters=dict(used)).count()
    )


def _facet(nodes: QuerySet[Node], field_name: str) -> list[tuple[str, int]]:
    return [
        (value, n)
        for value, n in nodes.exclude(**{field_name: ""})
        .values_list(field_name)
        .annotate(n=Count("id"))
        .order_by("-n", field_name)
    ]


def _tag_facet(environment: Environment, resource_type: str) -> list[tuple[str, int]]:
    each = (
        "jsonb_array_elements_text(n.tags)"
        if connection.vendor == "postgresql"
        else "json_each(n.tags)"
    )
    value = "t" if connection.vendor == "postgresql" else "t.value"
    where = "n.environment_id = %s" + (" AND n.resource_type = %s" if resource_type else "")
    params: list[Any] = [environment.pk] + ([resource_type] if resource_type else [])
    sql = (
        f"SELECT {value}, COUNT(*) FROM catalog_node n, {each} t WHERE {where} "
        f"GROUP BY {value} ORDER BY COUNT(*) DESC, {value}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [(str(v), int(n)) for v, n in cursor.fetchall()]


def list_facets(*, environment: Environment, resource_type: str = "") -> dict[str, Any]:
    """The values each list filter can take (with counts) for one resource type, or all."""

    def compute() -> dict[str, Any]:
        nodes = Node.objects.filter(environment=environment)
        if resource_type:
            nodes = nodes.filter(resource_type=resource_type)
        owners: dict[str, int] = {}
        for email, name, n in (
            nodes.values_list("owner_email", "owner_name").annotate(n=Count("id")).order_by()
        ):
            owner = email or name
            if owner:
                owners[owner] = owners.get(owner, 0) + n
        statuses = [
            (status or "none", n)
            for status, n in nodes.values_list("last_execution__status")
            .annotate(n=Count("id"))
            .order_by("-n")
        ]
        return {
            "package": _facet(nodes, "package_name"),
            "access": _facet(nodes, "access"),
            "materialized": _facet(nodes, "materialized"),
            "group": _facet(nodes, "group_name"),
            "layer": _facet(nodes, "modeling_layer"),
            "database": _facet(nodes, "database"),
            "schema": _facet(nodes, "schema"),
            "owner": sorted(owners.items(), key=lambda item: (-item[1], item[0])),
            "tag": _tag_facet(environment, resource_type),
            "status": statuses if any(s != "none" for s, _ in statuses) else [],
        }

    return cached(environment, f"facets:{resource_type}", compute)


# --------------------------------------------------------------------------------------------
# Trees


@dataclass
class Folder:
    name: str
    path: str
    count: int = 0  # resources in this folder and below
    children: list[Folder] = field(default_factory=list)
    # The node_list filters that list what this folder holds.
    filters: dict[str, str] = field(default_factory=dict)


def _tree(
    rows: Iterable[tuple[list[str], int]], filters: Callable[[list[str]], dict[str, str]]
) -> list[Folder]:
    root = Folder(name="", path="")
    index: dict[str, Folder] = {"": root}
    for parts, n in rows:
        path = ""
        parent = root
        parent.count += n
        for depth, part in enumerate(parts):
            path = f"{path}/{part}" if path else part
            folder = index.get(path)
            if folder is None:
                folder = Folder(name=part, path=path, filters=filters(parts[: depth + 1]))
                index[path] = folder
                parent.children.append(folder)
            folder.count += n
            parent = folder

    def order(folder: Folder) -> None:
        folder.children.sort(key=lambda f: f.name.lower())
        for child in folder.children:
            order(child)

    order(root)
    return root.children


def folder_tree(*, environment: Environment, resource_type: str = "") -> list[Folder]:
    """Project folders (from the fqn) with the number of resources in each, packages first."""

    def compute() -> list[Folder]:
        nodes = Node.objects.filter(environment=environment)
        if resource_type:
            nodes = nodes.filter(resource_type=resource_type)
        counts = nodes.values_list("folder").annotate(n=Count("id")).order_by()
        return _tree(
            ((folder.split("/") if folder else [], n) for folder, n in counts),
            lambda parts: {"folder": "/".join(parts)},
        )

    return cached(environment, f"folders:{resource_type}", compute)


def database_tree(*, environment: Environment) -> list[Folder]:
    """database / schema, with the number of relations in each (nodes that have one)."""

    def compute() -> list[Folder]:
        counts = (
            Node.objects.filter(environment=environment)
            .exclude(schema="")
            .exclude(resource_type__in=TEST_TYPES)
            .values_list("database", "schema")
            .annotate(n=Count("id"))
            .order_by()
        )
        return _tree(
            (([database or "(no database)", schema], n) for database, schema, n in counts),
            lambda parts: dict(zip(("database", "schema"), parts, strict=False)),
        )

    return cached(environment, "databases", compute)


# --------------------------------------------------------------------------------------------
# One node


NODE_HEADER_RELATED = ("project", "last_execution", "last_success_execution", "last_freshness")


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
        nodes.select_related(*NODE_HEADER_RELATED)
        .annotate(
            borrowed=Case(
                When(package_name=F("project__name"), then=0),
                default=1,
                output_field=IntegerField(),
            ),
        )
        .order_by("borrowed", F("project__loaded_at").desc(nulls_last=True), "id")
        .first()
    )
    if node is None:
        raise Http404(f"{unique_id} is not in this environment")
    return node


def node_columns(*, node: Node) -> list[Column]:
    return list(node.columns.order_by("position"))


LINK_FIELDS = ("id", "unique_id", "name", "resource_type", "description", "version", "package_name")


def node_parents(*, node: Node) -> list[tuple[str, Node | None]]:
    """What the node depends on: (unique_id, node or None when not in this environment)."""
    parent_ids = list(
        Edge.objects.filter(child=node, kind=Edge.Kind.NODE).values_list(
            "parent_unique_id", flat=True
        )
    )
    found = _nodes_by_id(node.environment_id, parent_ids)
    return sorted(
        ((uid, found.get(uid)) for uid in set(parent_ids)),
        key=lambda item: (_type_rank(item[0]), item[0]),
    )


def _type_rank(unique_id: str) -> int:
    resource_type = unique_id.split(".", 1)[0]
    return RESOURCE_TYPES.index(resource_type) if resource_type in RESOURCE_TYPES else 99


def _nodes_by_id(environment_id: int, unique_ids: Iterable[str]) -> dict[str, Node]:
    found: dict[str, Node] = {}
    nodes = (
        Node.objects.filter(environment=environment_id, unique_id__in=set(unique_ids))
        .select_related("last_execution")
        .only(*LINK_FIELDS, "last_execution__status")
    )
    # A unique_id held by two projects: the most recently written copy, deterministically.
    for n in sorted(nodes, key=lambda n: -n.pk):
        found.setdefault(n.unique_id, n)
    return found


def _dependents(node: Node, kind: str) -> QuerySet[Node]:
    """Nodes with an edge of `kind` from `node`: edges first (by their parent index), then
    the nodes by primary key. One join would make the planner walk every node of the
    environment."""
    child_ids = list(
        Edge.objects.filter(
            environment=node.environment_id, parent_unique_id=node.unique_id, kind=kind
        ).values_list("child_id", flat=True)
    )
    return (
        Node.objects.filter(id__in=child_ids)
        .select_related("last_execution")
        .only(*LINK_FIELDS, "last_execution__status")
    )


def node_children(*, node: Node, include_tests: bool = False) -> list[Node]:
    """Nodes that depend on this one, once each (a unique_id held by two projects counts once)."""
    children = _dependents(node, Edge.Kind.NODE)
    if not include_tests:
        children = children.exclude(resource_type__in=TEST_TYPES)
    unique = {child.unique_id: child for child in children}
    return sorted(unique.values(), key=lambda n: (_type_rank(n.unique_id), n.name, n.unique_id))


TEST_FIELDS = (
    "id",
    "unique_id",
    "name",
    "resource_type",
    "test_type",
    "test_name",
    "column_name",
    "tested_unique_id",
    "data",
    "description",
    "last_execution",
)


def node_tests(*, node: Node) -> list[Node]:
    """Data and unit tests of the node, with their latest results, columns' tests first."""
    tests = (
        Node.objects.filter(
            environment=node.environment_id,
            resource_type__in=TEST_TYPES,
            tested_unique_id=node.unique_id,
        )
        .select_related("last_execution")
        .only(
            *TEST_FIELDS,
            "last_execution__status",
            "last_execution__generated_at",
            "last_execution__failures",
            "last_execution__message",
        )
    )
    unique = {t.unique_id: t for t in tests}
    return sorted(
        unique.values(),
        key=lambda t: (t.resource_type, t.column_name == "", t.column_name, t.test_name, t.name),
    )


def tests_by_column(tests: Iterable[Node]) -> dict[str, list[Node]]:
    """Tests grouped by the (lower-cased) column they test."""
    grouped: dict[str, list[Node]] = {}
    for test in tests:
        if test.column_name:
            grouped.setdefault(test.column_name.lower(), []).append(test)
    return grouped


def node_versions(*, node: Node) -> list[Node]:
    """Every version of a versioned model, newest first; [] for unversioned nodes."""
    if not node.version:
        return []
    versions = {
        n.unique_id: n
        for n in Node.objects.filter(
            environment=node.environment_id,
            resource_type=node.resource_type,
            package_name=node.package_name,
            name=node.name,
        ).only(*LINK_FIELDS, "latest_version", "deprecation_date", "access")
    }

    def key(n: Node) -> tuple[int, float | str]:
        try:
            return (0, -float(n.version))
        except ValueError:
            return (1, n.version)

    return sorted(versions.values(), key=key)


def version_state(node: Node) -> str:
    """latest / prerelease / old, as dbt explains versions; "" when unversioned."""
    if not node.version:
        return ""
    if not node.latest_version or node.version == node.latest_version:
        return "latest"
    try:
        newer = float(node.version) > float(node.latest_version)
    except ValueError:
        newer = node.version > node.latest_version
    return "prerelease" if newer else "old"


def deprecation_state(node: Node, *, soon: timedelta = timedelta(days=30)) -> str:
    """ "past", "soon" (within 30 days) or "" for a node's deprecation date."""
    if node.deprecation_date is None:
        return ""
    now = timezone.now()
    if node.deprecation_date <= now:
        return "past"
    return "soon" if node.deprecation_date <= now + soon else "later"


def node_executions(*, node: Node, limit: int = 10) -> list[Execution]:
    """The node's latest results across runs, newest first."""
    return list(
        Execution.objects.filter(environment=node.environment_id, unique_id=node.unique_id)
        .select_related("run")
        .only(
            "id",
            "status",
            "generated_at",
            "execution_time",
            "failures",
            "message",
            "rows_affected",
            "run__id",
            "run__command",
            "run__invocation_id",
        )
        .order_by("-generated_at", "-id")[:limit]
    )


def node_freshness(*, node: Node, limit: int = 50) -> list[FreshnessResult]:
    """A source's freshness checks across runs, newest first."""
    return list(
        FreshnessResult.objects.filter(
            environment=node.environment_id, unique_id=node.unique_id
        ).order_by("-generated_at", "-id")[:limit]
    )


def macro_users(*, node: Node) -> list[Node]:
    """Nodes and macros that call this macro."""
    unique = {n.unique_id: n for n in _dependents(node, Edge.Kind.MACRO)}
    return sorted(unique.values(), key=lambda n: (_type_rank(n.unique_id), n.name))


def node_macros(*, node: Node) -> list[tuple[str, Node | None]]:
    """Macros the node calls."""
    ids = list(
        Edge.objects.filter(child=node, kind=Edge.Kind.MACRO).values_list(
            "parent_unique_id", flat=True
        )
    )
    found = _nodes_by_id(node.environment_id, ids)
    return sorted(((uid, found.get(uid)) for uid in set(ids)), key=lambda item: item[0])


def group_members(*, node: Node) -> list[Node]:
    """Resources that belong to a group node."""
    return list(
        Node.objects.filter(environment=node.environment_id, group_name=node.name)
        .exclude(resource_type="group")
        .select_related("last_execution")
        .only(*LINK_FIELDS, "access", "last_execution__status")
        .order_by("resource_type", "name")
    )


# --------------------------------------------------------------------------------------------
# Columns


def column_get(*, node: Node, name: str) -> Column:
    """A column of `node` by name: exact first, then ignoring case (warehouses fold case)."""
    columns = list(
        node.columns.annotate(lower_name=Lower("name")).filter(lower_name=name.lower())[:10]
    )
    for column in columns:
        if column.name == name:
            return column
    if columns:
        return columns[0]
    raise Http404(f"{node.unique_id} has no column {name!r}")


@dataclass(frozen=True, slots=True)
class Namesake:
    """Another node's column of the same name, as the column page lists it."""

    unique_id: str
    node_name: str
    version: str
    resource_type: str
    name: str
    data_type: str  # the warehouse's type, else the declared one


@dataclass
class SameName:
    """Columns of other nodes that share a column's name, grouped by their description."""

    total: int
    groups: list[tuple[str, list[Namesake]]]  # (description, columns), most common first
    shown: int


def columns_named(
    *, environment: Environment, name: str, exclude_node: Node | None = None, limit: int = 200
) -> SameName:
    """Every other column of the environment named `name` (any case), with its node. Rows, not
    model instances: a common name lists 200 of them."""
    columns = (
        Column.objects.annotate(lower_name=Lower("name"))
        .filter(lower_name=name.lower(), node__environment=environment)
        .exclude(node__resource_type__in=TEST_TYPES)
    )
    if exclude_node is not None:
        columns = columns.exclude(node_id=exclude_node.pk)
    total = columns.count()
    rows = list(
        columns.order_by("node__unique_id").values_list(
            "node__unique_id",
            "node__name",
            "node__version",
            "node__resource_type",
            "name",
            "warehouse_type",
            "data_type",
            "description",
        )[:limit]
    )
    groups: dict[str, list[Namesake]] = {}
    for uid, node_name, version, rtype, column, warehouse_type, data_type, description in rows:
        namesake = Namesake(uid, node_name, version, rtype, column, warehouse_type or data_type)
        groups.setdefault(description.strip(), []).append(namesake)
    ordered = sorted(groups.items(), key=lambda item: (-len(item[1]), item[0] == "", item[0]))
    return SameName(total=total, groups=ordered, shown=len(rows))


def column_tests(*, node: Node, column: Column) -> list[Node]:
    return tests_by_column(node_tests(node=node)).get(column.name.lower(), [])
