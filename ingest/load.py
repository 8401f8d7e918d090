"""Write a `Snapshot` into the catalog: atomically, idempotently, in bulk.

- Atomic: everything happens in one transaction. Readers keep seeing the previous snapshot until
  it commits (PostgreSQL MVCC; SQLite in WAL mode); any exception rolls all of it back.
- Serialised: the environment row is locked first (PostgreSQL), and SQLite transactions take
  the write lock at BEGIN, so two loads of one environment never interleave.
- Idempotent and cheap to repeat: each node carries a digest of its record; only added, changed
  and removed nodes are written. Runs are keyed by invocation id and loaded once.
- Fast: rows go in with executemany, never one query per row.
"""

from __future__ import annotations

import hashlib
import logging
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from itertools import islice
from typing import Any, TypeVar

import orjson
from django.db import DatabaseError, connection, models, transaction
from django.db.models import OuterRef, Subquery
from django.utils import timezone

from catalog.models import (
    Column,
    Edge,
    Environment,
    Execution,
    FreshnessResult,
    Ingest,
    Node,
    NodeChange,
    Project,
    Run,
)
from ingest.records import NodeRecord, RunRecord, Snapshot
from ingest.sources.artifacts import SUCCESS_STATUSES, without_nul

logger = logging.getLogger(__name__)

# Bump when NodeRecord or its mapping to rows changes: every node is then rewritten once.
RECORD_FORMAT = b"lantern-node-1"
# Stay under every backend's limit on query parameters (SQLite: 32766 in recent builds).
CHUNK = 900

Progress = Callable[[str, int, int], None]
T = TypeVar("T")
# A node as "what changed" compares it: a few fields and a digest of each column.
Digest = dict[str, Any]


class LoadConflict(Exception):
    """The stored snapshot moved between reading the input and writing it."""


@dataclass
class LoadResult:
    project_id: int
    counts: dict[str, int] = field(default_factory=dict)
    changed: bool = False  # nodes or runs
    nodes_changed: bool = False  # nodes added, modified (code, config, columns...) or removed


def chunks(items: Sequence[T], size: int = CHUNK) -> Iterator[Sequence[T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def fqn_folder(fqn: Sequence[str], version: str, package: str) -> str:
    """The folder of a resource: its fqn without its name (and, for a version, "vN")."""
    parts = list(fqn[:-1])
    if version and parts and fqn and fqn[-1] == f"v{version}":
        parts = parts[:-1]  # a versioned model: [..., "dim_customers", "v2"]
    return "/".join(parts) if parts else package


def record_hash(record: NodeRecord) -> str:
    payload = orjson.dumps(record, option=orjson.OPT_SORT_KEYS | orjson.OPT_NON_STR_KEYS)
    return hashlib.blake2b(RECORD_FORMAT + payload, digest_size=16).hexdigest()


def short_hash(value: str) -> str:
    return hashlib.blake2b(value.encode(), digest_size=6).hexdigest() if value else ""


def node_digest(node: dict[str, Any], columns: Iterable[tuple[str, str, str, str]]) -> Digest:
    """What "what changed" compares between two snapshots of a node.

    Small, but for the code and the description, kept whole so that the page can show what
    they were: only nodes a load adds, modifies or removes get a digest.
    """
    deprecation = node.get("deprecation_date")
    return {
        "checksum": node.get("checksum") or "",
        "raw_code": node.get("raw_code") or "",
        "description": short_hash(node.get("description") or ""),
        "description_text": node.get("description") or "",
        "access": node.get("access") or "",
        "contract_enforced": bool(node.get("contract_enforced")),
        "version": node.get("version") or "",
        "latest_version": node.get("latest_version") or "",
        "deprecation_date": deprecation.isoformat() if deprecation else None,
        "group": node.get("group_name") or "",
        "owner": node.get("owner_email") or node.get("owner_name") or "",
        "materialized": node.get("materialized") or "",
        "columns": {
            name: [data_type, warehouse_type, short_hash(description)]
            for name, data_type, warehouse_type, description in columns
        },
    }


def record_digest(record: NodeRecord) -> Digest:
    return node_digest(
        {
            "checksum": record.checksum,
            "raw_code": record.raw_code,
            "description": record.description,
            "access": record.access,
            "contract_enforced": record.contract_enforced,
            "version": record.version,
            "latest_version": record.latest_version,
            "deprecation_date": record.deprecation_date,
            "group_name": record.group_name,
            "owner_email": record.owner_email,
            "owner_name": record.owner_name,
            "materialized": record.materialized,
        },
        ((c.name, c.data_type, c.warehouse_type, c.description) for c in record.columns),
    )


DIGEST_FIELDS = (
    "id",
    "unique_id",
    "resource_type",
    "checksum",
    "raw_code",
    "description",
    "access",
    "contract_enforced",
    "version",
    "latest_version",
    "deprecation_date",
    "group_name",
    "owner_email",
    "owner_name",
    "materialized",
)


def stored_digests(node_ids: Sequence[int]) -> dict[str, tuple[str, Digest]]:
    """unique_id -> (resource_type, digest) for nodes as they are stored now."""
    columns: dict[int, list[tuple[str, str, str, str]]] = {}
    nodes: list[dict[str, Any]] = []
    for chunk in chunks(node_ids):
        nodes.extend(Node.objects.filter(id__in=chunk).values(*DIGEST_FIELDS))
        for row in (
            Column.objects.filter(node_id__in=chunk)
            .order_by("node_id", "position")
            .values_list("node_id", "name", "data_type", "warehouse_type", "description")
        ):
            columns.setdefault(row[0], []).append(row[1:])
    return {
        n["unique_id"]: (n["resource_type"], node_digest(n, columns.get(n["id"], ())))
        for n in nodes
    }


# --------------------------------------------------------------------------------------------
# Bulk writes


def json_text(value: Any) -> str | None:
    if value is None:
        return None
    if not value:  # most tags, meta and constraints are empty
        return "[]" if isinstance(value, list) else "{}" if isinstance(value, dict) else "null"
    dumped = orjson.dumps(value, option=orjson.OPT_NON_STR_KEYS)
    if b"\\u0000" in dumped:
        dumped = orjson.dumps(without_nul(value), option=orjson.OPT_NON_STR_KEYS)
    return dumped.decode()


def _column_of(field: models.Field[Any, Any] | models.ForeignObjectRel) -> str:
    if not isinstance(field, models.Field) or not field.column:
        raise TypeError(f"{field} is not a column")
    return field.column


def _datetime_adapter() -> Callable[[datetime], Any]:
    """The backend's conversion of an aware datetime to a query parameter.

    On SQLite it is the text Django's own adapter writes (naive, in the connection's time
    zone), without its per-value setting lookups: a load adapts a few hundred thousand.
    """
    if connection.vendor != "sqlite":
        return connection.ops.adapt_datetimefield_value
    tz = connection.timezone

    def adapt(value: datetime) -> str:
        if value.tzinfo is not None:
            value = value.astimezone(tz).replace(tzinfo=None)
        return str(value)

    return adapt


def insert_rows(
    model: type[models.Model], fields: Sequence[str], rows: Iterable[Sequence[Any]]
) -> int:
    """Write many rows without model instances: COPY on PostgreSQL, multi-row INSERTs on SQLite.

    JSON and datetime values are adapted here the way the ORM would for the current backend;
    rows are consumed in batches, so a generator of rows is never held whole in memory.
    """
    meta = model._meta
    field_objects = [meta.get_field(name) for name in fields]
    json_at = [i for i, f in enumerate(field_objects) if isinstance(f, models.JSONField)]
    datetime_at = [i for i, f in enumerate(field_objects) if isinstance(f, models.DateTimeField)]
    adapt_datetime = _datetime_adapter()
    quote = connection.ops.quote_name
    columns = ", ".join(quote(_column_of(f)) for f in field_objects)
    table = quote(meta.db_table)
    # COPY is several times faster than batched INSERTs on PostgreSQL (psycopg 3).
    copy_sql = f"COPY {table} ({columns}) FROM STDIN" if connection.vendor == "postgresql" else ""
    # SQLite: many rows per INSERT. The search index's FTS5 triggers write out their pending
    # terms at every statement; one statement per row made the first load 5 s slower.
    per_statement = _rows_per_statement(len(fields))
    row_sql = "(" + ", ".join(["?"] * len(fields)) + ")"
    head = f"INSERT INTO {table} ({columns}) VALUES "
    written = 0
    iterator = iter(rows)
    with connection.cursor() as cursor:
        while batch := list(islice(iterator, 5000)):
            adapted = []
            for row in batch:
                row = list(row)
                for i in json_at:
                    row[i] = json_text(row[i])
                for i in datetime_at:
                    if row[i] is not None:
                        row[i] = adapt_datetime(row[i])
                adapted.append(row)
            if copy_sql:
                with cursor.cursor.copy(copy_sql) as copy:
                    for row in adapted:
                        copy.write_row(row)
            else:
                # The driver's connection: "?" placeholders, no rewriting of a long statement.
                for start in range(0, len(adapted), per_statement):
                    chunk = adapted[start : start + per_statement]
                    sql = head + ", ".join([row_sql] * len(chunk))
                    connection.connection.execute(sql, [v for row in chunk for v in row])
            written += len(adapted)
    return written


def refresh_statistics(*tables: type[models.Model]) -> None:
    """PostgreSQL: ANALYZE tables a bulk write changed, as its docs advise after one. Without
    statistics the planner guesses, and guessed wrong on a first load: a column page that
    takes 57 ms after ANALYZE took 94 ms before it (autovacuum comes later, or is off)."""
    if connection.vendor != "postgresql" or not tables:
        return
    targets = ", ".join(connection.ops.quote_name(model._meta.db_table) for model in tables)
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            # A sample of 3,000 rows, not 30,000: the same plans for Lantern's pages, in a
            # tenth of the time (0.2 s, not 2 s, after a first load of 10,000 models: a node's
            # code and JSON are most of the table). Autovacuum, where it runs, analyses again
            # later with the server's own target.
            cursor.execute("SET LOCAL default_statistics_target = 10")
            cursor.execute(f"ANALYZE {targets}")
    except DatabaseError:  # the load has committed: slower pages are no reason to fail it
        logger.warning("ANALYZE %s failed", targets, exc_info=True)


def _rows_per_statement(width: int) -> int:
    """Rows of `width` values per INSERT on SQLite: up to 500, within its variable limit."""
    if connection.vendor != "sqlite":
        return 1
    connection.ensure_connection()
    limit: int = connection.connection.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)
    return max(1, min(500, limit // width))


NODE_FIELDS = (
    "environment_id",
    "project_id",
    "unique_id",
    "resource_type",
    "name",
    "package_name",
    "fqn",
    "folder",
    "path",
    "original_file_path",
    "patch_path",
    "database",
    "schema",
    "alias",
    "relation_name",
    "description",
    "raw_code",
    "compiled_code",
    "language",
    "checksum",
    "materialized",
    "access",
    "group_name",
    "contract_enforced",
    "version",
    "latest_version",
    "deprecation_date",
    "tags",
    "meta",
    "config",
    "owner_name",
    "owner_email",
    "modeling_layer",
    "source_name",
    "test_type",
    "test_name",
    "tested_unique_id",
    "column_name",
    "data",
    "has_catalog",
    "catalog_type",
    "catalog_owner",
    "catalog_comment",
    "catalog_rows",
    "catalog_bytes",
    "catalog_stats",
    "content_hash",
    "loaded_at",
)
COLUMN_FIELDS = (
    "node_id",
    "name",
    "position",
    "description",
    "data_type",
    "warehouse_type",
    "warehouse_index",
    "warehouse_comment",
    "declared",
    "in_warehouse",
    "tags",
    "meta",
    "constraints",
    "data",
)
EXECUTION_FIELDS = (
    "run_id",
    "environment_id",
    "unique_id",
    "resource_type",
    "status",
    "generated_at",
    "thread_id",
    "execution_time",
    "compile_started_at",
    "compile_completed_at",
    "execute_started_at",
    "execute_completed_at",
    "message",
    "failures",
    "rows_affected",
    "adapter_response",
    "relation_name",
    "data",
)
FRESHNESS_FIELDS = (
    "run_id",
    "environment_id",
    "unique_id",
    "status",
    "generated_at",
    "max_loaded_at",
    "snapshotted_at",
    "age_seconds",
    "criteria",
    "message",
    "execution_time",
    "thread_id",
    "adapter_response",
)


def _node_row(
    r: NodeRecord, env_id: int, project_id: int, digest: str, now: datetime
) -> tuple[Any, ...]:
    c = r.catalog
    return (
        env_id,
        project_id,
        r.unique_id,
        r.resource_type,
        r.name,
        r.package_name,
        r.fqn,
        fqn_folder(r.fqn, r.version, r.package_name),
        r.path,
        r.original_file_path,
        r.patch_path,
        r.database,
        r.schema,
        r.alias,
        r.relation_name,
        r.description,
        r.raw_code,
        r.compiled_code,
        r.language,
        r.checksum,
        r.materialized,
        r.access,
        r.group_name,
        r.contract_enforced,
        r.version,
        r.latest_version,
        r.deprecation_date,
        r.tags,
        r.meta,
        r.config,
        r.owner_name,
        r.owner_email,
        r.modeling_layer,
        r.source_name,
        r.test_type,
        r.test_name,
        r.tested_unique_id,
        r.column_name,
        r.data,
        c is not None,
        c.type if c else "",
        c.owner if c else "",
        c.comment if c else "",
        c.rows if c else None,
        c.bytes if c else None,
        c.stats if c else {},
        digest,
        now,
    )


def _column_rows(records: Iterable[NodeRecord], ids: dict[str, int]) -> Iterator[tuple[Any, ...]]:
    for r in records:
        node_id = ids[r.unique_id]
        seen: set[str] = set()
        for c in r.columns:
            if c.name in seen:  # a name declared twice in YAML: keep the first
                continue
            seen.add(c.name)
            yield (
                node_id,
                c.name,
                c.position,
                c.description,
                c.data_type,
                c.warehouse_type,
                c.warehouse_index,
                c.warehouse_comment,
                c.declared,
                c.in_warehouse,
                c.tags,
                c.meta,
                c.constraints,
                c.data,
            )


def _edge_rows(
    records: Iterable[NodeRecord], ids: dict[str, int], env_id: int
) -> Iterator[tuple[Any, ...]]:
    for r in records:
        node_id = ids[r.unique_id]
        for parent in r.depends_on:
            yield (env_id, node_id, r.unique_id, parent, Edge.Kind.NODE)
        for macro in r.depends_on_macros:
            yield (env_id, node_id, r.unique_id, macro, Edge.Kind.MACRO)


# --------------------------------------------------------------------------------------------
# The load


def snapshot_load(
    *,
    environment: Environment,
    project_name: str,
    snapshot: Snapshot,
    ingest: Ingest | None = None,
    progress: Progress | None = None,
) -> LoadResult:
    """Write `snapshot` as the current state of `project_name` in `environment`."""
    report = progress or (lambda phase, done, total: None)
    now = timezone.now()
    with transaction.atomic():
        env = Environment.objects.select_for_update().get(pk=environment.pk)
        project, _ = Project.objects.get_or_create(environment=env, name=project_name)
        result = LoadResult(project_id=project.pk)
        counts = result.counts
        touched: set[str] = set()

        if snapshot.nodes is not None:
            touched |= _load_nodes(
                env, project, snapshot.nodes, snapshot.unchanged, ingest, now, counts, report
            )
            _update_project(project, snapshot, now)

        report("loading run history", 0, len(snapshot.runs))
        new_runs = _load_runs(env, project, snapshot.runs, ingest, counts)
        for run in new_runs:
            touched.update(e.unique_id for e in run.executions)
            touched.update(f.unique_id for f in run.freshness)

        report("updating latest results", 0, 1)
        _point_at_latest(env, project, sorted(touched))

        result.nodes_changed = bool(
            counts.get("nodes_added") or counts.get("nodes_modified") or counts.get("nodes_removed")
        )
        result.changed = result.nodes_changed or bool(new_runs)
        if result.changed:
            env.generation += 1
        env.last_loaded_at = now
        env.save(update_fields=["generation", "last_loaded_at"])
        report("committing", 1, 1)
    if result.changed:
        report("refreshing planner statistics", 0, 1)
        node_tables = (Node, Column, Edge, NodeChange) if result.nodes_changed else ()
        run_tables = (Run, Execution, FreshnessResult) if new_runs else ()
        refresh_statistics(*node_tables, *run_tables)
    return result


def _update_project(project: Project, snapshot: Snapshot, now: datetime) -> None:
    p = snapshot.project
    if p is None:
        return
    project.dbt_project_id = p.dbt_project_id
    project.dbt_version = p.dbt_version
    project.adapter_type = p.adapter_type
    project.manifest_schema_version = p.schema_version
    project.manifest_generated_at = p.generated_at
    project.manifest_invocation_id = p.invocation_id
    project.catalog_generated_at = p.catalog_generated_at
    if p.dbt_cloud_project_id is not None:
        project.dbt_cloud_project_id = p.dbt_cloud_project_id
    if p.latest_git_sha:
        project.latest_git_sha = p.latest_git_sha
    project.loaded_at = now
    project.save()


def _load_nodes(
    env: Environment,
    project: Project,
    records: list[NodeRecord],
    unchanged: dict[str, str],
    ingest: Ingest | None,
    now: datetime,
    counts: dict[str, int],
    report: Progress,
) -> set[str]:
    """Replace the project's nodes by `records`; returns the unique_ids written."""
    report("comparing with the stored snapshot", 0, len(records))
    # Later duplicates of a unique_id would break the unique constraint; the first one wins.
    by_id: dict[str, NodeRecord] = {}
    for r in records:
        by_id.setdefault(r.unique_id, r)
    hashes = {uid: r.content_hash or record_hash(r) for uid, r in by_id.items()}
    stored = {
        uid: (pk, digest)
        for uid, pk, digest in Node.objects.filter(project=project).values_list(
            "unique_id", "id", "content_hash"
        )
    }
    # The reader left out nodes it found unchanged; that must still hold under the lock.
    for uid, digest in unchanged.items():
        if uid not in stored or stored[uid][1] != digest:
            raise LoadConflict(
                f"{uid} changed while this load was being read (another load ran): load again"
            )
    added = [uid for uid in by_id if uid not in stored]
    modified = [uid for uid in by_id if uid in stored and stored[uid][1] != hashes[uid]]
    removed = [uid for uid in stored if uid not in by_id and uid not in unchanged]
    first_load = not stored

    # "What changed" keeps a digest of each changed node, before and after. The first load of
    # a project is the baseline: everything is new, nothing is logged.
    changes: list[NodeChange] = []
    if not first_load and ingest is not None:
        before = stored_digests([stored[uid][0] for uid in modified + removed])
        for uid in added:
            changes.append(
                NodeChange(
                    ingest=ingest,
                    unique_id=uid,
                    change="added",
                    resource_type=by_id[uid].resource_type,
                    after=record_digest(by_id[uid]),
                )
            )
        for uid in modified:
            changes.append(
                NodeChange(
                    ingest=ingest,
                    unique_id=uid,
                    change="modified",
                    resource_type=by_id[uid].resource_type,
                    before=before[uid][1],
                    after=record_digest(by_id[uid]),
                )
            )
        for uid in removed:
            changes.append(
                NodeChange(
                    ingest=ingest,
                    unique_id=uid,
                    change="removed",
                    resource_type=before[uid][0],
                    before=before[uid][1],
                )
            )

    # A changed node is deleted and written again: simpler than diffing its columns and edges,
    # and history does not hang on node ids.
    gone = [stored[uid][0] for uid in modified + removed]
    for i, chunk in enumerate(chunks(gone)):
        report("removing changed and deleted nodes", i * CHUNK, len(gone))
        # only("id"): the cascade to columns and edges needs ids, not the nodes' code.
        Node.objects.filter(id__in=chunk).only("id").delete()

    fresh = [by_id[uid] for uid in added + modified]
    report("writing nodes", 0, len(fresh))
    insert_rows(
        Node,
        NODE_FIELDS,
        (_node_row(r, env.pk, project.pk, hashes[r.unique_id], now) for r in fresh),
    )
    ids = dict(Node.objects.filter(project=project).values_list("unique_id", "id"))
    report("writing columns", 0, len(fresh))
    columns = insert_rows(Column, COLUMN_FIELDS, _column_rows(fresh, ids))
    report("writing edges", 0, len(fresh))
    insert_rows(
        Edge,
        ("environment_id", "child_id", "child_unique_id", "parent_unique_id", "kind"),
        _edge_rows(fresh, ids, env.pk),
    )
    if changes:
        NodeChange.objects.bulk_create(changes, batch_size=500)

    counts.update(
        nodes_added=len(added),
        nodes_modified=len(modified),
        nodes_removed=len(removed),
        nodes_unchanged=len(unchanged) + len(by_id) - len(added) - len(modified),
        columns_written=columns,
    )
    return set(added) | set(modified)


def _load_runs(
    env: Environment,
    project: Project,
    runs: list[RunRecord],
    ingest: Ingest | None,
    counts: dict[str, int],
) -> list[RunRecord]:
    """Store the runs not stored before; returns those."""
    keys = {(r.kind, r.invocation_id) for r in runs}
    stored = set(
        Run.objects.filter(environment=env, invocation_id__in={k[1] for k in keys}).values_list(
            "kind", "invocation_id"
        )
    )
    new_runs: list[RunRecord] = []
    executions = freshness = 0
    for record in runs:
        key = (record.kind, record.invocation_id)
        if key in stored:
            continue
        stored.add(key)
        statuses: dict[str, int] = {}
        for item in record.executions or record.freshness:
            statuses[item.status] = statuses.get(item.status, 0) + 1
        run = Run.objects.create(
            environment=env,
            project=project,
            ingest=ingest,
            kind=record.kind,
            invocation_id=record.invocation_id,
            command=record.command,
            args=without_nul(record.args),
            dbt_version=record.dbt_version,
            schema_version=record.schema_version,
            started_at=record.started_at,
            generated_at=record.generated_at,
            elapsed_time=record.elapsed_time,
            job_id=record.job_id,
            run_id=record.run_id,
            status_counts=statuses,
            has_errors=any(s in statuses for s in ("error", "fail", "runtime error")),
        )
        executions += insert_rows(
            Execution,
            EXECUTION_FIELDS,
            (
                (
                    run.pk,
                    env.pk,
                    e.unique_id,
                    e.unique_id.split(".", 1)[0],
                    e.status,
                    record.generated_at,
                    e.thread_id,
                    e.execution_time,
                    e.compile_started_at,
                    e.compile_completed_at,
                    e.execute_started_at,
                    e.execute_completed_at,
                    e.message,
                    e.failures,
                    e.rows_affected,
                    e.adapter_response,
                    e.relation_name,
                    e.data,
                )
                for e in record.executions
            ),
        )
        freshness += insert_rows(
            FreshnessResult,
            FRESHNESS_FIELDS,
            (
                (
                    run.pk,
                    env.pk,
                    f.unique_id,
                    f.status,
                    record.generated_at,
                    f.max_loaded_at,
                    f.snapshotted_at,
                    f.age_seconds,
                    f.criteria,
                    f.message,
                    f.execution_time,
                    f.thread_id,
                    f.adapter_response,
                )
                for f in record.freshness
            ),
        )
        new_runs.append(record)
    counts.update(
        runs_added=len(new_runs),
        runs_already_loaded=len(runs) - len(new_runs),
        executions_added=executions,
        freshness_results_added=freshness,
    )
    return new_runs


def _point_at_latest(env: Environment, project: Project, unique_ids: list[str]) -> None:
    """Point nodes at their latest execution, latest success and latest freshness result."""
    latest = Execution.objects.filter(environment=env, unique_id=OuterRef("unique_id")).order_by(
        "-generated_at", "-id"
    )
    latest_freshness = FreshnessResult.objects.filter(
        environment=env, unique_id=OuterRef("unique_id")
    ).order_by("-generated_at", "-id")
    for chunk in chunks(unique_ids):
        Node.objects.filter(project=project, unique_id__in=chunk).update(
            last_execution=Subquery(latest.values("id")[:1]),
            last_success_execution=Subquery(
                latest.filter(status__in=SUCCESS_STATUSES).values("id")[:1]
            ),
            last_freshness=Subquery(latest_freshness.values("id")[:1]),
        )
