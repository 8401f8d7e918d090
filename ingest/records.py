"""The one record format every metadata source produces and the loader writes.

The artifact reader (`ingest.sources.artifacts`) and the Discovery API client both turn what
they read into a `Snapshot`; `ingest.load.snapshot_load` writes any `Snapshot` the same way.
Records are plain data: no Django, no I/O.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any


@dataclass(slots=True)
class ColumnRecord:
    name: str
    position: int
    description: str = ""
    data_type: str = ""
    warehouse_type: str = ""
    warehouse_index: int | None = None
    warehouse_comment: str = ""
    declared: bool = False
    in_warehouse: bool = False
    tags: list[str] = field(default_factory=list)
    meta: dict[str, Any] = field(default_factory=dict)
    constraints: list[dict[str, Any]] = field(default_factory=list)
    data: dict[str, Any] = field(default_factory=dict)


@dataclass(slots=True)
class CatalogRecord:
    """What the warehouse said about a relation (catalog.json)."""

    type: str = ""
    owner: str = ""
    comment: str = ""
    rows: int | None = None
    bytes: int | None = None
    stats: dict[str, Any] = field(default_factory=dict)


@dataclass(slots=True)
class NodeRecord:
    unique_id: str
    resource_type: str
    name: str
    package_name: str = ""
    fqn: list[str] = field(default_factory=list)
    path: str = ""
    original_file_path: str = ""
    patch_path: str = ""
    database: str = ""
    schema: str = ""
    alias: str = ""
    relation_name: str = ""
    description: str = ""
    raw_code: str = ""
    compiled_code: str = ""
    language: str = ""
    checksum: str = ""
    materialized: str = ""
    access: str = ""
    group_name: str = ""
    contract_enforced: bool = False
    version: str = ""
    latest_version: str = ""
    deprecation_date: datetime | None = None
    tags: list[str] = field(default_factory=list)
    meta: dict[str, Any] = field(default_factory=dict)
    config: dict[str, Any] = field(default_factory=dict)
    owner_name: str = ""
    owner_email: str = ""
    modeling_layer: str = ""
    source_name: str = ""
    test_type: str = ""
    test_name: str = ""
    tested_unique_id: str = ""
    column_name: str = ""
    # Type-specific details, by resource type:
    #   source: loader, loaded_at_field, freshness {warn_after, error_after, filter},
    #           source_description, identifier, external, quoting
    #   exposure: type, maturity, url, label
    #   metric: type, type_params, filter, label, time_granularity
    #   semantic_model: model, entities, dimensions, measures, defaults, primary_entity
    #   saved_query: query_params, exports, label
    #   test: test_metadata {name, namespace, kwargs}, severity, store_failures
    #   unit_test: model, given, expect, overrides, versions
    #   macro: macro_sql, arguments
    #   group: (owner is in owner_name/owner_email)
    #   model: constraints, versions of the same model, refs, on_schema_change, ...
    data: dict[str, Any] = field(default_factory=dict)
    depends_on: list[str] = field(default_factory=list)
    depends_on_macros: list[str] = field(default_factory=list)
    columns: list[ColumnRecord] = field(default_factory=list)
    catalog: CatalogRecord | None = None
    # A digest of the input this record was built from, when the source computes one (the
    # artifact reader does, from the raw JSON); otherwise the loader hashes the record itself.
    content_hash: str = ""


@dataclass(slots=True)
class ExecutionRecord:
    unique_id: str
    status: str
    thread_id: str = ""
    execution_time: float | None = None
    compile_started_at: datetime | None = None
    compile_completed_at: datetime | None = None
    execute_started_at: datetime | None = None
    execute_completed_at: datetime | None = None
    message: str = ""
    failures: int | None = None
    rows_affected: int | None = None
    adapter_response: dict[str, Any] = field(default_factory=dict)
    relation_name: str = ""
    data: dict[str, Any] = field(default_factory=dict)


@dataclass(slots=True)
class FreshnessRecord:
    unique_id: str
    status: str
    max_loaded_at: datetime | None = None
    snapshotted_at: datetime | None = None
    age_seconds: float | None = None
    criteria: dict[str, Any] = field(default_factory=dict)
    message: str = ""
    execution_time: float | None = None
    thread_id: str = ""
    adapter_response: dict[str, Any] = field(default_factory=dict)


@dataclass(slots=True)
class RunRecord:
    """A dbt invocation: a run_results.json (executions) or a sources.json (freshness)."""

    kind: str  # "run_results" or "freshness"
    invocation_id: str
    generated_at: datetime
    command: str = ""
    args: dict[str, Any] = field(default_factory=dict)
    dbt_version: str = ""
    schema_version: str = ""
    started_at: datetime | None = None
    elapsed_time: float | None = None
    job_id: int | None = None
    run_id: int | None = None
    executions: list[ExecutionRecord] = field(default_factory=list)
    freshness: list[FreshnessRecord] = field(default_factory=list)


@dataclass(slots=True)
class ProjectRecord:
    name: str
    dbt_project_id: str = ""
    dbt_version: str = ""
    adapter_type: str = ""
    schema_version: str = ""
    generated_at: datetime | None = None
    invocation_id: str = ""
    catalog_generated_at: datetime | None = None
    dbt_cloud_project_id: int | None = None
    latest_git_sha: str = ""


@dataclass(slots=True)
class FileInfo:
    """One file that was offered to an ingest, and what became of it."""

    name: str
    kind: str = ""
    schema_version: str = ""
    bytes: int = 0
    skipped: str = ""  # why it was not used, when it was not


@dataclass(slots=True)
class Snapshot:
    """Everything one load brings. `nodes` is None when no manifest came (history only).

    A source that knows what is stored may leave out nodes whose input has not changed: they
    are in `unchanged` (unique_id -> the content hash it compared against) instead of `nodes`.
    """

    project: ProjectRecord | None
    nodes: list[NodeRecord] | None
    unchanged: dict[str, str] = field(default_factory=dict)
    runs: list[RunRecord] = field(default_factory=list)
    files: list[FileInfo] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
