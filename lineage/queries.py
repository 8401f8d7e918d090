"""The lineage DAG of an environment, built from the catalog and cached per load.

`dag_get(environment)` is what views and resolvers call: it answers from an in-process cache
keyed by (environment id, environment.generation), and builds the Dag from the database only
when the environment has been loaded since (every load that changes something bumps the
generation). A build is three queries (the generation, the nodes, the edges) whatever the
size of the project; a cached answer is none. Only the newest generation of each environment
is kept.

The cache lives in the process: each web or worker process builds its own Dag once per load.
`dag_warm(environment)` builds it ahead of the first request; the ingest may call it after a
load, in the process that serves pages.

This is the only module of lineage/ that touches the ORM.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import orjson
from django.db.models import TextField
from django.db.models.functions import Cast

from catalog.models import Edge, Environment, Node, ResourceType
from lineage.graph import Dag, NodeInfo
from lineage.selection import prepare

# Resources that are not part of dbt's graph: macros (edges of kind "macro" point at them),
# groups and docs. Everything else is a node of the Dag.
NOT_IN_DAG = (ResourceType.MACRO, ResourceType.GROUP, "doc")
NODE_FIELDS = (
    "unique_id",
    "resource_type",
    "name",
    "package_name",
    "fqn_json",
    "path",
    "original_file_path",
    "patch_path",
    "tags_json",
    "config_json",
    "access",
    "group_name",
    "version",
    "latest_version",
    "test_type",
    "test_name",
    "source_name",
    "modeling_layer",
    "folder",
    "materialized",
    "owner_name",
    "owner_email",
    "last_execution__status",
    "project__name",
)

# environment id -> (its created_at, generation, Dag). created_at tells a new environment from
# an old one that had the same id (a test database, a restored backup).
_cache: dict[int, tuple[object, int, Dag]] = {}
_lock = threading.Lock()
# One build at a time per environment: concurrent first requests wait for it, not redo it.
_building: dict[int, threading.Lock] = {}


def _cached(environment: Environment) -> Dag | None:
    entry = _cache.get(environment.pk)
    if entry is None or entry[0] != environment.created_at:
        return None
    return entry[2] if entry[1] >= environment.generation else None


def dag_get(environment: Environment) -> Dag:
    """The Dag of the environment as of `environment.generation` (or newer)."""
    dag = _cached(environment)
    if dag is not None:
        return dag
    with _lock:
        building = _building.setdefault(environment.pk, threading.Lock())
    with building:
        dag = _cached(environment)
        if dag is not None:
            return dag
        generation, dag = dag_build(environment.pk)
        with _lock:
            entry = _cache.get(environment.pk)
            # Keep the newest generation only; a slower build of an older one does not win.
            if entry is None or entry[0] != environment.created_at or entry[1] <= generation:
                _cache[environment.pk] = (environment.created_at, generation, dag)
        return dag


def dag_warm(environment: Environment) -> Dag:
    """Build (or reuse) the Dag of the environment's latest load, e.g. right after a load."""
    environment.refresh_from_db(fields=["generation"])
    return dag_get(environment)


def dag_forget(environment_id: int | None = None) -> None:
    """Drop the cached Dag of one environment, or of all (tests, a deleted environment)."""
    with _lock:
        if environment_id is None:
            _cache.clear()
        else:
            _cache.pop(environment_id, None)


def dag_build(environment_id: int) -> tuple[int, Dag]:
    """(generation, Dag) read from the database now.

    The generation is read first: a load that commits while the nodes and edges are read
    makes the Dag newer than its label, never older, so the next request with the new
    generation rebuilds rather than keeping a stale Dag.
    """
    generation = (
        Environment.objects.filter(pk=environment_id).values_list("generation", flat=True).first()
    )
    if generation is None:
        raise Environment.DoesNotExist(f"no environment {environment_id}")
    # JSON columns come as text and are parsed here with orjson, each distinct text once:
    # the 20k tests of a big project share a handful of configs and tag lists, so the Dag
    # holds one dict per distinct config, and the build skips most of the parsing.
    rows = (
        Node.objects.filter(environment_id=environment_id)
        .exclude(resource_type__in=NOT_IN_DAG)
        .annotate(**{f"{name}_json": Cast(name, TextField()) for name in ("fqn", "tags", "config")})
        .values_list(*NODE_FIELDS)
    )
    infos: dict[str, NodeInfo] = {}
    projects: set[str] = set()
    parsed: tuple[dict[str, Any], dict[str, Any]] = ({}, {})
    for row in rows.iterator(chunk_size=5000):
        info = node_info(*row, parsed=parsed)
        project = row[-1]
        projects.add(project)
        # Two projects of one environment may both hold a unique_id (a cross-project ref
        # read as a node): the project the package belongs to wins.
        if info.unique_id not in infos or info.package_name == project:
            infos[info.unique_id] = info
    edges = Edge.objects.filter(environment_id=environment_id, kind=Edge.Kind.NODE).values_list(
        "parent_unique_id", "child_unique_id"
    )
    # Edges from macros, groups and docs are dropped; parents that are not nodes of the
    # environment (other projects, disabled nodes) become placeholders.
    pairs = [
        (parent, child)
        for parent, child in edges.iterator(chunk_size=20000)
        if child in infos and parent != child
    ]
    dag = Dag.build(infos.values(), pairs, projects=projects)
    # Selector indexes too, so that no request pays for them.
    return generation, prepare(dag)


def node_info(
    unique_id: str,
    resource_type: str,
    name: str,
    package_name: str,
    fqn: str | None,
    path: str,
    original_file_path: str,
    patch_path: str,
    tags: str | None,
    config: str | None,
    access: str,
    group_name: str,
    version: str,
    latest_version: str,
    test_type: str,
    test_name: str,
    source_name: str,
    modeling_layer: str,
    folder: str,
    materialized: str,
    owner_name: str,
    owner_email: str,
    status: str | None,
    project: str,
    *,
    parsed: tuple[dict[str, Any], dict[str, Any]],
) -> NodeInfo:
    """A NodeInfo from a row of NODE_FIELDS (JSON as text); `parsed` caches the tag lists
    and configs already parsed, by their text."""
    fqn_list = orjson.loads(fqn) if fqn else None
    tag_list = _parse(tags, parsed[0], tuple)
    config_dict = _parse(config, parsed[1], compact)
    return NodeInfo(
        unique_id=unique_id,
        resource_type=resource_type,
        name=name,
        package_name=package_name,
        fqn=tuple(fqn_list) if isinstance(fqn_list, list) else (),
        path=path,
        original_file_path=original_file_path,
        patch_path=patch_path,
        tags=tag_list if isinstance(tag_list, tuple) else (),
        config=config_dict if isinstance(config_dict, dict) else {},
        access=access,
        group=group_name,
        version=version,
        latest_version=latest_version,
        test_type=test_type,
        test_name=test_name,
        source_name=source_name,
        modeling_layer=modeling_layer,
        folder=folder,
        materialized=materialized,
        status=status or "",
        owner=owner_name or owner_email,
    )


def _parse(text: str | None, parsed: dict[str, Any], shape: Callable[[Any], Any]) -> Any:
    """`shape(json)` of a JSON text, computed once per distinct text (read-only, shared)."""
    if not text:
        return None
    value = parsed.get(text)
    if value is None:
        data = orjson.loads(text)
        value = parsed[text] = shape(data) if isinstance(data, dict | list) else data
    return value


def compact(config: dict[str, Any]) -> dict[str, Any]:
    """The config without empty values, which no selector can match (see NodeInfo.config)."""
    if not isinstance(config, dict):
        return {}
    return {k: v for k, v in config.items() if v is not None and v != "" and v != [] and v != {}}


# --------------------------------------------------------------------------------------------
# Small graphs straight from the database
#
# A node page's graph (a few levels around one node) and its impact list walk the edge table
# level by level: a handful of indexed queries, and no need for the whole environment's Dag,
# whose first build after a load takes a second or two at 10k models.


def _edges_of(environment_id: int, ids: set[str], *, upward: bool) -> list[tuple[str, str]]:
    """(parent, child) node edges whose child (upward) or parent (downward) is in `ids`."""
    edges: list[tuple[str, str]] = []
    key = "child_unique_id__in" if upward else "parent_unique_id__in"
    batch = sorted(ids)
    for start in range(0, len(batch), 900):
        edges.extend(
            Edge.objects.filter(
                environment_id=environment_id,
                kind=Edge.Kind.NODE,
                **{key: batch[start : start + 900]},
            ).values_list("parent_unique_id", "child_unique_id")
        )
    return [(p, c) for p, c in edges if p != c]


def walk(
    environment: Environment, start: set[str], *, upward: bool, depth: int | None
) -> tuple[dict[str, int], list[tuple[str, str]]]:
    """Nodes up to `depth` edges upstream (or downstream) of `start`: (id -> distance, the
    edges walked). One query per level."""
    distance: dict[str, int] = {}
    edges: list[tuple[str, str]] = []
    frontier = set(start)
    level = 0
    while frontier and (depth is None or level < depth):
        level += 1
        found = _edges_of(environment.pk, frontier, upward=upward)
        edges.extend(found)
        reached = {p if upward else c for p, c in found}
        frontier = {uid for uid in reached if uid not in distance and uid not in start}
        for uid in frontier:
            distance[uid] = level
    return distance, edges


def infos_get(environment: Environment, unique_ids: set[str]) -> dict[str, NodeInfo]:
    """NodeInfo of each of `unique_ids` that is a node of the environment."""
    parsed: tuple[dict[str, Any], dict[str, Any]] = ({}, {})
    infos: dict[str, NodeInfo] = {}
    batch = sorted(unique_ids)
    for start in range(0, len(batch), 900):
        rows = (
            Node.objects.filter(environment=environment, unique_id__in=batch[start : start + 900])
            .exclude(resource_type__in=NOT_IN_DAG)
            .annotate(
                **{f"{name}_json": Cast(name, TextField()) for name in ("fqn", "tags", "config")}
            )
            .values_list(*NODE_FIELDS)
        )
        for row in rows:
            info = node_info(*row, parsed=parsed)
            if info.unique_id not in infos or info.package_name == row[-1]:
                infos[info.unique_id] = info
    return infos


def neighbourhood(
    environment: Environment,
    focus: str,
    *,
    up: int,
    down: int,
    expand: tuple[str, ...] = (),
) -> Dag:
    """A Dag holding what a node page's graph may show: the focus, `up` levels of parents and
    `down` levels of children, the neighbours of expanded nodes, and one more ring around all
    of them (so the page can tell which nodes have parents or children it does not show)."""
    ups, up_edges = walk(environment, {focus}, upward=True, depth=up)
    downs, down_edges = walk(environment, {focus}, upward=False, depth=down)
    core = {focus} | set(ups) | set(downs)
    parents_of = {item.strip("+") for item in expand if item.startswith("+")}
    children_of = {item.strip("+") for item in expand if item.endswith("+")}
    expanded = _edges_of(environment.pk, parents_of, upward=True)
    expanded += _edges_of(environment.pk, children_of, upward=False)
    core |= parents_of | children_of | {p for p, _ in expanded} | {c for _, c in expanded}
    ring_up = _edges_of(environment.pk, core, upward=True)
    ring_down = _edges_of(environment.pk, core, upward=False)
    edges = set(up_edges) | set(down_edges) | set(expanded) | set(ring_up) | set(ring_down)
    ids = core | {p for p, _ in edges} | {c for _, c in edges}
    infos = infos_get(environment, ids)
    # Edges into macros or groups are not lineage (NOT_IN_DAG); other unknown ids stay as
    # placeholders, as in the environment's Dag.
    pairs = [(p, c) for p, c in edges if c in infos]
    return Dag.build(infos.values(), pairs)
