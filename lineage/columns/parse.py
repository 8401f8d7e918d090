"""One node's column lineage from its compiled SQL: plain Python and sqlglot, no Django.

This is the contract lineage.columns.compute codes against; it runs in worker processes.

What is traced (README.md "Column-level lineage" says the same):

- The upstream of an output column is its *direct* dependencies through the select list: the
  columns of parent relations (models, seeds, snapshots, sources, or ephemeral models inlined as
  `__dbt__cte__<name>` CTEs, where edges stop) that its expression reads, followed through CTEs,
  recursive CTEs (anchor and recursive branches, to a fixed point), subqueries, unions (column i
  of every branch), PIVOT with an IN list and UNPIVOT (DuckDB, Snowflake, Spark), LATERAL
  subqueries, Snowflake FLATTEN, Spark LATERAL VIEW, `SELECT *` (with EXCLUDE / EXCEPT /
  REPLACE) and DuckDB's COLUMNS(*) / COLUMNS('regex') on their own.
  Join keys, WHERE, HAVING, GROUP BY and QUALIFY are not upstream unless also selected.
- Conditions that decide a value count: CASE WHEN conditions, an aggregate's FILTER (WHERE ...),
  and everything an EXISTS (...) in the select list reads. A scalar or IN subquery contributes
  its select list. Window functions: the function's arguments count; PARTITION BY and ORDER BY
  do not (they choose rows, like a filter), so row_number() has no upstream columns.
- Snapshots: the meta columns dbt's materialisation adds (dbt_scd_id, dbt_updated_at,
  dbt_valid_from, dbt_valid_to, dbt_is_deleted) are traced from the snapshot's config
  (SnapshotConfig, _Tracer.snapshot), as dbt-adapters' snapshot macros build them.
- Kinds: passthrough (a bare column, same name), rename (a bare column, new name), aggregated (an
  aggregate function anywhere on the path, windowed or not), transformed (anything else:
  expressions, casts, ranking and offset window functions, literals). Through CTEs the path
  decides: a bare column of a bare column stays bare; any aggregate on the way makes it
  aggregated. A union column is bare only when it is bare in every branch.
- Statuses: parsed (every output column traced), partial (some columns carry an error, each
  with its reason and category), failed (nothing traced: Python model, missing compiled code,
  parse error with sqlglot's message, or no column could be traced). A column whose expression
  reads anything that cannot be resolved (an unknown relation, an ambiguous name, a star over a
  relation whose columns are unknown) is an error, never a partial edge list. Output columns
  known from the catalog or YAML that the select list does not produce are errors too.

Names: relation names are matched by relation_key (quotes stripped, case folded per dialect;
a name without database/project matches a unique relation with the same trailing parts).
Column names are matched exactly as the dialect folds them first, then case-insensitively when
that is unambiguous, so declared lower-case names still meet Snowflake's upper-case catalog.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import sqlglot
from sqlglot import exp
from sqlglot.dialects.dialect import Dialect, NormalizationStrategy
from sqlglot.errors import ParseError, SqlglotError, TokenError

KINDS = ("passthrough", "rename", "transformed", "aggregated")

CATEGORIES = (
    "",
    "python_model",
    "parse_error",
    "unknown_relation",
    "missing_compiled_code",
    "unsupported",
    "unknown_columns",
)


@dataclass(frozen=True)
class Relation:
    """A parent as the SQL names it."""

    unique_id: str  # the dbt node a relation name resolves to (model/seed/snapshot/source)
    columns: tuple[str, ...]  # its known columns in order (catalog, declared next); () = unknown
    # False when the columns are only those declared in YAML (no catalog entry): the relation
    # may have others, so a name the SQL reads from it is its column even when not declared.
    complete: bool = True


def ephemeral_ctes(name: str, alias: str = "") -> set[str]:
    """The CTE names dbt inlines an ephemeral model under: `__dbt__cte__<name>`, or (later
    versions) `__dbt__cte__<alias>`."""
    return {"__dbt__cte__" + re.sub(r"\W", "_", n) for n in (name, alias or name)}


@dataclass(frozen=True)
class SnapshotConfig:
    """What dbt's snapshot materialisation makes its meta columns from (snapshot_config)."""

    strategy: str  # "timestamp" | "check" | a custom strategy macro's name
    unique_key: tuple[str, ...]  # SQL expressions, usually column names
    updated_at: str  # a SQL expression, usually a column name; "" when not set
    hard_deletes: str  # "ignore" | "invalidate" | "new_record"
    valid_to_current: str  # dbt_valid_to_current: a SQL expression; "" when not set
    column_names: tuple[tuple[str, str], ...]  # (meta column, its name in the table), in order


@dataclass(frozen=True)
class ParseInput:
    """Everything parse_node needs about one node; built from the DB (compute) or artifacts."""

    unique_id: str
    language: str  # "sql" | "python"
    compiled_code: str  # "" when missing
    dialect: str  # adapter type as dbt names it: "duckdb", "snowflake", "bigquery", "postgres", ...
    relations: Mapping[str, Relation]  # relation_key(relation_name, dialect) -> Relation
    # Ephemeral parents inlined by dbt as CTEs: "__dbt__cte__<name>" -> Relation. They are treated
    # as relations: edges stop at the ephemeral node's columns.
    ctes: Mapping[str, Relation]
    output_columns: tuple[str, ...]  # the node's own known columns (catalog, else declared)
    snapshot: SnapshotConfig | None = None  # a snapshot's config, when known


@dataclass(frozen=True)
class ColumnLineage:
    """One output column: its direct upstream columns and how it is made, or why not known."""

    column: str  # output column name (as in output_columns when it matches, per dialect)
    upstream: tuple[tuple[str, str], ...]  # (unique_id, column), deduplicated, sorted
    kind: str  # one of KINDS; "" when error
    error: str = ""  # why this column could not be traced
    error_category: str = ""


@dataclass(frozen=True)
class ParseResult:
    status: str  # "parsed" | "partial" | "failed"
    category: str  # one of CATEGORIES ("" when parsed)
    reason: str  # human-readable, with the parser's message for parse errors
    columns: tuple[ColumnLineage, ...]


# dbt adapter types whose sqlglot dialect has another name; the rest are the same word.
_DIALECTS = {
    "databricks": "databricks",
    "spark": "spark",
    "glue": "spark",
    "sqlserver": "tsql",
    "synapse": "tsql",
    "fabric": "tsql",
    "materialize": "postgres",
    "risingwave": "postgres",
    "timescaledb": "postgres",
    "athena": "athena",
    "trino": "trino",
    "starburst": "trino",
    "presto": "presto",
    "clickhouse": "clickhouse",
    "mysql": "mysql",
    "mariadb": "mysql",
    "oracle": "oracle",
    "teradata": "teradata",
    "sqlite": "sqlite",
    "doris": "doris",
    "starrocks": "starrocks",
    "dremio": "dremio",
    "exasol": "exasol",
}

# Columns dbt's snapshot materialisation adds: they are not in the compiled SQL.
_SNAPSHOT_META = (
    "dbt_scd_id",
    "dbt_updated_at",
    "dbt_valid_from",
    "dbt_valid_to",
    "dbt_is_deleted",
)


def snapshot_config(config: Mapping[str, Any] | None) -> SnapshotConfig | None:
    """A snapshot node's config (manifest `config`) as SnapshotConfig; None without a strategy.

    Read as dbt-adapters reads it (snapshots/strategies.sql and helpers.sql, dbt 1.9+):
    `hard_deletes`, or the older `invalidate_hard_deletes: true` meaning "invalidate";
    `snapshot_meta_column_names` renames meta columns (a null keeps dbt's name).
    """
    if not config or not config.get("strategy"):
        return None
    key = config.get("unique_key")
    if isinstance(key, list | tuple):
        unique_key = tuple(str(k) for k in key if k)
    else:
        unique_key = (str(key),) if key else ()
    hard_deletes = str(config.get("hard_deletes") or "ignore").lower()
    if config.get("invalidate_hard_deletes"):
        hard_deletes = "invalidate"
    renames = config.get("snapshot_meta_column_names") or {}
    if not isinstance(renames, Mapping):
        renames = {}
    return SnapshotConfig(
        strategy=str(config["strategy"]),
        unique_key=unique_key,
        updated_at=str(config.get("updated_at") or ""),
        hard_deletes=hard_deletes,
        valid_to_current=str(config.get("dbt_valid_to_current") or ""),
        column_names=tuple((m, str(renames.get(m) or m)) for m in _SNAPSHOT_META),
    )


def sqlglot_dialect(dialect: str) -> str:
    """The sqlglot dialect for a dbt adapter type ("" = sqlglot's generic SQL)."""
    name = _DIALECTS.get(dialect.lower(), dialect.lower())
    try:
        Dialect.get_or_raise(name)
    except (ValueError, SqlglotError):
        return ""
    return name


class _Names:
    """Case folding of one dialect: the key a name is compared by."""

    def __init__(self, dialect: str) -> None:
        self.dialect = sqlglot_dialect(dialect)
        strategy = Dialect.get_or_raise(self.dialect or None).normalization_strategy
        self.insensitive = strategy in (
            NormalizationStrategy.CASE_INSENSITIVE,
            NormalizationStrategy.CASE_INSENSITIVE_EXCEPT_TABLES,
        ) or (
            # sqlglot's generic dialect: fold like most warehouses do.
            not self.dialect
        )
        self.upper = strategy is NormalizationStrategy.UPPERCASE
        self.sensitive = strategy is NormalizationStrategy.CASE_SENSITIVE

    def key(self, name: str, quoted: bool) -> str:
        if self.insensitive:
            return name.lower()
        if quoted or self.sensitive:
            return name
        return name.upper() if self.upper else name.lower()

    def ident(self, identifier: exp.Expression | None) -> str:
        if isinstance(identifier, exp.Identifier):
            return self.key(identifier.this, bool(identifier.args.get("quoted")))
        if identifier is None:
            return ""
        return self.key(identifier.name, False)

    def display(self, identifier: exp.Identifier) -> str:
        """The name as the warehouse stores it (for output columns without a known spelling)."""
        if self.insensitive or identifier.args.get("quoted"):
            return str(identifier.this)
        return self.key(identifier.this, False)


def relation_key(relation_name: str, dialect: str) -> str:
    """Normalise a relation name so the same relation written in SQL maps to the same key.

    Accepts dbt's relation_name ('"db"."schema"."t"', `proj.ds.t`, db.schema.t): quotes are
    stripped and parts case-folded per dialect (quoted parts keep their case where the
    dialect is case-sensitive for quoted names).
    """
    names = _Names(dialect)
    try:
        table = exp.to_table(relation_name.strip(), dialect=names.dialect or None)
    except (ParseError, TokenError):
        return ".".join(names.key(p.strip('"`[]'), False) for p in relation_name.split("."))
    return _table_key(table, names)


def _table_key(table: exp.Table, names: _Names) -> str:
    parts = [table.args.get("catalog"), table.args.get("db"), table.this]
    out: list[str] = []
    for part in parts:
        if part is None:
            continue
        if isinstance(part, exp.Dot):  # a.b.c.d: more than three parts
            out.extend(names.ident(i) for i in part.find_all(exp.Identifier))
        else:
            out.append(names.ident(part))
    return ".".join(p for p in out if p)


# ---------------------------------------------------------------------------------------
# Traces: what an expression (or a column of a CTE) is made of.
# ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Trace:
    upstream: frozenset[tuple[str, str]] = frozenset()
    bare: bool = False  # a column of a column of ... with no expression on the way
    aggregated: bool = False
    error: str = ""
    category: str = ""


_EMPTY = _Trace()


def _error(message: str, category: str) -> _Trace:
    return _Trace(error=message, category=category)


def _merge(traces: Iterable[_Trace], bare: bool = False, aggregated: bool = False) -> _Trace:
    upstream: set[tuple[str, str]] = set()
    for t in traces:
        if t.error:
            return t
        upstream |= t.upstream
        aggregated = aggregated or t.aggregated
    return _Trace(frozenset(upstream), bare, aggregated)


class _Unresolved(Exception):
    """A name is not in this scope (the caller may look in an outer scope)."""


# ---------------------------------------------------------------------------------------
# Sources: what a FROM item offers.
# ---------------------------------------------------------------------------------------


class _Source:
    names: list[str]  # known output names, in order (keys)
    open: bool  # other names may exist (unknown columns)

    def lookup(self, key: str) -> _Trace:
        raise NotImplementedError

    def star(self) -> list[tuple[str, str, _Trace]] | _Trace:
        """(key, display name, trace) of every column, or an error trace when unknown."""
        raise NotImplementedError

    def _canonical(self, key: str) -> str | None:
        """What `key` names among the known columns, None when none or several do."""
        return key if key in self.names else None

    def has(self, key: str) -> bool:
        return self._canonical(key) is not None


class _RelationSource(_Source):
    def __init__(self, relation: Relation, names: _Names, extra: Iterable[str] = ()) -> None:
        self.relation = relation
        self.by_key: dict[str, str] = {}
        self.folded: dict[str, list[str]] = {}
        self.display: list[str] = []
        for col in (*relation.columns, *extra):
            k = names.key(col, True)
            if k in self.by_key or (col not in relation.columns and col.lower() in self.folded):
                continue  # an extra name already known in another case is the same column
            self.by_key[k] = col
            self.display.append(col)
            self.folded.setdefault(col.lower(), []).append(col)
        self.names = list(self.by_key)
        self.open = not relation.columns or not relation.complete
        self._names = names

    def _canonical(self, key: str) -> str | None:
        if key in self.by_key:
            return self.by_key[key]
        matches = self.folded.get(key.lower(), [])
        return matches[0] if len(matches) == 1 else None

    def lookup(self, key: str) -> _Trace:
        col = self._canonical(key)
        if col is None:
            if not self.open:
                raise _Unresolved(key)
            col = key
        return _Trace(frozenset({(self.relation.unique_id, col)}), bare=True)

    def star(self) -> list[tuple[str, str, _Trace]] | _Trace:
        if not self.relation.columns:
            return _error(
                f"SELECT * from {self.relation.unique_id}, whose columns are not known "
                "(no catalog entry and no declared columns)",
                "unknown_columns",
            )
        return [(k, self.by_key[k], self.lookup(k)) for k in self.names]


class _UnknownSource(_Source):
    """A relation name that resolves to no parent, or a construct the parser does not trace."""

    def __init__(self, message: str, category: str) -> None:
        self.names = []
        self.open = True
        self.trace = _error(message, category)

    def lookup(self, key: str) -> _Trace:
        return self.trace

    def star(self) -> list[tuple[str, str, _Trace]] | _Trace:
        return self.trace


class _DerivedSource(_Source):
    """A CTE or subquery: its output columns, plus stars it could not expand."""

    def __init__(
        self,
        columns: list[tuple[str, str, _Trace]],
        opaque: list[_Source] | None = None,
        incomplete: list[_Source] | None = None,
    ) -> None:
        self.columns = columns
        self.by_key: dict[str, _Trace] = {}
        for key, _display, trace in columns:
            self.by_key.setdefault(key, trace)
        self.names = [k for k, _d, _t in columns]
        # Names that differ only in case (declared lower-case names through a Snowflake star).
        self.folded: dict[str, list[str]] = {}
        for key in self.by_key:
            self.folded.setdefault(key.lower(), []).append(key)
        self.opaque = opaque or []
        # Stars over relations whose known columns may not be all they have (declared only):
        # a name none of the columns has may still be one of theirs.
        self.incomplete = incomplete or []
        self.open = bool(self.opaque or self.incomplete)

    def _canonical(self, key: str) -> str | None:
        if key in self.by_key:
            return key
        matches = self.folded.get(key.lower(), [])
        return matches[0] if len(matches) == 1 else None

    def lookup(self, key: str) -> _Trace:
        canonical = self._canonical(key)
        if canonical is not None:
            return self.by_key[canonical]
        if len(self.opaque) == 1:
            return self.opaque[0].lookup(key)
        if self.opaque:
            return _error(
                f"column {key} may come from several stars over relations with unknown columns",
                "unknown_columns",
            )
        if len(self.incomplete) == 1:
            return self.incomplete[0].lookup(key)
        if self.incomplete:
            return _error(
                f"column {key} is declared by none of several relations a star reads, whose "
                "declared columns may not be all they have",
                "unknown_columns",
            )
        raise _Unresolved(key)

    def star(self) -> list[tuple[str, str, _Trace]] | _Trace:
        if self.opaque:
            first = self.opaque[0].star()
            if isinstance(first, _Trace):
                return first
            return _error("SELECT * over a star whose columns are not known", "unknown_columns")
        return list(self.columns)


class _GeneratedSource(_Source):
    """Rows made by the query itself: VALUES, UNNEST, a table function. Columns read only
    what the generating expression reads."""

    def __init__(self, names: list[tuple[str, str]], trace: _Trace) -> None:
        self.names = [k for k, _ in names]
        self.display = [d for _, d in names]
        self.open = not names
        self.trace = _Trace(trace.upstream, False, trace.aggregated, trace.error, trace.category)

    def lookup(self, key: str) -> _Trace:
        if key in self.names or self.open:
            return self.trace
        raise _Unresolved(key)

    def star(self) -> list[tuple[str, str, _Trace]] | _Trace:
        if self.open:
            return _error("SELECT * over a table function without column names", "unsupported")
        return [(k, d, self.trace) for k, d in zip(self.names, self.display, strict=True)]


# ---------------------------------------------------------------------------------------
# Scopes
# ---------------------------------------------------------------------------------------


@dataclass
class _Scope:
    sources: dict[str, _Source]  # alias key -> source, in FROM order
    parent: _Scope | None = None
    aliases: dict[str, _Trace] = field(default_factory=dict)  # earlier select-list aliases
    env: dict[str, _Source] = field(default_factory=dict)  # CTEs visible here (for subqueries)

    def column(self, col: exp.Column, names: _Names) -> _Trace:
        key = names.ident(col.this)
        table = col.args.get("table")
        if table is not None:
            tkey = names.ident(table)
            scope: _Scope | None = self
            while scope is not None:
                if tkey in scope.sources:
                    try:
                        return scope.sources[tkey].lookup(key)
                    except _Unresolved:
                        return _error(
                            f"column {tkey}.{key} is not among the known columns of {tkey}",
                            "unknown_columns",
                        )
                scope = scope.parent
            # `a.b` where a is a column (a struct field), not a table
            inner = exp.Column(this=table)
            trace = self.column(inner, names)
            if trace.error:
                return _error(f"{tkey}.{key}: no relation or column named {tkey}", "unsupported")
            return _Trace(trace.upstream, False, trace.aggregated)
        return self.unqualified(key)

    def unqualified(self, key: str) -> _Trace:
        found = [s for s in self.sources.values() if s.has(key)]
        if len(found) == 1:
            return found[0].lookup(key)
        if len(found) > 1:
            return _error(
                f"column {key} is ambiguous: more than one relation has it", "unsupported"
            )
        if key in self.aliases:
            return self.aliases[key]
        open_sources = [s for s in self.sources.values() if s.open]
        if len(open_sources) == 1:
            return open_sources[0].lookup(key)
        if self.parent is not None:
            try:
                return self.parent.unqualified(key)
            except _Unresolved:
                pass
        if open_sources:
            return _error(
                f"column {key} could come from any of several relations with unknown columns",
                "unknown_columns",
            )
        raise _Unresolved(key)


# ---------------------------------------------------------------------------------------
# The tracer
# ---------------------------------------------------------------------------------------


class _Tracer:
    def __init__(self, inp: ParseInput) -> None:
        self.inp = inp
        self.names = _Names(inp.dialect)
        self.relations = dict(inp.relations)
        self.ephemeral = {self.names.key(k, False): v for k, v in inp.ctes.items()}
        # Trailing parts of every relation key, for names written without database/schema.
        self.suffixes: dict[str, list[str]] = {}
        for k in self.relations:
            parts = k.split(".")
            for i in range(1, len(parts)):
                self.suffixes.setdefault(".".join(parts[i:]), []).append(k)

    # -- queries -----------------------------------------------------------------------

    def query(
        self, node: exp.Expr, env: dict[str, _Source], parent: _Scope | None = None
    ) -> _DerivedSource:
        env = self.with_ctes(node, env, parent)
        if isinstance(node, exp.Subquery):
            return self.query(node.this, env, parent)
        if isinstance(node, exp.SetOperation):
            return self.set_operation(node, env, parent)
        if isinstance(node, exp.Select):
            return self.select(node, env, parent)
        if isinstance(node, exp.Values):
            return self.values(node, env, parent)
        if isinstance(node, exp.Pivot) and isinstance(node.this, exp.Expression):
            return self.pivot_statement(node, env, parent)
        raise _Unsupported(f"{node.key.upper()} as a query")

    def with_ctes(
        self, node: exp.Expr, env: dict[str, _Source], parent: _Scope | None
    ) -> dict[str, _Source]:
        with_ = node.args.get("with_") or node.args.get("with")
        if not isinstance(with_, exp.With):
            return env
        env = dict(env)
        for cte in with_.expressions:
            key = self.names.ident(cte.args["alias"].this)
            relation = self.ephemeral.get(key)
            if relation is not None:
                env[key] = self.ephemeral_source(relation, cte.this, env)
                continue
            try:
                if with_.args.get("recursive") and self.reads(cte.this, key):
                    env[key] = self.recursive_cte(key, cte, env, parent)
                    continue
                derived = self.query(cte.this, env, parent)
            except _Unsupported as e:
                env[key] = _UnknownSource(str(e), "unsupported")
                continue
            env[key] = self.rename_columns(derived, cte.args["alias"])
        return env

    def reads(self, node: exp.Expr, key: str) -> bool:
        """Whether a query reads the unqualified relation `key` (a CTE's own name)."""
        return any(
            not t.args.get("db") and self.names.ident(t.this) == key
            for t in node.find_all(exp.Table)
            if isinstance(t.this, exp.Identifier)
        )

    def recursive_cte(
        self, key: str, cte: exp.CTE, env: dict[str, _Source], parent: _Scope | None
    ) -> _DerivedSource:
        """WITH RECURSIVE: column i is column i of the anchor branches and of the branches that
        read the CTE itself, where the CTE's columns are what they have become so far. Repeated
        until nothing changes: upstream sets only grow, so it ends."""
        branches: list[exp.Expr] = []

        def flatten(node: exp.Expr) -> None:
            if isinstance(node, exp.Union) and not node.args.get("by_name"):
                flatten(node.left)
                flatten(node.right)
            else:
                branches.append(node)

        body = cte.this
        if isinstance(body, exp.Subquery):
            body = body.this
        flatten(body)
        anchors = [b for b in branches if not self.reads(b, key)]
        steps = [b for b in branches if self.reads(b, key)]
        if not anchors:
            raise _Unsupported(f"recursive CTE {key} has no branch that does not read itself")
        alias = cte.args["alias"]
        start = self.rename_columns(_union([self.query(b, env, parent) for b in anchors]), alias)
        current = start
        for _ in range(100):
            inner = {**env, key: current}
            step = [self.query(b, inner, parent) for b in steps]
            merged = self.rename_columns(_union([start, *step]), alias)
            if merged.columns == current.columns and len(merged.opaque) == len(current.opaque):
                return merged
            current = merged
        raise _Unsupported(f"recursive CTE {key}: its lineage does not settle")

    def ephemeral_source(
        self, relation: Relation, body: exp.Expression, env: dict[str, _Source]
    ) -> _Source:
        """An inlined ephemeral model: a relation whose columns the CTE body names.

        The body reads the ephemeral model's own parents, which are not this node's: a star in
        it is opaque here. The ephemeral model's known columns (declared, or those its own
        parse traced) then stand for it; without them its columns are not known."""
        extra: list[str] = []
        open_ = False
        try:
            derived = self.query(body, env)
            extra = [d for _k, d, _t in derived.columns]
            open_ = derived.open
        except _Unsupported:
            open_ = True
        if open_ and not relation.columns:
            return _RelationSource(Relation(relation.unique_id, ()), self.names, extra)
        return _RelationSource(relation, self.names, extra)

    def rename_columns(
        self, derived: _DerivedSource, alias: exp.Expression | None
    ) -> _DerivedSource:
        """`name(a, b)` aliases on a CTE or subquery rename its columns by position."""
        cols = alias.args.get("columns") if isinstance(alias, exp.TableAlias) else None
        if not cols:
            return derived
        renamed = list(derived.columns)
        for i, ident in enumerate(cols):
            if i < len(renamed):
                renamed[i] = (self.names.ident(ident), self.names.display(ident), renamed[i][2])
        return _DerivedSource(renamed, derived.opaque, derived.incomplete)

    def set_operation(
        self, node: exp.SetOperation, env: dict[str, _Source], parent: _Scope | None
    ) -> _DerivedSource:
        left = self.query(node.left, env, parent)
        right = self.query(node.right, env, parent)
        if isinstance(node, exp.Except | exp.Intersect):
            return left  # the right side only removes rows
        if not node.args.get("by_name") or left.opaque or right.opaque:
            return _union([left, right])
        out: list[tuple[str, str, _Trace]] = []
        right_by_key = {k: t for k, _d, t in right.columns}
        for key, display, trace in left.columns:
            other = right_by_key.get(key, trace)  # only in the left branch
            out.append((key, display, _merge([trace, other], bare=trace.bare and other.bare)))
        left_keys = {k for k, _d, _t in left.columns}
        out += [c for c in right.columns if c[0] not in left_keys]
        return _DerivedSource(out)

    def values(
        self, node: exp.Values, env: dict[str, _Source], parent: _Scope | None
    ) -> _DerivedSource:
        alias = node.args.get("alias")
        cols = alias.args.get("columns") if isinstance(alias, exp.TableAlias) else None
        names = [(self.names.ident(c), self.names.display(c)) for c in cols or []]
        return _DerivedSource([(k, d, _EMPTY) for k, d in names])

    # -- SELECT --------------------------------------------------------------------------

    def select(
        self, node: exp.Select, env: dict[str, _Source], parent: _Scope | None
    ) -> _DerivedSource:
        scope = _Scope({}, parent, env=env)
        from_ = node.args.get("from_") or node.args.get("from")
        items: list[exp.Expression] = []
        if isinstance(from_, exp.From):
            items.append(from_.this)
        for join in node.args.get("joins") or []:
            items.append(join.this)
        items += node.args.get("laterals") or []  # Spark's LATERAL VIEW
        for item in items:
            alias, source = self.source(item, env, scope)
            scope.sources[alias] = source

        out: list[tuple[str, str, _Trace]] = []
        opaque: list[_Source] = []
        incomplete: list[_Source] = []
        for projection in node.expressions:
            if isinstance(projection, exp.Columns) and not projection.args.get("unpack"):
                # DuckDB's COLUMNS(...) on its own: a star, or the columns a regex matches.
                argument = projection.this
                if isinstance(argument, exp.Literal) and argument.is_string:
                    self.columns_matching(argument.this, scope, out, opaque)
                    continue
                if _is_star(argument):
                    projection = argument
            if _is_star(projection):
                star = projection if isinstance(projection, exp.Star) else projection.this
                table = projection.args.get("table") if isinstance(projection, exp.Column) else None
                sources = list(scope.sources.values())
                if table is not None:
                    tkey = self.names.ident(table)
                    if tkey not in scope.sources:
                        raise _Unsupported(f"{tkey}.* names no relation in the FROM clause")
                    sources = [scope.sources[tkey]]
                excluded = {
                    self.names.ident(c.this if isinstance(c, exp.Column) else c)
                    for c in star.args.get("except_") or star.args.get("except") or []
                }
                replaced: dict[str, _Trace] = {}
                for repl in star.args.get("replace") or []:
                    replaced[self.names.ident(repl.args.get("alias"))] = self.expression(
                        repl.this, scope
                    )
                for source in sources:
                    cols = source.star()
                    if isinstance(cols, _Trace):
                        opaque.append(source)
                        continue
                    if source.open:
                        incomplete.append(source)
                    for key, display, trace in cols:
                        if _named(key, excluded):
                            continue
                        replacement = _named_in(key, replaced)
                        if replacement is not None:
                            rt = replaced[replacement]
                            trace = _Trace(rt.upstream, False, rt.aggregated, rt.error, rt.category)
                        out.append((key, display, trace))
                continue
            name = projection.alias_or_name
            ident = projection.args.get("alias") if isinstance(projection, exp.Alias) else None
            if isinstance(ident, exp.TableAlias):
                ident = ident.this
            if ident is None and isinstance(projection, exp.Column):
                ident = projection.this
            if isinstance(ident, exp.Identifier):
                key, display = self.names.ident(ident), self.names.display(ident)
            elif isinstance(projection, exp.Alias | exp.Dot):  # a struct field: its name
                key, display = self.names.key(name, False), name
            else:
                # An expression without an alias: each warehouse names it its own way.
                named = _postgres_name(projection) if self.names.dialect in _PG_NAMING else None
                if named is None:  # "" marks it: _result says its name is not known
                    key, display = "", projection.sql(dialect=self.names.dialect or None)
                else:
                    key, display = self.names.key(named, False), named
            trace = self.expression(
                projection.this if isinstance(projection, exp.Alias) else projection, scope
            )
            if key:
                scope.aliases.setdefault(key, trace)
            out.append((key, display, trace))
        return _DerivedSource(out, opaque, incomplete)

    def columns_matching(
        self,
        pattern: str,
        scope: _Scope,
        out: list[tuple[str, str, _Trace]],
        opaque: list[_Source],
    ) -> None:
        """COLUMNS('regex'): every column of the FROM clause whose name the regex matches
        anywhere in it, case-sensitively (as DuckDB does), in FROM order."""
        try:
            regex = re.compile(pattern)
        except re.error as e:
            opaque.append(
                _UnknownSource(
                    f"COLUMNS({pattern!r}): not a regular expression: {e}", "unsupported"
                )
            )
            return
        for source in scope.sources.values():
            cols = source.star()
            if isinstance(cols, _Trace):
                opaque.append(source)
                continue
            out.extend(c for c in cols if regex.search(c[1]))

    def source(
        self, item: exp.Expression, env: dict[str, _Source], scope: _Scope
    ) -> tuple[str, _Source]:
        alias = item.args.get("alias")
        alias_key = self.names.ident(alias.this) if isinstance(alias, exp.TableAlias) else ""
        pivots = item.args.get("pivots") or []
        if isinstance(item, exp.Table) and isinstance(item.this, exp.Identifier):
            key = _table_key(item, self.names)
            source = self.table(key, env)
            name = alias_key or self.names.ident(item.this)
            return self.pivoted(pivots, name, self.rename(source, alias))
        if isinstance(item, exp.Subquery | exp.Select | exp.SetOperation):
            inner = item.this if isinstance(item, exp.Subquery) else item
            try:
                derived = self.query(inner, env, scope if _is_lateral(item) else None)
            except _Unsupported as e:
                return alias_key, _UnknownSource(str(e), "unsupported")
            return self.pivoted(pivots, alias_key, self.rename_columns(derived, alias))
        target = item.this if isinstance(item, exp.Table | exp.Lateral) else item
        if isinstance(item, exp.Lateral) and isinstance(target, exp.Subquery | exp.Select):
            # LATERAL (SELECT ...): a subquery that may read the FROM items before it.
            inner = target.this if isinstance(target, exp.Subquery) else target
            try:
                derived = self.query(inner, env, scope)
            except _Unsupported as e:
                return alias_key, _UnknownSource(str(e), "unsupported")
            return alias_key, self.rename_columns(derived, alias)
        if isinstance(item, exp.Lateral | exp.TableFromRows) and isinstance(item.this, exp.Explode):
            if self.names.dialect == "snowflake":  # sqlglot reads FLATTEN as Explode
                return alias_key or "flatten", self.flatten(item.this, alias, scope)
        elif isinstance(item, exp.Lateral) and not isinstance(target, exp.Func):
            return alias_key, _UnknownSource("LATERAL over something not a function", "unsupported")
        # UNNEST, VALUES, table functions, LATERAL VIEW: rows the query makes from what it reads.
        if isinstance(item, exp.Values):
            derived = self.values(item, env, None)
            return alias_key, derived
        reads = [self.expression(e, scope) for e in _arguments(target)]
        cols = alias.args.get("columns") if isinstance(alias, exp.TableAlias) else None
        names = [(self.names.ident(c), self.names.display(c)) for c in cols or []]
        if not alias_key and len(names) == 1 and self.names.dialect == "bigquery":
            alias_key = names[0][0]
        return alias_key or target.key, _GeneratedSource(names, _merge(reads))

    # -- PIVOT / UNPIVOT ------------------------------------------------------------------

    def pivoted(self, pivots: list[exp.Pivot], name: str, source: _Source) -> tuple[str, _Source]:
        """A FROM item with PIVOT or UNPIVOT after it (in _PIVOT_DIALECTS, whose output columns
        are checked): what the pivot makes of the relation `name`."""
        if not pivots:
            return name, source
        pivot = pivots[0]
        what = "UNPIVOT" if pivot.args.get("unpivot") else "PIVOT"
        palias = pivot.args.get("alias")
        if isinstance(palias, exp.TableAlias) and palias.this:
            name = self.names.ident(palias.this)
        if len(pivots) > 1:
            return name, _UnknownSource("several PIVOT / UNPIVOT on one relation", "unsupported")
        if self.names.dialect not in _PIVOT_DIALECTS:
            return name, _UnknownSource(
                f"{what} in {self.names.dialect or 'generic SQL'}: its output columns are "
                "traced for DuckDB, Snowflake, Spark and Databricks only",
                "unsupported",
            )
        star = source.star()
        if isinstance(star, _Trace):
            return name, _UnknownSource(
                f"{what} over a relation whose columns are not known: {star.error}",
                "unknown_columns",
            )
        inner = _Scope({name: source})
        try:
            if pivot.args.get("unpivot"):
                derived = self.unpivot(pivot, star, inner)
            else:
                derived = self.pivot(pivot, star, inner)
        except _Unsupported as e:
            return name, _UnknownSource(str(e), "unsupported")
        return name, self.rename_columns(derived, palias)

    def pivot(
        self, pivot: exp.Pivot, star: list[tuple[str, str, _Trace]], scope: _Scope
    ) -> _DerivedSource:
        """PIVOT (agg(v) FOR k IN (a, b)): the columns it does not read, as the groups, then one
        column per value and aggregate: agg(v) FILTER (WHERE k = a), so v and k both count."""
        fields = pivot.args.get("fields") or []
        if len(fields) != 1 or not isinstance(fields[0], exp.In):
            raise _Unsupported("PIVOT over several FOR columns")
        field = fields[0]
        values = field.expressions
        names = pivot.args.get("columns") or []
        if (
            not values
            or any(isinstance(v, exp.PivotAny | exp.Subquery | exp.Select) for v in values)
            or not names
        ):
            raise _Unsupported("PIVOT without an explicit IN list: its columns are the data's")
        aggregates = pivot.expressions
        if len(aggregates) > 1 and not all(isinstance(a, exp.Alias) for a in aggregates):
            raise _Unsupported("PIVOT with several aggregates, not all named")
        if len(names) != len(values) * len(aggregates):
            raise _Unsupported("PIVOT whose output column names are not known")
        return self.pivot_columns(field.this, aggregates, names, star, scope)

    def pivot_columns(
        self,
        on: exp.Expression,
        aggregates: list[exp.Expression],
        names: list[exp.Identifier],
        star: list[tuple[str, str, _Trace]],
        scope: _Scope,
        groups: list[tuple[str, str, _Trace]] | None = None,
    ) -> _DerivedSource:
        """The groups (`groups`, else the columns of `star` the pivot does not read), then the
        value columns `names`, value by value, each value's aggregates in order."""
        for_trace = self.expression(on, scope)
        traces = [
            _merge([self.expression(a.this if isinstance(a, exp.Alias) else a, scope), for_trace])
            for a in aggregates
        ]
        if groups is None:
            read = {
                self.names.ident(c.this)
                for node in (*aggregates, on)
                for c in node.find_all(exp.Column)
                if not isinstance(c.this, exp.Star)
            }
            groups = [c for c in star if not _named(c[0], read)]
        out = list(groups)
        for i, ident in enumerate(names):
            out.append(
                (self.names.ident(ident), self.names.display(ident), traces[i % len(traces)])
            )
        return _DerivedSource(out)

    def unpivot(
        self, pivot: exp.Pivot, star: list[tuple[str, str, _Trace]], scope: _Scope
    ) -> _DerivedSource:
        """UNPIVOT (v FOR k IN (a, b)) is the UNION of `select <the rest>, 'a' as k, a as v`
        and the same for b: k holds names (literals), v column a or b."""
        fields = pivot.args.get("fields") or []
        values = pivot.expressions
        if (
            len(fields) != 1
            or not isinstance(fields[0], exp.In)
            or len(values) != 1
            or not isinstance(values[0], exp.Identifier)
            or not isinstance(fields[0].this, exp.Identifier)
        ):
            raise _Unsupported("UNPIVOT into several value columns")
        field = fields[0]
        listed = [
            item.this if isinstance(item, exp.PivotAlias) else item for item in field.expressions
        ]
        return self.unpivot_columns(
            listed,
            field.this,
            values[0],
            star,
            scope,
            value_first=bool(pivot.args.get("value_columns_first")),
        )

    def unpivot_columns(
        self,
        listed: list[exp.Expression],
        name: exp.Identifier,
        value: exp.Identifier,
        star: list[tuple[str, str, _Trace]],
        scope: _Scope,
        value_first: bool = False,
    ) -> _DerivedSource:
        """The columns `star` keeps, then the name column (literals) and the value column (the
        listed columns)."""
        if not listed or not all(isinstance(c, exp.Column) for c in listed):
            raise _Unsupported("UNPIVOT of something other than a list of columns")
        traces = [self.expression(c, scope) for c in listed]
        read = {self.names.ident(c.this) for c in listed}
        out = [c for c in star if not _named(c[0], read)]
        name_column = (self.names.ident(name), self.names.display(name), _EMPTY)
        value_trace = _merge(traces, bare=all(t.bare for t in traces))
        value_column = (self.names.ident(value), self.names.display(value), value_trace)
        out += [value_column, name_column] if value_first else [name_column, value_column]
        return _DerivedSource(out)

    def pivot_statement(
        self, node: exp.Pivot, env: dict[str, _Source], parent: _Scope | None
    ) -> _DerivedSource:
        """DuckDB's PIVOT / UNPIVOT statements (`PIVOT t ON k IN (...) USING agg(v) GROUP BY g`,
        `UNPIVOT t ON a, b INTO NAME k VALUE v`): the same as the FROM-clause forms, with
        DuckDB's names (checked against DuckDB 2.0)."""
        what = "UNPIVOT" if node.args.get("unpivot") else "PIVOT"
        if self.names.dialect != "duckdb":
            raise _Unsupported(f"a {what} statement outside DuckDB")
        scope = _Scope({}, parent, env=env)
        name, source = self.source(node.this, env, scope)
        scope.sources[name] = source
        star = source.star()
        if isinstance(star, _Trace):
            unknown = _UnknownSource(
                f"{what} over a relation whose columns are not known: {star.error}",
                "unknown_columns",
            )
            return _DerivedSource([], [unknown])
        if node.args.get("unpivot"):
            into = node.args.get("into")
            name_ident: exp.Expression = exp.to_identifier("name")
            value_ident: exp.Expression = exp.to_identifier("value")
            if isinstance(into, exp.UnpivotColumns):
                if len(into.expressions) != 1:
                    raise _Unsupported("UNPIVOT into several value columns")
                name_ident, value_ident = into.this, into.expressions[0]
            name_ident = name_ident.this if isinstance(name_ident, exp.Column) else name_ident
            value_ident = value_ident.this if isinstance(value_ident, exp.Column) else value_ident
            if not isinstance(name_ident, exp.Identifier) or not isinstance(
                value_ident, exp.Identifier
            ):
                raise _Unsupported("UNPIVOT into columns without plain names")
            return self.unpivot_columns(
                list(node.expressions), name_ident, value_ident, star, scope
            )
        fields = node.expressions
        if len(fields) != 1:
            raise _Unsupported("PIVOT on several columns")
        if not isinstance(fields[0], exp.In):
            raise _Unsupported("PIVOT without an explicit IN list: its columns are the data's")
        values = fields[0].expressions
        if not values or not all(isinstance(v, exp.Literal) for v in values):
            raise _Unsupported("PIVOT IN values that are not plain literals")
        aggregates = list(node.args.get("using") or [])
        if not aggregates:
            raise _Unsupported("PIVOT without USING")
        if len(aggregates) == 1:
            labels = [str(v.this) for v in values]
        elif all(isinstance(a, exp.Alias) for a in aggregates):
            labels = [f"{v.this}_{a.alias}" for v in values for a in aggregates]
        else:
            raise _Unsupported("PIVOT with several aggregates, not all named")
        group = node.args.get("group")
        groups = None
        if isinstance(group, exp.Group):
            groups = []
            for g in group.expressions:
                if not isinstance(g, exp.Column):
                    raise _Unsupported("PIVOT grouped by something other than columns")
                groups.append(
                    (
                        self.names.ident(g.this),
                        self.names.display(g.this),
                        self.expression(g, scope),
                    )
                )
        names = [exp.to_identifier(label, quoted=True) for label in labels]
        return self.pivot_columns(fields[0].this, aggregates, names, star, scope, groups)

    def flatten(
        self, node: exp.Explode, alias: exp.Expression | None, scope: _Scope
    ) -> _DerivedSource:
        """Snowflake's FLATTEN: KEY, PATH, INDEX, VALUE and THIS are made of its input (the
        element, where it sits, the value it came from); SEQ numbers the input row, made of no
        column (like row_number())."""
        reads = [
            self.expression(a.expression if isinstance(a, exp.Kwarg) else a, scope)
            for a in (node.this, *node.expressions)
            if isinstance(a, exp.Expression)
        ]
        trace = _merge(reads)
        cols = alias.args.get("columns") if isinstance(alias, exp.TableAlias) else None
        idents = list(cols or []) + [
            exp.to_identifier(n) for n in _FLATTEN_COLUMNS[len(cols or []) :]
        ]
        return _DerivedSource(
            [
                (self.names.ident(ident), self.names.display(ident), _EMPTY if i == 0 else trace)
                for i, ident in enumerate(idents)
            ]
        )

    def rename(self, source: _Source, alias: exp.Expression | None) -> _Source:
        if isinstance(source, _DerivedSource):
            return self.rename_columns(source, alias)
        cols = alias.args.get("columns") if isinstance(alias, exp.TableAlias) else None
        if cols and isinstance(source, _RelationSource):
            # `from t as x(a, b)`: the relation's first columns under new names
            star = source.star()
            if isinstance(star, _Trace):
                return _UnknownSource(
                    "a column alias list on a relation whose columns are not known",
                    "unknown_columns",
                )
            return self.rename_columns(_DerivedSource(star), alias)
        return source

    def table(self, key: str, env: dict[str, _Source]) -> _Source:
        if "." not in key and key in env:
            return env[key]
        if "." not in key and key in self.ephemeral:
            return _RelationSource(self.ephemeral[key], self.names)
        relation = self.relations.get(key)
        if relation is None:
            candidates = self.suffixes.get(key, [])
            if len(candidates) == 1:
                relation = self.relations[candidates[0]]
        if relation is None:
            return _UnknownSource(
                f"relation {key} is not a known parent of this node", "unknown_relation"
            )
        return _RelationSource(relation, self.names)

    # -- expressions ---------------------------------------------------------------------

    def expression(self, node: exp.Expression, scope: _Scope) -> _Trace:
        """Trace of one select-list expression."""
        inner = node
        while isinstance(inner, exp.Paren):
            inner = inner.this
        if isinstance(inner, exp.Column) and not isinstance(inner.this, exp.Star):
            try:
                return scope.column(inner, self.names)
            except _Unresolved:
                return self.unresolved(inner)
        if any(True for _ in node.find_all(exp.Columns)):
            return _error(
                "COLUMNS(...) inside an expression or with a lambda: DuckDB's own naming of "
                "the columns it makes is not modelled",
                "unsupported",
            )
        traces: list[_Trace] = []
        aggregated = False
        lambda_params: set[str] = set()
        for lam in node.find_all(exp.Lambda):
            lambda_params |= {self.names.ident(p) for p in lam.expressions}
        for sub in _walk_select_list(node):
            if isinstance(sub, exp.AggFunc) and not isinstance(sub, _NOT_AGGREGATES):
                aggregated = True
            elif isinstance(sub, exp.Exists):
                traces.append(self.everything(sub.this, scope))
            elif isinstance(sub, exp.Subquery | exp.Select):
                traces.append(self.scalar(sub, scope))
            elif isinstance(sub, exp.Column):
                if isinstance(sub.this, exp.Star):
                    continue
                if not sub.args.get("table") and self.names.ident(sub.this) in lambda_params:
                    continue
                try:
                    traces.append(scope.column(sub, self.names))
                except _Unresolved:
                    traces.append(self.unresolved(sub))
        return _merge(traces, aggregated=aggregated)

    def unresolved(self, column: exp.Column) -> _Trace:
        """A column no relation of the FROM clause has: the dialect's row-id pseudo-column
        (numbers the row, like row_number(): no upstream column), else an error."""
        pseudo = _PSEUDO_COLUMNS.get(self.names.dialect, ())
        if not column.args.get("table") and self.names.ident(column.this) in pseudo:
            return _EMPTY
        return _error(
            f"column {column.sql(dialect=self.names.dialect or None)} is in no relation of the "
            "FROM clause",
            "unknown_columns",
        )

    def scalar(self, node: exp.Expression, scope: _Scope) -> _Trace:
        """A scalar (or IN) subquery: the trace of its select list."""
        inner = node.this if isinstance(node, exp.Subquery) else node
        try:
            derived = self.query(inner, scope.env, scope)
        except _Unsupported as e:
            return _error(str(e), "unsupported")
        if derived.opaque:
            return _error("a subquery selecting * from unknown columns", "unknown_columns")
        return _merge([t for _k, _d, t in derived.columns])

    def everything(self, node: exp.Expression, scope: _Scope) -> _Trace:
        """EXISTS (...): its value depends on every column the subquery reads."""
        inner = node.this if isinstance(node, exp.Subquery) else node
        if not isinstance(inner, exp.Select):
            return self.scalar(inner, scope)
        try:
            env = self.with_ctes(inner, scope.env, scope)
        except _Unsupported as e:
            return _error(str(e), "unsupported")
        sub = _Scope({}, scope, env=env)
        from_ = inner.args.get("from_") or inner.args.get("from")
        items = [from_.this] if isinstance(from_, exp.From) else []
        items += [j.this for j in inner.args.get("joins") or []]
        for item in items:
            alias, source = self.source(item, env, sub)
            sub.sources[alias] = source
        traces = []
        for col in inner.find_all(exp.Column):
            if isinstance(col.this, exp.Star):
                continue
            try:
                traces.append(sub.column(col, self.names))
            except _Unresolved:
                traces.append(_error(f"column {col.sql()} is in no relation", "unknown_columns"))
        return _merge(traces)

    # -- snapshots ------------------------------------------------------------------------

    def snapshot(self, derived: _DerivedSource, config: SnapshotConfig) -> _DerivedSource:
        """The snapshot's query plus the meta columns dbt's materialisation adds to it.

        As dbt-adapters builds them (helpers.sql build_snapshot_table and
        snapshot_staging_table, strategies.sql): with U the strategy's updated_at (the
        configured expression; for `check` without one, the snapshot time),
        dbt_scd_id = md5(unique_key, ..., U), dbt_updated_at = dbt_valid_from = U, and
        dbt_valid_to = null (or dbt_valid_to_current) until a later run sets it to the next
        version's U (or to the snapshot time for an invalidated hard delete). With
        hard_deletes='new_record', deletion rows stamp the snapshot time instead of U and
        dbt_is_deleted is a 'True' / 'False' literal. check_cols only decide when a new row is
        made, like a filter: they are not upstream of any column.
        """
        scope = _Scope({"snapshot_query": derived})
        names = dict(config.column_names)
        meta = list(_SNAPSHOT_META)
        if config.hard_deletes != "new_record":
            meta.remove("dbt_is_deleted")
        traces: dict[str, _Trace]
        if config.strategy not in ("timestamp", "check"):
            unknown = _error(
                f"made by the custom snapshot strategy {config.strategy}, whose SQL is not known",
                "unsupported",
            )
            traces = dict.fromkeys(meta, unknown)
        else:
            if config.updated_at:
                updated = self.config_expression(config.updated_at, "updated_at", scope)
            elif config.strategy == "check":
                updated = _EMPTY  # dbt's snapshot_get_time(): no upstream column
            else:
                updated = _error(
                    "a timestamp snapshot without updated_at in its config", "unsupported"
                )
            if not config.unique_key:
                keys = [_error("a snapshot without unique_key in its config", "unsupported")]
            else:
                keys = [self.config_expression(k, "unique_key", scope) for k in config.unique_key]
            stamped = _merge([updated])  # an expression over U, not U itself
            current = (
                self.config_expression(config.valid_to_current, "dbt_valid_to_current", scope)
                if config.valid_to_current
                else _EMPTY
            )
            traces = {
                "dbt_scd_id": _merge([*keys, updated]),
                "dbt_updated_at": stamped if config.hard_deletes == "new_record" else updated,
                "dbt_valid_from": stamped if config.hard_deletes == "new_record" else updated,
                "dbt_valid_to": _merge([updated, current]),
                "dbt_is_deleted": _EMPTY,
            }
        columns = list(derived.columns)
        produced = set(derived.names)
        for column in meta:
            name = names.get(column, column)
            key = self.names.key(name, False)
            if key in produced:
                continue  # the query makes it itself
            display = name if self.names.insensitive else key
            columns.append((key, display, traces[column]))
        return _DerivedSource(columns, derived.opaque)

    def config_expression(self, sql: str, setting: str, scope: _Scope) -> _Trace:
        """A SQL expression from a snapshot's config, read against the snapshot's query."""
        try:
            node = sqlglot.parse_one(sql, read=self.names.dialect or None)
        except (ParseError, TokenError) as e:
            return _error(
                f"the snapshot's {setting} config {sql!r} is not SQL sqlglot can parse: "
                f"{_first_line(e)}",
                "parse_error",
            )
        if not isinstance(node, exp.Expression):
            return _error(
                f"the snapshot's {setting} config {sql!r} is not an expression", "unsupported"
            )
        return self.expression(node, scope)


class _Unsupported(Exception):
    pass


def _union(branches: list[_DerivedSource]) -> _DerivedSource:
    """UNION by position: column i of the first branch, made of column i of every branch."""
    if any(b.opaque for b in branches):
        return _DerivedSource(
            [],
            [
                _UnknownSource(
                    "a UNION over SELECT * from a relation whose columns are not known",
                    "unknown_columns",
                )
            ],
        )
    first, rest = branches[0], branches[1:]
    out: list[tuple[str, str, _Trace]] = []
    for i, (key, display, trace) in enumerate(first.columns):
        others = [
            b.columns[i][2]
            if i < len(b.columns)
            else _error("the UNION's branches have different numbers of columns", "unsupported")
            for b in rest
        ]
        bare = trace.bare and all(o.bare for o in others)
        out.append((key, display, _merge([trace, *others], bare=bare)))
    return _DerivedSource(out)


# Window functions sqlglot files under AggFunc that do not aggregate values: they pick or rank rows.
_NOT_AGGREGATES = (
    exp.CumeDist,
    exp.DenseRank,
    exp.FirstValue,
    exp.Lag,
    exp.LastValue,
    exp.Lead,
    exp.Ntile,
    exp.NthValue,
    exp.PercentRank,
    exp.Rank,
)


def _named(key: str, keys: Iterable[str]) -> bool:
    """Whether a column key is one of `keys`, case-insensitively when that is the only match."""
    return _named_in(key, keys) is not None


def _named_in(key: str, keys: Iterable[str]) -> str | None:
    """The one of `keys` that names the column `key`: itself, else the only case-insensitive
    match (declared lower-case names meet Snowflake's upper-case ones)."""
    keys = list(keys)
    if key in keys:
        return key
    matches = [k for k in keys if k.lower() == key.lower()]
    return matches[0] if len(matches) == 1 else None


# Dialects whose PIVOT / UNPIVOT output columns (names and order, as sqlglot gives them) were
# checked against the warehouse: DuckDB by running it, Snowflake by its documentation, Spark
# and Databricks by Spark's ResolvePivot and its UNPIVOT documentation.
_PIVOT_DIALECTS = ("duckdb", "snowflake", "spark", "databricks")

# The columns of Snowflake's FLATTEN, in order.
_FLATTEN_COLUMNS = ("SEQ", "KEY", "PATH", "INDEX", "VALUE", "THIS")


# Dialects that name a select-list expression without an alias as PostgreSQL does
# (FigureColname in its parser): a function call after the function, a cast after the column
# it casts, CASE "case", an operator or a literal "?column?".
_PG_NAMING = ("postgres", "redshift")
_PG_FUNCTION_NAMES: dict[type[exp.Expression], str] = {
    exp.Count: "count",
    exp.Sum: "sum",
    exp.Avg: "avg",
    exp.Min: "min",
    exp.Max: "max",
    exp.Coalesce: "coalesce",
    exp.Round: "round",
    exp.Lower: "lower",
    exp.Upper: "upper",
    exp.Case: "case",
}


def _postgres_name(node: exp.Expression) -> str | None:
    """PostgreSQL's name for an unaliased select-list expression; None where sqlglot's tree
    does not say it for sure (it rewrites some functions, `now()` into CURRENT_TIMESTAMP)."""
    while isinstance(node, exp.Paren):
        node = node.this
    if isinstance(node, exp.Column) and isinstance(node.this, exp.Identifier):
        return node.name
    if isinstance(node, exp.Cast) and isinstance(node.this, exp.Column):
        return _postgres_name(node.this)
    if isinstance(node, exp.Literal | exp.Binary) and not isinstance(node, exp.Dot):
        return "?column?"
    if isinstance(node, exp.Anonymous) and isinstance(node.this, str):
        return node.this.lower()
    return _PG_FUNCTION_NAMES.get(type(node))


def _is_star(node: exp.Expression) -> bool:
    return isinstance(node, exp.Star) or (
        isinstance(node, exp.Column) and isinstance(node.this, exp.Star)
    )


def _is_lateral(item: exp.Expression) -> bool:
    return bool(item.args.get("lateral"))


def _arguments(node: exp.Expression) -> list[exp.Expression]:
    """What a table function reads: its arguments, and of a named parameter (DuckDB's
    `read_parquet(path, hive_partitioning = 1)`, `name => value`) the value only."""
    if isinstance(node, exp.Unnest):
        return list(node.expressions)
    out = []
    for arg in node.iter_expressions():
        if isinstance(arg, exp.TableAlias):
            continue
        if isinstance(arg, exp.Kwarg | exp.PropertyEQ) or (
            isinstance(arg, exp.EQ)
            and isinstance(arg.this, exp.Column)
            and not arg.this.args.get("table")
        ):
            arg = arg.expression
        out.append(arg)
    return out


# Pseudo-columns every table has, by dialect: DuckDB's rowid.
_PSEUDO_COLUMNS: dict[str, tuple[str, ...]] = {"duckdb": ("rowid",)}


def _walk_select_list(node: exp.Expression) -> Iterable[exp.Expression]:
    """Every node of a select-list expression that can carry columns, without descending into
    subqueries (traced on their own) or a window's PARTITION BY / ORDER BY."""
    stack = [node]
    while stack:
        current = stack.pop()
        yield current
        if isinstance(current, exp.Subquery | exp.Select | exp.Exists):
            continue
        for key, value in current.args.items():
            if isinstance(current, exp.Window) and key in ("partition_by", "order", "spec"):
                continue
            for child in value if isinstance(value, list) else [value]:
                if isinstance(child, exp.Expression):
                    stack.append(child)


# ---------------------------------------------------------------------------------------
# The entry point
# ---------------------------------------------------------------------------------------


def parse_node(inp: ParseInput) -> ParseResult:
    """Trace every output column of one node; never raises on bad SQL (it is a failed result)."""
    if inp.unique_id.startswith("seed."):
        # Loaded from a CSV file: every column is a root.
        cols = tuple(ColumnLineage(c, (), "passthrough") for c in inp.output_columns)
        return ParseResult("parsed", "", "a seed: its columns come from a CSV file", cols)
    if inp.language.lower() == "python":
        return _failed(
            "python_model", "a Python model: its code is not SQL, nothing is traced", inp
        )
    if not inp.compiled_code.strip():
        return _failed(
            "missing_compiled_code",
            "no compiled code: the artifacts were made without compiling it (run dbt compile, "
            "build or docs generate), or, synced from dbt Cloud, it was never built (the "
            "Discovery API has compiled code for built models only)",
            inp,
        )
    names = _Names(inp.dialect)
    try:
        statements = [
            s for s in sqlglot.parse(inp.compiled_code, read=names.dialect or None) if s is not None
        ]
    except (ParseError, TokenError) as e:
        return _failed("parse_error", f"sqlglot could not parse the SQL: {_first_line(e)}", inp)
    except (SqlglotError, RecursionError, ValueError) as e:
        return _failed("parse_error", f"sqlglot failed on the SQL: {_first_line(e)}", inp)
    queries = [s for s in statements if isinstance(s, exp.Query | exp.Subquery | exp.Pivot)]
    if not queries:
        kinds = ", ".join(sorted({s.key.upper() for s in statements})) or "nothing"
        return _failed("unsupported", f"the compiled code is not a query ({kinds})", inp)
    tracer = _Tracer(inp)
    try:
        derived = tracer.query(queries[-1], {})
        if inp.snapshot is not None and inp.unique_id.startswith("snapshot."):
            derived = tracer.snapshot(derived, inp.snapshot)
    except _Unsupported as e:
        return _failed("unsupported", f"unsupported construct: {e}", inp)
    except RecursionError:
        return _failed("unsupported", "the query nests too deeply to trace", inp)
    except Exception as e:  # noqa: BLE001
        # A construct the tracer mishandles fails this node, with the reason, and never the
        # environment's whole run (compute parses thousands of nodes in worker processes).
        return _failed(
            "unsupported", f"the tracer failed on this SQL: {type(e).__name__}: {e}", inp
        )
    return _result(inp, names, derived)


def _first_line(e: Exception) -> str:
    text = str(e).strip()
    return text.splitlines()[0] if text else type(e).__name__


def _failed(category: str, reason: str, inp: ParseInput) -> ParseResult:
    cols = tuple(ColumnLineage(c, (), "", reason, category) for c in inp.output_columns)
    return ParseResult("failed", category, reason, cols)


def _kind(name: str, trace: _Trace) -> str:
    if trace.bare and trace.upstream:
        if all(col.lower() == name.lower() for _uid, col in trace.upstream):
            return "passthrough"
        return "rename"
    return "aggregated" if trace.aggregated else "transformed"


def _result(inp: ParseInput, names: _Names, derived: _DerivedSource) -> ParseResult:
    known = {names.key(c, True): c for c in inp.output_columns}
    folded: dict[str, list[str]] = {}
    for c in inp.output_columns:
        folded.setdefault(c.lower(), []).append(c)

    def spelling(key: str, display: str) -> str | None:
        if key in known:
            return known[key]
        matches = folded.get(key.lower(), [])
        return matches[0] if len(matches) == 1 else None

    columns: dict[str, ColumnLineage] = {}
    for key, display, trace in derived.columns:
        name = spelling(key, display) or display
        if name in columns:
            continue  # the warehouse would not keep two columns of one name
        if not key:
            why = (
                f"an expression without an alias: the name {names.dialect or 'the warehouse'} "
                "gives its column is not modelled"
            )
            columns[name] = ColumnLineage(name, (), "", why, "unsupported")
        elif trace.error:
            columns[name] = ColumnLineage(name, (), "", trace.error, trace.category)
        else:
            columns[name] = ColumnLineage(name, tuple(sorted(trace.upstream)), _kind(name, trace))

    # Output columns the select list does not name: a star over unknown columns may hold them.
    via_star = False
    for col in inp.output_columns:
        if col in columns:
            continue
        via_star = via_star or bool(derived.opaque)
        if len(derived.opaque) == 1 or (not derived.opaque and len(derived.incomplete) == 1):
            # a star over unknown columns, or over declared ones that may not be all
            read = (derived.opaque or derived.incomplete)[0]
            trace = read.lookup(names.key(col, True))
            if not trace.error:
                columns[col] = ColumnLineage(col, tuple(sorted(trace.upstream)), _kind(col, trace))
                continue
            columns[col] = ColumnLineage(col, (), "", trace.error, trace.category)
        elif inp.unique_id.startswith("snapshot.") and col.lower() in _SNAPSHOT_META:
            if inp.snapshot is None:
                why = (
                    "added by dbt's snapshot materialisation, from the snapshot's config "
                    "(strategy, unique_key, updated_at), which is not known"
                )
            else:
                # dbt_is_deleted without hard_deletes='new_record': left by an earlier config.
                why = (
                    "added by dbt's snapshot materialisation only with "
                    "hard_deletes='new_record', which the snapshot's config does not set"
                )
            columns[col] = ColumnLineage(col, (), "", why, "unsupported")
        elif derived.opaque:
            columns[col] = ColumnLineage(
                col,
                (),
                "",
                "SELECT * over relations whose columns are not known",
                "unknown_columns",
            )
        else:
            columns[col] = ColumnLineage(
                col, (), "", "not in the compiled SQL's select list", "unknown_columns"
            )
    # A star over unknown columns that gave none of the known ones: the node makes columns
    # beyond those (declared ones, say, not all there is), and which is not known.
    if derived.opaque and not via_star:
        star = derived.opaque[0].star()
        trace = star if isinstance(star, _Trace) else _error("SELECT *", "unknown_columns")
        return ParseResult(
            "failed" if not columns else "partial",
            trace.category,
            f"the columns of a SELECT * are not known: {trace.error}",
            tuple(columns.values()),
        )

    ordered = _in_output_order(list(columns.values()), inp.output_columns)
    errors = [c for c in ordered if c.error]
    if not ordered:
        return ParseResult("failed", "unknown_columns", "the query has no output columns", ())
    if not errors:
        return ParseResult("parsed", "", "", tuple(ordered))
    categories = [c.error_category for c in errors]
    category = max(set(categories), key=lambda c: (categories.count(c), -CATEGORIES.index(c)))
    first = errors[0]
    if len(errors) == len(ordered):
        reason = f"no column could be traced: {first.column}: {first.error}"
        return ParseResult("failed", category, reason, tuple(ordered))
    reason = (
        f"{len(errors)} of {len(ordered)} columns could not be traced "
        f"({', '.join(c.column for c in errors[:5])}{', …' if len(errors) > 5 else ''}): "
        f"{first.error}"
    )
    return ParseResult("partial", category, reason, tuple(ordered))


def _in_output_order(
    columns: list[ColumnLineage], output_columns: tuple[str, ...]
) -> list[ColumnLineage]:
    position = {c: i for i, c in enumerate(output_columns)}
    return sorted(columns, key=lambda c: position.get(c.column, len(position)))
