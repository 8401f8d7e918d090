"""What pages, the CSV export and the GraphQL `column` root read of the stored column lineage.

Walks run in the database, as recursive CTEs over lineage.models.ColumnEdge (SQLite and
PostgreSQL alike), so the number of queries stays the same however deep or wide the lineage.

A column's lineage is only as good as its node's parse: every column carries its node's status,
and a column of a node that failed, or a column the parser could not trace, is an error with
its reason, never an empty lineage.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db import connection

from catalog.models import Column, Edge, Environment, Node
from lineage.models import ColumnEdge, ColumnLineage, NodeLineage

Ref = tuple[str, str]  # (node unique_id, column)

# No depth given: deeper than any dbt project goes.
UNLIMITED = 100_000
# Kinds along which a description still means the same thing upstream.
INHERITING_KINDS = ("passthrough", "rename")
INHERIT_HOPS = 8


@dataclass(frozen=True)
class LineageEdge:
    child: Ref
    parent: Ref
    kind: str
    depth: int  # 1 for the walk's first hop
    direction: str  # "up" or "down"


@dataclass
class ColumnState:
    """One column of a lineage: how it is made, or why that is unknown."""

    unique_id: str
    column: str
    node_name: str = ""
    resource_type: str = ""
    owner: str = ""
    project_pk: int | None = None
    kind: str = ""
    error: str = ""
    error_category: str = ""
    # The node's parse: "" for sources and seeds (lineage starts there, nothing to parse).
    node_status: str = ""
    node_reason: str = ""

    @property
    def is_error(self) -> bool:
        return bool(self.error)

    @property
    def ref(self) -> Ref:
        return (self.unique_id, self.column)


@dataclass
class ColumnGraph:
    """The lineage around one node's columns (or one column): edges and every column's state."""

    unique_id: str
    column: str  # "" for all the node's columns
    edges: list[LineageEdge] = field(default_factory=list)
    columns: dict[Ref, ColumnState] = field(default_factory=dict)
    start: list[Ref] = field(default_factory=list)
    # The node's own parse: (status, category, reason), None when it has none.
    node_state: tuple[str, str, str] | None = None

    def upstream(self) -> list[LineageEdge]:
        return [e for e in self.edges if e.direction == "up"]

    def downstream(self) -> list[LineageEdge]:
        return [e for e in self.edges if e.direction == "down"]

    def parents_of(self, ref: Ref) -> list[Ref]:
        return sorted({e.parent for e in self.edges if e.child == ref})

    def children_of(self, ref: Ref) -> list[Ref]:
        return sorted({e.child for e in self.edges if e.parent == ref})


def _table(model: Any) -> str:
    return str(connection.ops.quote_name(model._meta.db_table))


def _walk_sql(column: str, up_depth: int, down_depth: int) -> tuple[str, list[Any]]:
    """The WITH clause both queries of column_graph share: `up`, `down` and `cols`."""
    e = _table(ColumnEdge)
    cl = _table(ColumnLineage)
    name_filter = "AND LOWER({col}) = LOWER(%s)" if column else ""
    sql = f"""
    WITH RECURSIVE up(uid, col, depth) AS (
        SELECT DISTINCT child_unique_id, child_column, 0 FROM {e}
        WHERE environment_id = %s AND child_unique_id = %s {name_filter.format(col="child_column")}
        UNION
        SELECT x.parent_unique_id, x.parent_column, up.depth + 1 FROM {e} x
        JOIN up ON x.environment_id = %s AND x.child_unique_id = up.uid AND x.child_column = up.col
        WHERE up.depth < %s
    ),
    down(uid, col, depth) AS (
        SELECT DISTINCT parent_unique_id, parent_column, 0 FROM {e}
        WHERE environment_id = %s AND parent_unique_id = %s
        {name_filter.format(col="parent_column")}
        UNION
        SELECT x.child_unique_id, x.child_column, down.depth + 1 FROM {e} x
        JOIN down ON x.environment_id = %s AND x.parent_unique_id = down.uid
            AND x.parent_column = down.col
        WHERE down.depth < %s
    ),
    cols(uid, col) AS (
        SELECT uid, col FROM up UNION SELECT uid, col FROM down
        UNION SELECT unique_id, {connection.ops.quote_name("column")} FROM {cl}
        WHERE environment_id = %s AND unique_id = %s
        {name_filter.format(col=connection.ops.quote_name("column"))}
    )
    """
    return sql, []


def column_graph(
    *,
    environment: Environment,
    unique_id: str,
    column: str = "",
    up_depth: int | None = None,
    down_depth: int | None = None,
    node: Node | None = None,
) -> ColumnGraph:
    """Upstream and downstream column lineage of one node's columns (or of one column), with
    each column's state. Three queries whatever the size."""
    up = UNLIMITED if up_depth is None else max(up_depth, 0)
    down = UNLIMITED if down_depth is None else max(down_depth, 0)
    env_id = environment.pk
    named = [column] if column else []
    params: list[Any] = [
        *(env_id, unique_id, *named, env_id, up),
        *(env_id, unique_id, *named, env_id, down),
        *(env_id, unique_id, *named),
    ]
    with_sql, _ = _walk_sql(column, up, down)
    e = _table(ColumnEdge)
    edges_sql = (
        with_sql
        + f"""
    SELECT 'up', x.child_unique_id, x.child_column, x.parent_unique_id, x.parent_column, x.kind,
        MIN(up.depth) + 1
    FROM up CROSS JOIN {e} x
    WHERE x.environment_id = %s AND x.child_unique_id = up.uid AND x.child_column = up.col
        AND up.depth < %s
    GROUP BY x.child_unique_id, x.child_column, x.parent_unique_id, x.parent_column, x.kind
    UNION ALL
    SELECT 'down', x.child_unique_id, x.child_column, x.parent_unique_id, x.parent_column, x.kind,
        MIN(down.depth) + 1
    FROM down CROSS JOIN {e} x
    WHERE x.environment_id = %s AND x.parent_unique_id = down.uid AND x.parent_column = down.col
        AND down.depth < %s
    GROUP BY x.child_unique_id, x.child_column, x.parent_unique_id, x.parent_column, x.kind
    """
    )
    cl, nl, nodes = _table(ColumnLineage), _table(NodeLineage), _table(Node)
    col = connection.ops.quote_name("column")
    states_sql = (
        with_sql
        + f"""
    SELECT cols.uid, cols.col, c.kind, c.error, c.error_category, n.status, n.category, n.reason,
        o.name, o.resource_type, o.owner_name, o.project_id
    FROM cols
    LEFT JOIN {cl} c ON c.environment_id = %s AND c.unique_id = cols.uid AND c.{col} = cols.col
    LEFT JOIN {nl} n ON n.environment_id = %s AND n.unique_id = cols.uid
    LEFT JOIN (
        SELECT unique_id, MIN(name) AS name, MIN(resource_type) AS resource_type,
            MAX(owner_name) AS owner_name, MIN(project_id) AS project_id
        FROM {nodes} WHERE environment_id = %s AND unique_id IN (SELECT uid FROM cols)
        GROUP BY unique_id
    ) o ON o.unique_id = cols.uid
    """
    )
    graph = ColumnGraph(unique_id=unique_id, column=column)
    with connection.cursor() as cursor:
        cursor.execute(edges_sql, [*params, env_id, up, env_id, down])
        for direction, cu, cc, pu, pc, kind, depth in cursor.fetchall():
            graph.edges.append(LineageEdge((cu, cc), (pu, pc), kind, depth, direction))
        cursor.execute(states_sql, [*params, *[env_id] * 3])
        for (
            uid,
            name,
            kind,
            error,
            category,
            status,
            ncat,
            reason,
            nname,
            rtype,
            owner,
            project,
        ) in cursor.fetchall():
            graph.columns[(uid, name)] = ColumnState(
                unique_id=uid,
                column=name,
                node_name=nname or uid.rsplit(".", 1)[-1],
                resource_type=rtype or uid.split(".", 1)[0],
                owner=owner or "",
                project_pk=project,
                kind=kind or "",
                error=error or "",
                error_category=category or "",
                node_status=status or "",
                node_reason=reason or "",
            )
            if status == "failed" and not kind:  # nothing of a failed node is traced
                state = graph.columns[(uid, name)]
                state.error, state.error_category = reason or "not parsed", ncat or "parse_error"
    graph.edges.sort(key=lambda x: (x.direction, x.depth, x.child, x.parent))
    _add_start(graph, environment, node)
    return graph


def _add_start(graph: ColumnGraph, environment: Environment, known: Node | None) -> None:
    """The node's own columns, traced or not: a failed node has no stored columns, so its
    catalog columns stand in, each an error with the node's reason."""
    node_state = (
        NodeLineage.objects.filter(environment=environment, unique_id=graph.unique_id)
        .values_list("status", "category", "reason")
        .first()
    )
    graph.node_state = node_state
    node = (
        (known.pk, known.name, known.resource_type, known.owner_name, known.project_id)
        if known is not None
        else Node.objects.filter(environment=environment, unique_id=graph.unique_id)
        .values_list("pk", "name", "resource_type", "owner_name", "project_id")
        .first()
    )
    if node is None:
        return
    columns = Column.objects.filter(node_id=node[0])
    if graph.column:
        columns = columns.filter(name__iexact=graph.column)
    names = list(columns.order_by("position").values_list("name", flat=True))
    if graph.column:
        names = names or [graph.column]
    by_lower = {ref[1].lower(): ref for ref in graph.columns if ref[0] == graph.unique_id}
    for name in names:
        ref = by_lower.get(name.lower(), (graph.unique_id, name))
        if ref not in graph.columns:
            state = ColumnState(graph.unique_id, name, node[1], node[2], node[3] or "", node[4])
            if node_state is not None:
                status, category, reason = node_state
                state.node_status, state.node_reason = status, reason
                state.error_category = category or "unknown_columns"
                state.error = (
                    reason
                    if status == "failed"
                    else "the parser found no such output column in the compiled SQL"
                )
            graph.columns[ref] = state
        graph.start.append(ref)
    for ref in graph.columns:
        if ref[0] == graph.unique_id and ref not in graph.start:
            graph.start.append(ref)


def node_lineage_get(*, environment: Environment, unique_id: str) -> NodeLineage | None:
    return NodeLineage.objects.filter(environment=environment, unique_id=unique_id).first()


def node_columns_traced(*, environment: Environment, unique_id: str) -> dict[str, ColumnLineage]:
    """A node's stored output columns by lower-cased name (kind, or error)."""
    rows = ColumnLineage.objects.filter(environment=environment, unique_id=unique_id)
    return {row.column.lower(): row for row in rows}


@dataclass(frozen=True)
class Inherited:
    description: str
    unique_id: str
    column: str
    node_name: str


def inherited_descriptions(
    *, environment: Environment, unique_id: str, columns: list[Column]
) -> dict[str, Inherited]:
    """Descriptions for a node's undescribed columns, by lower-cased column name: the nearest
    described column upstream along passthrough and rename edges, each the column's only
    parent (a union's column has several: which one's description would it be?). One query,
    which follows the undescribed columns' chains only (a column page asks for one)."""
    wanted = {c.name.lower() for c in columns if not c.description.strip()}
    if not wanted:
        return {}
    e, c, n = _table(ColumnEdge), _table(Column), _table(Node)
    only_parent = f"""NOT EXISTS (SELECT 1 FROM {e} o WHERE o.environment_id = x.environment_id
        AND o.child_unique_id = x.child_unique_id AND o.child_column = x.child_column
        AND o.id <> x.id)"""
    kinds = ", ".join(f"'{k}'" for k in INHERITING_KINDS)
    # CROSS JOIN: SQLite keeps that order, so the few chain rows drive the node and column
    # lookups (left to itself it scanned every node of the environment: 45 ms on 10k models).
    # PostgreSQL plans a CROSS JOIN with WHERE conditions like any inner join.
    sql = f"""
    WITH RECURSIVE chain(origin, uid, col, hop) AS (
        SELECT x.child_column, x.parent_unique_id, x.parent_column, 1 FROM {e} x
        WHERE x.environment_id = %s AND x.child_unique_id = %s AND x.kind IN ({kinds})
            AND LOWER(x.child_column) IN ({", ".join(["%s"] * len(wanted))}) AND {only_parent}
        UNION ALL
        SELECT chain.origin, x.parent_unique_id, x.parent_column, chain.hop + 1 FROM {e} x
        JOIN chain ON x.environment_id = %s AND x.child_unique_id = chain.uid
            AND x.child_column = chain.col
        WHERE chain.hop < %s AND x.kind IN ({kinds}) AND {only_parent}
    )
    SELECT chain.origin, chain.hop, chain.uid, c.name, c.description, n.name
    FROM chain CROSS JOIN {n} n CROSS JOIN {c} c
    WHERE n.environment_id = %s AND n.unique_id = chain.uid
        AND c.node_id = n.id AND LOWER(c.name) = LOWER(chain.col) AND c.description <> ''
    ORDER BY chain.hop
    """
    found: dict[str, Inherited] = {}
    env_id = environment.pk
    with connection.cursor() as cursor:
        cursor.execute(sql, [env_id, unique_id, *sorted(wanted), env_id, INHERIT_HOPS, env_id])
        for origin, _hop, uid, name, description, node_name in cursor.fetchall():
            key = origin.lower()
            if key in wanted and description.strip() and key not in found:
                found[key] = Inherited(description, uid, name, node_name)
    return found


@dataclass
class Impact:
    columns: list[ColumnState]
    models: list[dict[str, str]]
    exposures: list[dict[str, str]]
    owners: list[str]


def column_impact(*, environment: Environment, graph: ColumnGraph) -> Impact:
    """Downstream of a column: its columns, their nodes, the exposures on those nodes (and on
    the column's own node), and everyone who owns one of them. One query (the exposures)."""
    refs = sorted({e.child for e in graph.downstream()})
    columns = [graph.columns[r] for r in refs if r in graph.columns]
    models: dict[str, dict[str, str]] = {}
    for state in columns:
        models.setdefault(
            state.unique_id,
            {
                "unique_id": state.unique_id,
                "name": state.node_name,
                "type": state.resource_type,
                "owner": state.owner,
            },
        )
    exposures: dict[str, dict[str, str]] = {}
    rows = Edge.objects.filter(
        environment=environment,
        parent_unique_id__in=[*models, graph.unique_id],
        child__resource_type="exposure",
    ).values_list("child_unique_id", "child__name", "child__owner_name")
    for uid, name, owner in rows:
        exposures.setdefault(uid, {"unique_id": uid, "name": name, "owner": owner or ""})
    owners = {m["owner"] for m in models.values()} | {x["owner"] for x in exposures.values()}
    return Impact(
        columns=columns,
        models=sorted(models.values(), key=lambda m: m["name"]),
        exposures=sorted(exposures.values(), key=lambda x: x["name"]),
        owners=sorted(o for o in owners if o),
    )


def coverage_rows(*, environment: Environment) -> list[dict[str, Any]]:
    """Every parsed node with its status, why, and how many of its columns are traced."""
    names = {
        unique_id: (name, version)
        for unique_id, name, version in Node.objects.filter(
            environment=environment, resource_type__in=("model", "snapshot")
        ).values_list("unique_id", "name", "version")
    }
    rows = []
    for lineage in NodeLineage.objects.filter(environment=environment).order_by("unique_id"):
        rows.append(
            {
                "node": {
                    "unique_id": lineage.unique_id,
                    "name": names.get(lineage.unique_id, (lineage.unique_id, ""))[0],
                    "version": names.get(lineage.unique_id, ("", ""))[1],
                },
                "type": lineage.unique_id.split(".", 1)[0],
                "status": lineage.status,
                "category": lineage.category,
                "reason": lineage.reason,
                "columns": lineage.columns_total,
                "traced": lineage.columns_traced,
                "untraced": lineage.columns_total - lineage.columns_traced,
                "parsed_at": lineage.parsed_at,
            }
        )
    return rows
