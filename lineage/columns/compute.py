"""An environment's column lineage: what to parse again, parsing, and writing the results.

- Inputs come from the catalog: each model's and snapshot's compiled code, the adapter type of
  its project as the dialect, its parents from Edge rows with their relation names and known
  columns (warehouse columns first, declared ones next). Ephemeral parents are inlined by dbt
  as `__dbt__cte__<name>` CTEs; their columns come from their own parse when nothing declares
  them, and so do those of a parent model without a catalog entry or declared columns (when
  its parse traced every column), so those are parsed first, in dependency order. A snapshot's
  config (strategy, unique_key, updated_at, ...) says what dbt's snapshot meta columns are
  made from.
- Incremental: a node is parsed again only when the hash of its input changed (its code, its
  dialect, its parents' column lists, a snapshot's config, or the parser's own source). Seeds
  and sources are never parsed: they are where lineage starts.
- Parsing runs in two processes when many nodes need it, inline otherwise.
- One transaction writes everything, so readers see the previous results or the new ones,
  never half. The environment row is locked first (PostgreSQL), and hashes are read again under
  the lock, so a second run of the same work (a redelivered task) writes nothing twice.

Never call this from a request: lineage.tasks.column_lineage_task runs it after a load.
"""

from __future__ import annotations

import hashlib
import logging
import multiprocessing
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from catalog.models import Column, Edge, Environment, Node
from ingest.load import chunks, insert_rows, refresh_statistics
from lineage.columns import parse
from lineage.columns.parse import (
    ParseInput,
    ParseResult,
    Relation,
    SnapshotConfig,
    ephemeral_ctes,
    relation_key,
    snapshot_config,
)
from lineage.models import ColumnEdge, ColumnLineage, NodeLineage

logger = logging.getLogger(__name__)

PARSED_TYPES = ("model", "snapshot")
PARENT_TYPES = ("model", "snapshot", "seed", "source")
# Above this many nodes to parse, two worker processes; below it, starting them costs more.
POOL_THRESHOLD = 200
POOL_WORKERS = 2
POOL_CHUNK = 50
# A change to the parser changes every result: its source is part of every input hash.
PARSER_DIGEST = hashlib.md5(Path(parse.__file__).read_bytes()).hexdigest()


@dataclass
class ComputeResult:
    nodes: int = 0  # nodes with lineage (models and snapshots)
    parsed: int = 0  # parsed again this time
    removed: int = 0  # gone from the catalog, their lineage with them
    written: int = 0  # results written (0 when another run had written the same already)
    statuses: dict[str, int] = field(default_factory=dict)  # over the parsed ones
    seconds: float = 0.0


@dataclass
class _Node:
    pk: int
    unique_id: str
    name: str
    resource_type: str
    materialized: str
    language: str
    compiled_code: str
    relation_name: str
    dialect: str
    alias: str = ""
    columns: tuple[str, ...] = ()
    declared_only: bool = False  # its columns are those YAML declares: there may be others
    parents: list[str] = field(default_factory=list)
    snapshot: SnapshotConfig | None = None


def column_lineage_compute(
    *,
    environment: Environment,
    full: bool = False,
    parser: Callable[..., ParseResult] | None = None,
) -> ComputeResult:
    """Bring an environment's column lineage up to date with its catalog.

    `full` parses every node again whatever its hash. `parser` replaces parse.parse_node (tests
    use it to fail mid-way); it must be picklable to run in worker processes.
    """
    started = time.monotonic()
    parse_one = parser or parse.parse_node
    nodes = _nodes(environment)
    targets = {uid: n for uid, n in nodes.items() if n.resource_type in PARSED_TYPES}
    stored = dict(
        NodeLineage.objects.filter(environment=environment).values_list("unique_id", "input_hash")
    )
    # Ephemerals, and parents whose columns nothing else says (no catalog entry, none
    # declared), first: the columns they make are part of their children's inputs. They go
    # in waves, each after the waves it reads, a wave's parses shared by the processes.
    waves = _early_waves(targets)
    inferred = (
        {}
        if full
        else _stored_columns(environment, [uid for wave in waves for uid in wave], stored)
    )
    made: dict[str, tuple[str, ...]] = {}
    results: dict[str, tuple[str, ParseResult]] = {}
    for wave in waves:
        pending: list[tuple[str, ParseInput]] = []
        for uid in wave:
            inp = _input(targets[uid], nodes, made)
            digest = input_hash(inp)
            if full or stored.get(uid) != digest:
                pending.append((digest, inp))
            else:
                made[uid] = targets[uid].columns or inferred.get(uid, ())
        parsed = _parse_all(parse_one, [inp for _, inp in pending])
        for (digest, inp), result in zip(pending, parsed, strict=True):
            results[inp.unique_id] = (digest, result)
            made[inp.unique_id] = targets[inp.unique_id].columns or _made_columns(result)
    todo: list[tuple[str, ParseInput]] = []
    for uid, node in targets.items():
        if uid in results:
            continue
        inp = _input(node, nodes, made)
        digest = input_hash(inp)
        if full or stored.get(uid) != digest:
            todo.append((digest, inp))
    parsed = _parse_all(parse_one, [inp for _, inp in todo])
    for (digest, inp), result in zip(todo, parsed, strict=True):
        results[inp.unique_id] = (digest, result)
    removed = [uid for uid in stored if uid not in targets]
    written = _write(environment, results, removed)
    statuses: dict[str, int] = defaultdict(int)
    for _, result in results.values():
        statuses[result.status] += 1
    outcome = ComputeResult(
        nodes=len(targets),
        parsed=len(results),
        removed=len(removed),
        written=written,
        statuses=dict(statuses),
        seconds=time.monotonic() - started,
    )
    logger.info(
        'column lineage of "%s": %s nodes, %s parsed (%s), %s removed, in %.1f s',
        environment.name,
        outcome.nodes,
        outcome.parsed,
        outcome.statuses,
        outcome.removed,
        outcome.seconds,
    )
    return outcome


def input_hash(inp: ParseInput) -> str:
    """What a parse reads, as a digest: equal digests give equal results."""
    h = hashlib.md5(PARSER_DIGEST.encode())
    parts: list[str] = [inp.unique_id, inp.language, inp.dialect, inp.compiled_code]
    parts.append(",".join(inp.output_columns))
    for mapping in (inp.relations, inp.ctes):
        for key in sorted(mapping):
            relation = mapping[key]
            parts.append(
                f"{key}={relation.unique_id}:{','.join(relation.columns)}:{relation.complete}"
            )
        parts.append("|")
    parts.append(repr(inp.snapshot))
    for part in parts:
        h.update(part.encode())
        h.update(b"\x00")
    return h.hexdigest()


def _nodes(environment: Environment) -> dict[str, _Node]:
    """Every node that parses or is a parent, with its known columns and its parents."""
    rows = Node.objects.filter(environment=environment, resource_type__in=PARENT_TYPES).values_list(
        "pk",
        "unique_id",
        "name",
        "resource_type",
        "materialized",
        "language",
        "compiled_code",
        "relation_name",
        "project__adapter_type",
        "alias",
    )
    nodes: dict[str, _Node] = {}
    by_pk: dict[int, _Node] = {}
    for pk, uid, name, rtype, materialized, language, code, relation, adapter, alias in rows:
        if uid in nodes:  # the same id in two projects of one environment: the first wins
            continue
        node = _Node(pk, uid, name, rtype, materialized, language, code, relation, adapter, alias)
        nodes[uid] = node
        by_pk[pk] = node
    # Warehouse columns in warehouse order when the node has any, declared ones otherwise.
    warehouse: dict[int, list[tuple[int, str]]] = defaultdict(list)
    declared: dict[int, list[tuple[int, str]]] = defaultdict(list)
    columns = Column.objects.filter(
        node__environment=environment, node__resource_type__in=PARENT_TYPES
    ).values_list("node_id", "name", "position", "warehouse_index", "in_warehouse", "declared")
    for node_id, name, position, index, in_warehouse, is_declared in columns:
        if in_warehouse:
            warehouse[node_id].append((index if index is not None else position, name))
        if is_declared:
            declared[node_id].append((position, name))
    for pk, node in by_pk.items():
        chosen = warehouse.get(pk) or declared.get(pk) or []
        node.columns = tuple(name for _, name in sorted(chosen))
        node.declared_only = not warehouse.get(pk) and bool(chosen)
    # A snapshot's config says what its meta columns (dbt_valid_from, ...) are made from.
    configs = Node.objects.filter(environment=environment, resource_type="snapshot").values_list(
        "pk", "config"
    )
    for pk, config in configs:
        if pk in by_pk and isinstance(config, dict):
            by_pk[pk].snapshot = snapshot_config(config)
    edges = Edge.objects.filter(
        environment=environment, kind=Edge.Kind.NODE, child__resource_type__in=PARSED_TYPES
    ).values_list("child_unique_id", "parent_unique_id")
    for child, parent in edges:
        if child in nodes and parent not in nodes[child].parents:
            nodes[child].parents.append(parent)
    return nodes


def _early_waves(targets: dict[str, _Node]) -> list[list[str]]:
    """The nodes whose own parse says what columns they make, in waves: each node comes after
    the early nodes it reads. Early are ephemeral models (no relation, so no catalog entry)
    and the models and snapshots that other nodes read but whose columns neither the catalog
    nor YAML gives. A cycle among them (dbt's error, not ours) ends up in one last wave."""
    read = {parent for n in targets.values() for parent in n.parents}
    early = {
        uid
        for uid, n in targets.items()
        if n.materialized == "ephemeral" or (uid in read and not n.columns)
    }
    waiting = {uid: {p for p in targets[uid].parents if p in early and p != uid} for uid in early}
    waves: list[list[str]] = []
    while waiting:
        ready = sorted(uid for uid, parents in waiting.items() if not parents)
        if not ready:  # a cycle: what is left goes last, in name order
            ready = sorted(waiting)
        waves.append(ready)
        for uid in ready:
            del waiting[uid]
        for parents in waiting.values():
            parents.difference_update(ready)
    return waves


def _made_columns(result: ParseResult) -> tuple[str, ...]:
    """The columns a node's SQL makes, when its parse traced every one; () otherwise (a star
    over unknown columns, say, would leave some out)."""
    if result.status != NodeLineage.Status.PARSED:
        return ()
    return tuple(c.column for c in result.columns)


def _stored_columns(
    environment: Environment, uids: list[str], stored: dict[str, str]
) -> dict[str, tuple[str, ...]]:
    """_made_columns of the stored results of `uids` (one query each for statuses and columns)."""
    wanted = [uid for uid in uids if uid in stored]
    if not wanted:
        return {}
    parsed = set(
        NodeLineage.objects.filter(
            environment=environment, unique_id__in=wanted, status=NodeLineage.Status.PARSED
        ).values_list("unique_id", flat=True)
    )
    columns: dict[str, list[str]] = defaultdict(list)
    rows = (
        ColumnLineage.objects.filter(environment=environment, unique_id__in=parsed)
        .order_by("unique_id", "position")
        .values_list("unique_id", "column")
    )
    for uid, column in rows:
        columns[uid].append(column)
    return {uid: tuple(cols) for uid, cols in columns.items()}


def _input(node: _Node, nodes: dict[str, _Node], made: dict[str, tuple[str, ...]]) -> ParseInput:
    """`made`: the columns of parents that only their own parse knows (_early_waves)."""
    relations: dict[str, Relation] = {}
    ctes: dict[str, Relation] = {}
    for uid in node.parents:
        parent = nodes.get(uid)
        if parent is None:  # a node of another project, or not a relation
            continue
        columns = made.get(uid) or parent.columns
        # Columns its own parse traced are all it has; declared ones may not be.
        complete = columns != parent.columns or not parent.declared_only
        relation = Relation(unique_id=uid, columns=columns, complete=complete)
        if parent.materialized == "ephemeral":
            for cte in ephemeral_ctes(parent.name, parent.alias):
                ctes[cte] = relation
        elif parent.relation_name:
            relations[_key(parent.relation_name, node.dialect)] = relation
    return ParseInput(
        unique_id=node.unique_id,
        language=node.language or "sql",
        compiled_code=node.compiled_code,
        dialect=node.dialect,
        relations=relations,
        ctes=ctes,
        output_columns=node.columns,
        snapshot=node.snapshot,
    )


def _key(relation_name: str, dialect: str) -> str:
    try:
        return relation_key(relation_name, dialect)
    except Exception:  # the parser then finds no such relation, and says so
        logger.debug("relation_key failed on %r", relation_name, exc_info=True)
        return relation_name


def _safe_parse(parse_one: Callable[[ParseInput], ParseResult], inp: ParseInput) -> ParseResult:
    """parse_node promises not to raise; if it does, the node failed, with the reason."""
    try:
        return parse_one(inp)
    except Exception as e:
        return ParseResult(
            status="failed",
            category="unsupported",
            reason=f"the parser stopped: {type(e).__name__}: {e}",
            columns=(),
        )


def _parse_chunk(
    parse_one: Callable[[ParseInput], ParseResult], inputs: Sequence[ParseInput]
) -> list[ParseResult]:
    return [_safe_parse(parse_one, inp) for inp in inputs]


def _parse_all(
    parse_one: Callable[[ParseInput], ParseResult], inputs: list[ParseInput]
) -> Iterable[ParseResult]:
    if len(inputs) <= POOL_THRESHOLD:
        return _parse_chunk(parse_one, inputs)
    # fork: the children only parse (no database), and start without re-importing Django.
    context = multiprocessing.get_context("fork")
    try:
        pool = ProcessPoolExecutor(max_workers=POOL_WORKERS, mp_context=context)
    except (OSError, AssertionError) as e:  # e.g. inside a daemonic process
        logger.warning("no worker processes (%s): parsing inline", e)
        return _parse_chunk(parse_one, inputs)
    with pool:
        parts = pool.map(
            _parse_chunk,
            [parse_one] * ((len(inputs) + POOL_CHUNK - 1) // POOL_CHUNK),
            list(chunks(inputs, POOL_CHUNK)),
        )
        return [result for part in parts for result in part]


def _write(
    environment: Environment, results: dict[str, tuple[str, ParseResult]], removed: list[str]
) -> int:
    """Replace the lineage of the parsed and removed nodes, in one transaction."""
    now = timezone.now()
    with transaction.atomic():
        Environment.objects.select_for_update().filter(pk=environment.pk).first()
        # Under the lock: another run may have written the same results meanwhile.
        current = dict(
            NodeLineage.objects.filter(environment=environment).values_list(
                "unique_id", "input_hash"
            )
        )
        fresh = {uid: r for uid, r in results.items() if current.get(uid) != r[0]}
        gone = [uid for uid in removed if uid in current]
        replaced = [uid for uid in fresh if uid in current] + gone
        for part in chunks(replaced):
            for model, key in (
                (NodeLineage, "unique_id"),
                (ColumnLineage, "unique_id"),
                (ColumnEdge, "child_unique_id"),
            ):
                model.objects.filter(environment=environment, **{f"{key}__in": part}).delete()
        env_id = environment.pk
        insert_rows(
            NodeLineage,
            (
                "environment_id",
                "unique_id",
                "status",
                "category",
                "reason",
                "input_hash",
                "columns_total",
                "columns_traced",
                "parsed_at",
            ),
            (
                (
                    env_id,
                    uid,
                    r.status,
                    r.category,
                    r.reason,
                    digest,
                    len(r.columns),
                    sum(1 for c in r.columns if not c.error),
                    now,
                )
                for uid, (digest, r) in fresh.items()
            ),
        )
        insert_rows(
            ColumnLineage,
            (
                "environment_id",
                "unique_id",
                "column",
                "position",
                "kind",
                "error",
                "error_category",
            ),
            (
                (env_id, uid, c.column, i, c.kind, c.error, c.error_category)
                for uid, (_, r) in fresh.items()
                for i, c in enumerate(r.columns)
            ),
        )
        insert_rows(
            ColumnEdge,
            (
                "environment_id",
                "child_unique_id",
                "child_column",
                "parent_unique_id",
                "parent_column",
                "kind",
            ),
            (
                (env_id, uid, c.column, parent, parent_column, c.kind)
                for uid, (_, r) in fresh.items()
                for c in r.columns
                if not c.error
                for parent, parent_column in c.upstream
            ),
        )
    if fresh or gone:
        refresh_statistics(NodeLineage, ColumnLineage, ColumnEdge)
    return len(fresh)
