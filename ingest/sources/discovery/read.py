"""Read a dbt Cloud environment through the Discovery API into a `Snapshot`.

The same records the artifact reader makes, from what the API carries: every node type (the
applied state for models, sources, seeds, snapshots, tests and exposures; the definition
state for macros, metrics, semantic models, saved queries and groups), catalog columns and
stats, parents as edges, and run history. Runs are found from each node's `executionInfo`
(last run, last success), each source's last freshness check and `modelHistoricalRuns`;
each run is then read whole from the job-level API (`job(id, runId)`). Runs already stored
are not fetched again, and the loader keys runs by invocation, so syncing twice adds no
duplicate.

`modelHistoricalRuns` is one request per model. It is asked only of models that took part in
a run not stored yet (a sync with nothing new asks none): of each of them when they are at
most `history_models`, else of one model per distinct (last run, last success) pair, which
can miss an older run that only models outside the sample took part in.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from datetime import datetime
from typing import Any

from ingest.records import (
    CatalogRecord,
    ColumnRecord,
    ExecutionRecord,
    FreshnessRecord,
    NodeRecord,
    ProjectRecord,
    RunRecord,
    Snapshot,
)
from ingest.sources.discovery.client import DiscoveryClient, DiscoveryError, load_query

Progress = Callable[[str, int, int], None]
RunKey = tuple[int, int]  # (job id, run id)

# (query file, path to the connection in `data`)
APPLIED = {
    "models": ("applied", "models"),
    "sources": ("applied", "sources"),
    "seeds": ("applied", "seeds"),
    "snapshots": ("applied", "snapshots"),
    "tests": ("applied", "tests"),
    "exposures": ("applied", "exposures"),
    # Models never built (ephemeral, disabled in the last run) are in the definition only.
    "definition_models": ("definition", "models"),
    "macros": ("definition", "macros"),
    "metrics": ("definition", "metrics"),
    "semantic_models": ("definition", "semanticModels"),
    "saved_queries": ("definition", "savedQueries"),
    "groups": ("definition", "groups"),
}
JOB_LISTS = ("models", "seeds", "snapshots", "tests", "sources")
TEST_TYPES = {"GENERIC_DATA_TEST": "generic", "SINGULAR_DATA_TEST": "singular", "UNIT_TEST": "unit"}
FRESHNESS = {"Pass": "pass", "Warn": "warn", "Error": "error", "Skipped": "skipped"}
HISTORY_RUNS = 20  # modelHistoricalRuns gives at most 20
HISTORY_MODELS = 500  # models asked one by one for their history; above, one per group


def parse_time(value: Any) -> datetime | None:
    if not value:
        return None
    try:
        return datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError as e:
        raise DiscoveryError(f"not a timestamp: {value!r}") from e


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def _ids(nested: Any) -> list[str]:
    return [str(p["uniqueId"]) for p in nested or [] if isinstance(p, dict) and p.get("uniqueId")]


def _criteria(value: Any) -> dict[str, Any]:
    value = value or {}
    out: dict[str, Any] = {}
    for key, snake in (("warnAfter", "warn_after"), ("errorAfter", "error_after")):
        info = value.get(key)
        if info and (info.get("count") is not None or info.get("period")):
            out[snake] = {"count": info.get("count"), "period": info.get("period")}
    return out


# How dbt's adapters quote a relation name by default (`relation_name` in the manifest).
QUOTES = {"bigquery": "`", "databricks": "`", "spark": "`", "snowflake": ""}


def relation_name(adapter: str, *parts: str) -> str:
    """The relation name dbt would write for database.schema.identifier on `adapter`: the API
    carries `relationName` for models only, and column lineage finds a model's parents in
    its compiled SQL by relation name."""
    quote = QUOTES.get(adapter.lower(), '"')
    return ".".join(f"{quote}{part}{quote}" for part in parts if part)


def _dicts(raw: dict[str, Any], key: str) -> list[dict[str, Any]]:
    return [item for item in raw.get(key) or [] if isinstance(item, dict)]


def _snake(item: dict[str, Any], *keys: str) -> dict[str, Any]:
    """`keys` of an API object under the artifact's snake_case names (typeParams ->
    type_params)."""
    return {re.sub(r"(?<!^)([A-Z])", r"_\1", key).lower(): item.get(key) for key in keys}


def node_record(raw: dict[str, Any], adapter: str = "") -> NodeRecord:
    """One node of any type, as the artifact reader would have made it (`adapter`, the
    environment's adapter type, spells the relation names the API leaves out)."""
    kind = str(raw["resourceType"]).lower()
    record = NodeRecord(
        unique_id=str(raw["uniqueId"]),
        resource_type=kind,
        name=_text(raw.get("name")),
        package_name=_text(raw.get("packageName")),
        fqn=list(raw.get("fqn") or []),
        original_file_path=_text(raw.get("filePath")),
        patch_path=_text(raw.get("patchPath")),
        description=_text(raw.get("description")),
        tags=list(raw.get("tags") or []),
        meta=dict(raw.get("meta") or {}),
        database=_text(raw.get("database")),
        schema=_text(raw.get("schema")),
        alias=_text(raw.get("alias") or raw.get("identifier")),
        relation_name=_text(raw.get("relationName")),
        raw_code=_text(raw.get("rawCode")),
        compiled_code=_text(raw.get("compiledCode")),
        language=_text(raw.get("language")),
        materialized=_text(raw.get("materializedType")),
        access=_text(raw.get("access")),
        group_name=_text(raw.get("group")),
        contract_enforced=bool(raw.get("contractEnforced")),
        version=_text(raw.get("version")),
        latest_version=_text(raw.get("latestVersion")),
        deprecation_date=parse_time(raw.get("deprecationDate")),
        config=dict(raw.get("config") or {}),
        owner_name=_text(raw.get("ownerName")),
        owner_email=_text(raw.get("ownerEmail")),
        modeling_layer=_text(raw.get("modelingLayer")),
        source_name=_text(raw.get("sourceName")),
        column_name=_text(raw.get("columnName")),
        tested_unique_id=_text(raw.get("testedNodeUniqueId")),
        depends_on=_ids(raw.get("parents")),
    )
    if not record.relation_name and kind in ("source", "seed", "snapshot") and record.alias:
        record.relation_name = relation_name(adapter, record.database, record.schema, record.alias)
    data = record.data
    if kind == "model" and raw.get("constraints"):
        data["constraints"] = [
            {
                "type": c.get("type"),
                "name": c.get("name"),
                "expression": c.get("expression"),
                "columns": c.get("columns") or [],
                "warn_unenforced": c.get("warnUnenforced"),
                "warn_unsupported": c.get("warnUnsupported"),
            }
            for c in raw["constraints"]
        ]
    elif kind == "source":
        data["source_description"] = _text(raw.get("sourceDescription"))
        data["loader"] = _text(raw.get("loader"))
        data["freshness"] = _criteria((raw.get("freshness") or {}).get("criteria"))
    elif kind in ("test", "unit_test"):
        metadata = raw.get("testMetadata") or {}
        record.test_type = TEST_TYPES.get(_text(raw.get("testType")), "")
        # A generic test is named by its macro; singular and unit tests by themselves.
        record.test_name = _text(metadata.get("name")) or record.name
        for key in ("model", "given", "expect", "overrides"):
            if raw.get(key):
                data[key] = raw[key]
        if metadata.get("name"):
            data["test_metadata"] = {
                "name": metadata.get("name"),
                "namespace": metadata.get("namespace"),
                "kwargs": metadata.get("kwargs") or {},
            }
    elif kind == "exposure":
        for key in ("maturity", "url", "label"):
            data[key] = _text(raw.get(key))
        data["type"] = _text(raw.get("exposureType"))
    elif kind == "macro":
        data["macro_sql"] = _text(raw.get("macroSql"))
        if raw.get("arguments"):
            data["arguments"] = list(raw["arguments"])
    elif kind == "metric":
        data["type"] = _text(raw.get("type"))
        data["type_params"] = raw.get("typeParams") or {}
        if raw.get("filter") is not None:
            data["filter"] = raw["filter"]
    elif kind == "semantic_model":
        data["dimensions"] = [
            _snake(d, "name", "description", "type", "typeParams")
            for d in _dicts(raw, "dimensions")
        ]
        data["entities"] = [
            _snake(e, "name", "description", "type") for e in _dicts(raw, "entities")
        ]
        data["measures"] = [
            _snake(m, "name", "agg", "createMetric", "description", "expr")
            for m in _dicts(raw, "measures")
        ]
    elif kind == "saved_query":
        data["exports"] = [
            {
                "name": e.get("name"),
                "config": {
                    "export_as": c.get("exportAs"),
                    "schema_name": c.get("schema"),
                    "alias": c.get("alias"),
                    "database": c.get("database"),
                },
            }
            for e in _dicts(raw, "exports")
            for c in [e.get("config") or {}]
        ]
        params = raw.get("queryParams") or {}
        where = params.get("where") or {}
        data["query_params"] = {
            **_snake(params, "metrics", "groupBy", "orderBy", "limit"),
            "where": {
                "where_filters": [
                    {"where_sql_template": f.get("whereSqlTemplate")}
                    for f in where.get("whereFilters") or []
                    if isinstance(f, dict)
                ]
            }
            if where
            else None,
        }
    if kind in ("exposure", "group") and (record.owner_name or record.owner_email):
        data["owner"] = {"email": record.owner_email or None, "name": record.owner_name or None}
    catalog = raw.get("catalog")
    if catalog:
        record.catalog = CatalogRecord(
            type=_text(catalog.get("type")),
            owner=_text(catalog.get("owner")),
            comment=_text(catalog.get("comment")),
            rows=catalog.get("rowCountStat"),
            bytes=catalog.get("bytesStat"),
            stats={
                str(s["id"]): s.get("value")
                for s in catalog.get("stats") or []
                if s and s.get("include", True)
            },
        )
        record.columns = [
            ColumnRecord(
                name=str(c["name"]),
                position=i,
                description=_text(c.get("description")),
                warehouse_type=_text(c.get("type")),
                warehouse_index=c.get("index"),
                warehouse_comment=_text(c.get("comment")),
                in_warehouse=True,
                tags=list(c.get("tags") or []),
                meta=dict(c.get("meta") or {}),
            )
            for i, c in enumerate(catalog.get("columns") or [])
        ]
    return record


def _execution_keys(raw: dict[str, Any]) -> Iterable[RunKey]:
    info = raw.get("executionInfo") or {}
    for job, run in (
        ("lastJobDefinitionId", "lastRunId"),
        ("lastSuccessJobDefinitionId", "lastSuccessRunId"),
    ):
        if info.get(run) is not None and info.get(job) is not None:
            yield int(info[job]), int(info[run])
    fresh = raw.get("freshness") or {}
    if (
        fresh.get("freshnessRunId") is not None
        and fresh.get("freshnessJobDefinitionId") is not None
    ):
        yield int(fresh["freshnessJobDefinitionId"]), int(fresh["freshnessRunId"])


def read_environment(
    client: DiscoveryClient,
    *,
    environment_id: int,
    known_runs: set[RunKey] | None = None,
    progress: Progress | None = None,
    history_models: int = HISTORY_MODELS,
) -> Snapshot:
    """Everything the API says about one environment, as a Snapshot.

    `known_runs` are the (job id, run id) pairs already stored: they are not fetched again.
    Up to `history_models` models are asked their run history one by one (see the module's
    docstring). Every error names the environment (the client's label).
    """
    try:
        return _read_environment(
            client, environment_id, known_runs or set(), progress, history_models
        )
    except DiscoveryError as e:
        if str(e).startswith(client.label):
            raise
        raise DiscoveryError(f"{client.label}: {e}") from e


def _read_environment(
    client: DiscoveryClient,
    environment_id: int,
    known_runs: set[RunKey],
    progress: Progress | None,
    history_models: int,
) -> Snapshot:
    report = progress or (lambda phase, done, total: None)
    variables = {"environmentId": environment_id}
    env = client.execute(load_query("environment"), variables).get("environment")
    if not isinstance(env, dict) or not env.get("dbtProjectName"):
        raise DiscoveryError(
            f"environment {environment_id} has no dbt project (no run has produced metadata)"
        )
    applied = env.get("applied") or {}
    project = ProjectRecord(
        name=str(env["dbtProjectName"]),
        adapter_type=_text(env.get("adapterType")),
        latest_git_sha=_text(applied.get("latestGitSha")),
        generated_at=parse_time(applied.get("lastUpdatedAt")),
    )

    nodes: list[NodeRecord] = []
    seen: set[str] = set()
    run_keys: set[RunKey] = set()
    # Models that took part in a run not stored yet, by their (last run, last success) keys.
    new_history: dict[str, tuple[RunKey, ...]] = {}
    for name, (state, field) in APPLIED.items():
        query = load_query(name)
        for page in client.pages(query, variables, ("environment", state, field)):
            for raw in page:
                if raw.get("uniqueId") in seen:
                    continue  # a model built at least once: its applied state came first
                try:
                    nodes.append(node_record(raw, project.adapter_type))
                    seen.add(nodes[-1].unique_id)
                except (KeyError, TypeError, AttributeError) as e:
                    raise DiscoveryError(f"malformed {field} node (missing {e})") from e
                keys = tuple(_execution_keys(raw))
                run_keys.update(keys)
                if name == "models" and not set(keys) <= known_runs:
                    new_history[raw["uniqueId"]] = keys
            report(f"fetching {field}", len(nodes), 0)

    # Older runs: a model's history names every run it was part of.
    asked = sorted(new_history)
    if len(asked) > history_models:
        # Too many to ask each: models that ran in the same last runs likely share their
        # history, so one of each group is asked.
        by_keys: dict[tuple[RunKey, ...], str] = {}
        for unique_id in asked:
            by_keys.setdefault(new_history[unique_id], unique_id)
        asked = sorted(by_keys.values())
    history = load_query("history")
    for i, unique_id in enumerate(asked, 1):
        data = client.execute(
            history, {**variables, "uniqueId": unique_id, "lastRunCount": HISTORY_RUNS}
        )
        for row in (data.get("environment") or {}).get("applied", {}).get(
            "modelHistoricalRuns"
        ) or []:
            if row.get("jobId") is not None and row.get("runId") is not None:
                run_keys.add((int(row["jobId"]), int(row["runId"])))
        report("fetching model history", i, len(asked))

    wanted = sorted(run_keys - known_runs)
    runs: list[RunRecord] = []
    for i, key in enumerate(wanted, 1):
        runs.extend(read_job_run(client, key))
        report("fetching runs", i, len(wanted))
    return Snapshot(project=project, nodes=nodes, runs=runs)


def read_job_run(client: DiscoveryClient, key: RunKey) -> list[RunRecord]:
    """One dbt Cloud run: its executions (a run_results record) and its freshness checks (a
    freshness record), whichever it has."""
    job_id, run_id = key
    rows: dict[str, list[dict[str, Any]]] = {}
    for name in JOB_LISTS:
        query = load_query(f"job_{name}")
        rows[name] = [
            row
            for page in client.job_pages(query, {"jobId": job_id, "runId": run_id}, ("job", name))
            for row in page
        ]
    executed = [
        (kind, row) for kind in ("models", "seeds", "snapshots", "tests") for row in rows[kind]
    ]
    checked = [row for row in rows["sources"] if row.get("freshnessChecked")]
    records: list[RunRecord] = []
    if executed:
        first = next((row for _, row in executed if row.get("invocationId")), executed[0][1])
        generated = parse_time(first.get("runGeneratedAt"))
        if generated is None:
            raise DiscoveryError(f"run {run_id} of job {job_id} has no runGeneratedAt")
        # Only models carry the run's args (a JSON text).
        text = next((row["args"] for _, row in executed if row.get("args")), "")
        try:
            args = json.loads(text) if text else {}
        except ValueError:
            args = {}
        records.append(
            RunRecord(
                kind="run_results",
                invocation_id=_text(first.get("invocationId")) or f"dbt-cloud-{job_id}-{run_id}",
                generated_at=generated,
                args=args if isinstance(args, dict) else {},
                dbt_version=_text(first.get("dbtVersion")),
                elapsed_time=first.get("runElapsedTime"),
                job_id=job_id,
                run_id=run_id,
                executions=[_execution(kind, row) for kind, row in executed],
            )
        )
    if checked:
        generated = parse_time(checked[0].get("runGeneratedAt"))
        if generated is None:
            raise DiscoveryError(f"run {run_id} of job {job_id} has no runGeneratedAt")
        records.append(
            RunRecord(
                kind="freshness",
                # The job-level API carries no invocation id for freshness checks; the run's
                # ids are stable, so this key is too (a second sync finds it stored).
                invocation_id=f"dbt-cloud-{job_id}-{run_id}-freshness",
                generated_at=generated,
                dbt_version=_text(checked[0].get("dbtVersion")),
                elapsed_time=checked[0].get("runElapsedTime"),
                job_id=job_id,
                run_id=run_id,
                freshness=[
                    FreshnessRecord(
                        unique_id=str(row["uniqueId"]),
                        status=FRESHNESS.get(_text(row.get("state")), "error"),
                        max_loaded_at=parse_time(row.get("maxLoadedAt")),
                        snapshotted_at=parse_time(row.get("snapshottedAt")),
                        age_seconds=row.get("maxLoadedAtTimeAgoInS"),
                        criteria=_criteria(row.get("criteria")),
                    )
                    for row in checked
                ],
            )
        )
    return records


def _execution(kind: str, row: dict[str, Any]) -> ExecutionRecord:
    if kind == "tests":
        # dbt Cloud: `state` is pass/fail/warn/error; `status` is "ERROR" or failing rows.
        status = _text(row.get("state"))
        raw_status = _text(row.get("status"))
        failures = int(raw_status) if raw_status.isdigit() else None
    else:
        status, failures = _text(row.get("status")), None
    if not status:
        raise DiscoveryError(f"{row.get('uniqueId')}: an execution without a status")
    return ExecutionRecord(
        unique_id=str(row["uniqueId"]),
        status=status,
        thread_id=_text(row.get("threadId") or row.get("thread_id")),
        execution_time=row.get("executionTime"),
        compile_started_at=parse_time(row.get("compileStartedAt")),
        compile_completed_at=parse_time(row.get("compileCompletedAt")),
        execute_started_at=parse_time(row.get("executeStartedAt")),
        execute_completed_at=parse_time(row.get("executeCompletedAt")),
        message=_text(row.get("error")),
        failures=failures,
    )
