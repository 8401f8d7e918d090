"""One node's column lineage from its compiled SQL: plain Python and sqlglot, no Django.

This is the contract lineage.columns.compute codes against; it runs in worker processes.

What is traced (the semantics README.md "Column-level lineage" repeats):

- The upstream of an output column is its *direct* dependencies through the select list:
  the columns of parent relations (models, seeds, snapshots, sources, or ephemeral models
  inlined as `__dbt__cte__<name>` CTEs) that its expression reads, followed through CTEs,
  subqueries, unions and `SELECT *`. Join keys, WHERE, HAVING, GROUP BY and QUALIFY are not
  upstream unless the column is also selected.
- CASE: the WHEN conditions count as upstream as well as the THEN/ELSE values (the value
  depends on them). Window functions: the function's arguments count; PARTITION BY and ORDER
  BY do not (they choose rows, like a filter).
- Kinds: passthrough (a bare column, same name), rename (a bare column, new name), aggregated
  (an aggregate function anywhere on the path), transformed (anything else, including window
  functions that are not aggregates, literals-with-columns, casts). Along a path through CTEs
  the strongest kind wins: aggregated > transformed > rename > passthrough.
- Statuses: parsed (every output column traced), partial (some columns carry an error),
  failed (nothing traced: Python model, missing compiled code, parse error, or no column could
  be traced). A column is never reported as traced when it is not.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

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
    columns: tuple[
        str, ...
    ]  # its known columns in order (catalog first, declared next); () = unknown


@dataclass(frozen=True)
class ParseInput:
    """Everything parse_node needs about one node; built from the DB (compute) or artifacts."""

    unique_id: str
    language: str  # "sql" | "python"
    compiled_code: str  # "" when missing
    dialect: str  # adapter type as dbt names it: "duckdb", "snowflake", "bigquery", "postgres", ...
    relations: Mapping[
        str, Relation
    ]  # relation_key(relation_name, dialect) -> Relation, every parent
    # Ephemeral parents inlined by dbt as CTEs: "__dbt__cte__<name>" -> Relation. They are treated
    # as relations: edges stop at the ephemeral node's columns.
    ctes: Mapping[str, Relation]
    output_columns: tuple[
        str, ...
    ]  # the node's own known columns (catalog, else declared); may be ()


@dataclass(frozen=True)
class ColumnLineage:
    """One output column: its direct upstream columns and how it is made, or why it is not known."""

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


def relation_key(relation_name: str, dialect: str) -> str:
    """Normalise a relation name so the same relation written in SQL maps to the same key.

    Accepts dbt's relation_name ('"db"."schema"."t"', `proj.ds.t`, db.schema.t): quotes are
    stripped and unquoted parts case-folded per dialect.
    """
    raise NotImplementedError


def parse_node(inp: ParseInput) -> ParseResult:
    """Trace every output column of one node; never raises on bad SQL (it is a failed result)."""
    raise NotImplementedError
