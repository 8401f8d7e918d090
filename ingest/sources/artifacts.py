"""Read dbt artifact files into a `Snapshot`.

Reads manifest v9–v12 (dbt 1.5+, and the "v20" of early Fusion previews), catalog v1,
run_results v4–v6, sources v1–v3 and semantic_manifest.json, as dbt-core and dbt Fusion write
them. The reader is chosen by `metadata.dbt_schema_version`; unknown keys are ignored and missing
ones default, so a file is rejected only when it cannot be read at all. Every rejection is an
`ArtifactError` whose message is one line a user can act on.

Pure Python: no Django, no database. The files are parsed one at a time and dropped as soon as
their records are built, so peak memory is about one parsed file plus the records.
"""

from __future__ import annotations

import gzip
import hashlib
import re
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import orjson

from ingest.records import (
    CatalogRecord,
    ColumnRecord,
    ExecutionRecord,
    FileInfo,
    FreshnessRecord,
    NodeRecord,
    ProjectRecord,
    RunRecord,
    Snapshot,
)

Progress = Callable[[str, int, int], None]

# Schema kind -> the versions this reader understands, and the dbt versions that write them.
SUPPORTED = {
    "manifest": (range(9, 13), "dbt 1.5 and later"),
    "catalog": (range(1, 2), "dbt 1.0 and later"),
    "run-results": (range(4, 7), "dbt 1.5 and later"),
    "sources": (range(1, 4), "dbt 1.0 and later"),
}
KIND_NAMES = {
    "manifest": "manifest",
    "catalog": "catalog",
    "run-results": "run_results",
    "sources": "sources",
    "semantic_manifest": "semantic_manifest",
}
# Schema versions that were never published but real files carry, read as the version they are.
FUSION_PREVIEW_VERSIONS = frozenset({("manifest", 20)})
SCHEMA_VERSION_RE = re.compile(r"/dbt/(?P<kind>[a-z_-]+)/v(?P<version>\d+)(?:\.json)?$")
# Which files of a dbt target/ folder are artifacts. Numbered copies (run_results_02.json) are
# how a folder keeps the history of several invocations.
FOLDER_PATTERNS = (
    "manifest.json",
    "catalog.json",
    "semantic_manifest.json",
    "run_results*.json",
    "sources*.json",
)
# Manifest sections that hold resources, keyed by unique_id.
NODE_SECTIONS = (
    "nodes",
    "sources",
    "exposures",
    "metrics",
    "groups",
    "semantic_models",
    "saved_queries",
    "unit_tests",
    "macros",
    "functions",
)
# Longest unique_id, name or invocation id stored as it is; see ident().
MAX_KEY_BYTES = 1000
# Column keys kept in ColumnRecord.data when set.
COLUMN_EXTRAS = ("quote", "granularity", "dimension", "entity", "doc_blocks")
# Statuses a successful execution reports, per dbt-core; a warning test still ran fine.
SUCCESS_STATUSES = frozenset({"success", "pass", "warn"})
LAYER_WORDS = {
    "staging": "staging",
    "stg": "staging",
    "base": "staging",
    "intermediate": "intermediate",
    "int": "intermediate",
    "marts": "marts",
    "mart": "marts",
    "fct": "marts",
    "dim": "marts",
}


# Bump when the mapping from JSON to records changes: every node is then rewritten once.
# 2: tests of sources are attached to the source their `model` argument names.
RECORD_FORMAT = b"lantern-artifacts-2"
# source('name', 'table') in a generic test's `model` argument.
TEST_SOURCE_ARG_RE = re.compile(
    r"""source\(\s*['"](?P<source>[^'"]+)['"]\s*,\s*['"](?P<table>[^'"]+)['"]\s*\)"""
)


class ArtifactError(Exception):
    """A file or folder that cannot be loaded; the message says which and why, in one line."""


# --------------------------------------------------------------------------------------------
# Files


def artifact_files(paths: Iterable[Path]) -> list[Path]:
    """Expand folders into the artifact files they hold; check that files exist."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            in_folder = _folder_artifacts(path)
            # A dbt project folder: its artifacts are in target/ (or wherever target-path is).
            if not in_folder and (path / "dbt_project.yml").is_file():
                in_folder = _folder_artifacts(path / "target")
            if not any(p.name.startswith("manifest.json") for p in in_folder):
                raise ArtifactError(
                    f"{path}: no manifest.json in this folder (dbt writes it to target/ on "
                    "every parse, compile, run or build)"
                )
            found.extend(in_folder)
        elif path.is_file():
            found.append(path)
        elif path.exists():
            raise ArtifactError(f"{path}: not a file or a folder")
        else:
            raise ArtifactError(f"{path}: no such file or folder")
    return found


def _folder_artifacts(folder: Path) -> list[Path]:
    return sorted(
        {
            p
            for pattern in FOLDER_PATTERNS
            for suffix in ("", ".gz")
            for p in folder.glob(pattern + suffix)
            if p.is_file()
        }
    )


def read_json(path: Path, *, max_bytes: int) -> Any:
    """Parse a JSON file (plain or gzip), refusing files larger than `max_bytes`."""
    try:
        with path.open("rb") as f:
            gzipped = f.read(2) == b"\x1f\x8b"
        size = path.stat().st_size
        limit_mb = max_bytes // (1024 * 1024)
        if gzipped:
            # Inflate with a cap, so a small gzip bomb cannot exhaust memory.
            with gzip.open(path, "rb") as f:
                raw = f.read(max_bytes + 1)
            if len(raw) > max_bytes:
                raise ArtifactError(
                    f"{path.name}: inflates to more than the {limit_mb} MB limit per file "
                    "(setting LANTERN_MAX_ARTIFACT_MB)"
                )
        else:
            if size > max_bytes:
                raise ArtifactError(
                    f"{path.name}: {size / 1024 / 1024:.0f} MB is above the {limit_mb} MB limit "
                    "per file (setting LANTERN_MAX_ARTIFACT_MB)"
                )
            raw = path.read_bytes()
    except (OSError, EOFError, gzip.BadGzipFile) as e:
        raise ArtifactError(f"{path.name}: cannot be read: {e}") from e
    if not raw.strip():
        raise ArtifactError(f"{path.name}: the file is empty")
    try:
        data = orjson.loads(raw)
    except orjson.JSONDecodeError as e:
        raise ArtifactError(f"{path.name}: not valid JSON (truncated or corrupted?): {e}") from e
    # JSON can only carry NUL escaped; when no escape is in the file, no string holds one.
    return without_nul(data) if b"\\u0000" in raw else data


def without_nul(value: Any) -> Any:
    """The same JSON value with NUL characters dropped from every string: PostgreSQL refuses
    them in text and jsonb, and nothing legitimate in dbt metadata needs one."""
    if isinstance(value, str):
        return value.replace("\x00", "")
    if isinstance(value, dict):
        return {without_nul(k): without_nul(v) for k, v in value.items()}
    if isinstance(value, list):
        return [without_nul(v) for v in value]
    return value


def classify(name: str, data: Any) -> tuple[str, int]:
    """Which artifact this is, from metadata.dbt_schema_version: ("manifest", 12), ..."""
    if not isinstance(data, dict):
        raise ArtifactError(f"{name}: not a dbt artifact (the JSON is not an object)")
    metadata = data.get("metadata")
    schema_version = metadata.get("dbt_schema_version") if isinstance(metadata, dict) else None
    if not schema_version:
        # semantic_manifest.json carries no metadata block; recognise it by its sections.
        if "semantic_models" in data and "project_configuration" in data:
            return "semantic_manifest", 1
        old_kind = _unversioned_kind(data)
        if old_kind:
            versions, writers = SUPPORTED[old_kind]
            raise ArtifactError(
                f"{name}: a {KIND_NAMES[old_kind]} written by dbt before 0.19 (it has no "
                f"metadata.dbt_schema_version), older than Lantern reads "
                f"({KIND_NAMES[old_kind]} {_span(versions)}, written by {writers})"
            )
        raise ArtifactError(f"{name}: not a dbt artifact (it has no metadata.dbt_schema_version)")
    match = SCHEMA_VERSION_RE.search(str(schema_version))
    if not match:
        raise ArtifactError(f"{name}: unrecognised dbt_schema_version {schema_version!r}")
    kind, version = match["kind"], int(match["version"])
    if (kind, version) in FUSION_PREVIEW_VERSIONS:
        # dbt Fusion's early previews (2.0.0-beta/preview, 2025) stamped a "v20" that was never
        # published (dbt-fusion#462); the file is a v12 manifest that leaves out empty keys.
        return KIND_NAMES[kind], version
    if kind not in SUPPORTED:
        raise ArtifactError(
            f"{name}: a dbt {kind} artifact, which Lantern does not read "
            "(it reads manifest, catalog, run_results, sources and semantic_manifest)"
        )
    versions, writers = SUPPORTED[kind]
    if version not in versions:
        when = "older" if version < versions[0] else "newer"
        raise ArtifactError(
            f"{name}: {KIND_NAMES[kind]} v{version} is {when} than Lantern reads "
            f"({KIND_NAMES[kind]} {_span(versions)}, written by {writers})"
        )
    return KIND_NAMES[kind], version


def _span(versions: range) -> str:
    return f"v{versions[0]}" if len(versions) == 1 else f"v{versions[0]}–v{versions[-1]}"


def _unversioned_kind(data: dict[str, Any]) -> str:
    """Which artifact a file without dbt_schema_version is, when dbt before 0.19 wrote it
    (those files carry no schema version, and generated_at at the top, not in metadata); ""
    for anything else."""
    if "generated_at" not in data:
        return ""
    if isinstance(data.get("nodes"), dict) and ("parent_map" in data or "macros" in data):
        return "manifest"
    if isinstance(data.get("nodes"), dict) and isinstance(data.get("sources"), dict):
        return "catalog"
    if isinstance(data.get("results"), list) and "elapsed_time" in data:
        return "run-results"
    return ""


# --------------------------------------------------------------------------------------------
# Small pure helpers for values that drift between dbt versions


def parse_datetime(value: Any) -> datetime | None:
    """dbt timestamps: ISO 8601, with "Z", an offset, or none (UTC then)."""
    if not value or not isinstance(value, str):
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def obj(value: Any) -> dict[str, Any]:
    """A JSON object, or {} for anything else (null, or a list or string where an object was
    expected): unexpected shapes are read as missing, never as a crash."""
    return value if isinstance(value, dict) else {}


def strings(value: Any) -> list[str]:
    """A JSON list of strings, without duplicates; a lone string counts as a list of one."""
    if not value:  # most tag and dependency lists are empty
        return []
    if isinstance(value, str):
        return [value]
    if not isinstance(value, list):
        return []
    return list(dict.fromkeys(v for v in value if isinstance(v, str) and v))


def ident(value: Any) -> str:
    """A unique_id, name or invocation id, short enough for a database index.

    PostgreSQL cannot index a value of more than about 2,700 bytes. No dbt project has ids
    that long, but a hostile file may: such a value is replaced by a digest of itself, the same
    wherever it occurs, so references between resources still match.
    """
    key = text(value)
    if len(key) <= MAX_KEY_BYTES // 4 or len(key.encode()) <= MAX_KEY_BYTES:
        return key
    return "~" + hashlib.blake2b(key.encode(), digest_size=16).hexdigest()


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def text(value: Any) -> str:
    if value.__class__ is str:
        return value
    return "" if value is None else str(value)


def version_text(value: Any) -> str:
    """Model versions are ints, floats or strings in YAML; 2.0 and 2 are the same version."""
    if value is None or value == "":
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def normalise_status(value: Any) -> str:
    """dbt-core writes lower case ("success"); Fusion capitalises ("Success")."""
    status = text(value).strip().lower().replace("_", " ")
    return {"noop": "no-op", "runtimeerror": "runtime error"}.get(status, status)


def merged_tags(first: Any, second: Any) -> list[str]:
    """Tags from the node and from its config (dbt 1.10 moved them), each once, in order."""
    if not second:
        return strings(first)
    if not first:
        return strings(second)
    return list(dict.fromkeys(strings(first) + strings(second)))


def merged_meta(node: dict[str, Any], config: dict[str, Any]) -> dict[str, Any]:
    # Before dbt 1.10 meta lives at the node; from 1.10 under config. Both are read; config wins.
    meta: dict[str, Any] = {}
    for source in (node.get("meta"), config.get("meta")):
        if isinstance(source, dict):
            meta.update(source)
    return meta


def owner_from_meta(meta: dict[str, Any]) -> tuple[str, str]:
    owner = meta.get("owner")
    if isinstance(owner, dict):
        return text(owner.get("name")), text(owner.get("email"))
    if isinstance(owner, str) and owner:
        return ("", text(owner)) if "@" in owner else (text(owner), "")
    return "", ""


def modeling_layer(resource_type: str, name: str, fqn: list[str]) -> str:
    """staging / intermediate / marts, from the folders of the fqn or the name's prefix."""
    if resource_type != "model":
        return ""
    for folder in fqn[1:-1]:
        layer = LAYER_WORDS.get(folder.lower())
        if layer:
            return layer
    prefix = name.split("_", 1)[0].lower()
    return LAYER_WORDS.get(prefix, "")


def stat_value(stats: dict[str, Any], *ids: str) -> int | None:
    for stat_id in ids:
        stat = stats.get(stat_id)
        if isinstance(stat, dict) and stat.get("include", True):
            value = stat.get("value")
            if isinstance(value, int | float) and not isinstance(value, bool):
                return int(value)
    return None


# --------------------------------------------------------------------------------------------
# manifest.json


def _columns_from_manifest(columns: Any) -> list[ColumnRecord]:
    records: list[ColumnRecord] = []
    if not isinstance(columns, dict):
        return records
    for position, (key, col) in enumerate(columns.items()):
        if not isinstance(col, dict):
            continue
        config = obj(col.get("config"))
        data = {}
        for extra in COLUMN_EXTRAS:
            value = col.get(extra)
            if value:
                data[extra] = value
        records.append(
            ColumnRecord(
                name=ident(col.get("name") or key),
                position=position,
                description=text(col.get("description")),
                data_type=text(col.get("data_type")),
                declared=True,
                tags=merged_tags(col.get("tags"), config.get("tags")),
                meta=merged_meta(col, config),
                constraints=[c for c in _list(col.get("constraints")) if isinstance(c, dict)],
                data=data,
            )
        )
    return records


def _tested_node(node: dict[str, Any], names: dict[str, str]) -> str:
    attached = node.get("attached_node")
    if attached:
        return text(attached)
    depends = strings(obj(node.get("depends_on")).get("nodes"))
    # dbt sets no attached_node on a test of a source (nor at all in 1.5); a generic test's
    # `model` argument names what it tests, e.g. "{{ get_where_subquery(source('raw', 'a')) }}",
    # where a relationships test depends on two relations.
    model_arg = text(obj(obj(node.get("test_metadata")).get("kwargs")).get("model"))
    source = TEST_SOURCE_ARG_RE.search(model_arg)
    if source:
        suffix = f".{source['source']}.{source['table']}"
        found = [d for d in depends if d.startswith("source.") and d.endswith(suffix)]
        if len(found) == 1:
            return found[0]
    # dbt 1.5 has no attached_node: file_key_name says "models.orders" or "sources.raw".
    key = text(node.get("file_key_name"))
    if key.startswith("models."):
        found_model = names.get(key.split(".", 1)[1])
        if found_model:
            return found_model
    return depends[0] if len(depends) == 1 else ""


def _type_data(resource_type: str, node: dict[str, Any], config: dict[str, Any]) -> dict[str, Any]:
    """The type-specific part of a node, as NodeRecord.data documents it."""

    def pick(*keys: str) -> dict[str, Any]:
        return {k: node[k] for k in keys if node.get(k) not in (None, "", [], {})}

    if resource_type == "source":
        data = pick(
            "loader",
            "loaded_at_field",
            "loaded_at_query",
            "source_description",
            "identifier",
            "external",
            "quoting",
            "source_meta",
        )
        freshness = node.get("freshness") or config.get("freshness")
        if isinstance(freshness, dict):
            data["freshness"] = freshness
        return data
    if resource_type == "exposure":
        return pick("type", "maturity", "url", "label", "owner")
    if resource_type == "metric":
        return pick("type", "type_params", "filter", "label", "time_granularity", "metadata")
    if resource_type == "semantic_model":
        return pick(
            "model",
            "node_relation",
            "entities",
            "dimensions",
            "measures",
            "defaults",
            "primary_entity",
            "label",
            "metadata",
        )
    if resource_type == "saved_query":
        return pick("query_params", "exports", "label", "metadata")
    if resource_type == "test":
        data = pick("test_metadata", "file_key_name")
        for key in ("severity", "store_failures", "where", "limit", "warn_if", "error_if"):
            if config.get(key) is not None:
                data[key] = config[key]
        return data
    if resource_type == "unit_test":
        return pick("model", "given", "expect", "overrides", "versions", "version")
    if resource_type == "macro":
        return pick("macro_sql", "arguments", "supported_languages")
    if resource_type == "group":
        return pick("owner")
    if resource_type in {"model", "snapshot", "seed"}:
        data = pick("constraints", "refs", "sources", "primary_key", "time_spine", "root_path")
        for key in ("on_schema_change", "unique_key", "incremental_strategy", "strategy"):
            if config.get(key) is not None:
                data[key] = config[key]
        return data
    if resource_type == "function":
        return pick("arguments", "returns", "type")
    return {}


def node_record(
    node: dict[str, Any], *, group_owners: dict[str, tuple[str, str]], model_names: dict[str, str]
) -> NodeRecord:
    """One manifest resource as a NodeRecord (columns from the manifest only)."""
    config = obj(node.get("config"))
    resource_type = text(node.get("resource_type"))
    name = ident(node.get("name"))
    fqn = [text(p) for p in _list(node.get("fqn"))]
    meta = merged_meta(node, config)
    group_name = text(node.get("group") or config.get("group"))
    contract = obj(node.get("contract") or config.get("contract"))
    checksum = node.get("checksum")
    depends = obj(node.get("depends_on"))

    owner_name, owner_email = "", ""
    if resource_type in {"exposure", "group"}:
        owner = obj(node.get("owner"))
        owner_name, owner_email = text(owner.get("name")), text(owner.get("email"))
    else:
        owner_name, owner_email = owner_from_meta(meta)
        if not (owner_name or owner_email) and group_name in group_owners:
            owner_name, owner_email = group_owners[group_name]

    test_type = tested = column_name = test_name = ""
    if resource_type == "test":
        metadata = obj(node.get("test_metadata"))
        test_type = "generic" if metadata else "singular"
        test_name = text(metadata.get("name")) if test_type == "generic" else name
        tested = _tested_node(node, model_names)
        column_name = text(node.get("column_name"))
        if not column_name and test_type == "generic":
            column_name = text(obj(metadata.get("kwargs")).get("column_name"))
    elif resource_type == "unit_test":
        test_type, test_name = "unit", name
        target = f".{node.get('model')}"
        models = [d for d in strings(depends.get("nodes")) if d.startswith("model.")]
        tested = next((m for m in models if m.endswith(target)), models[0] if models else "")

    if resource_type == "source":
        alias = text(node.get("identifier") or name)
    else:
        alias = text(node.get("alias"))

    return NodeRecord(
        unique_id=ident(node.get("unique_id")),
        resource_type=resource_type,
        name=name,
        package_name=text(node.get("package_name")),
        fqn=fqn,
        path=text(node.get("path")),
        original_file_path=text(node.get("original_file_path")),
        patch_path=text(node.get("patch_path")),
        database=text(node.get("database")),
        schema=text(node.get("schema")),
        alias=alias,
        relation_name=text(node.get("relation_name")),
        description=text(node.get("description")),
        # raw_sql/compiled_sql: dbt before 1.3, still written by some tools.
        raw_code=text(node.get("raw_code") or node.get("raw_sql")),
        compiled_code=text(node.get("compiled_code") or node.get("compiled_sql")),
        language=text(node.get("language")),
        checksum=text(checksum.get("checksum")) if isinstance(checksum, dict) else text(checksum),
        materialized=text(config.get("materialized")),
        access=text(node.get("access") or config.get("access")).lower(),
        group_name=group_name,
        contract_enforced=contract.get("enforced") is True,
        version=version_text(node.get("version")),
        latest_version=version_text(node.get("latest_version")),
        deprecation_date=parse_datetime(node.get("deprecation_date")),
        tags=merged_tags(node.get("tags"), config.get("tags")),
        meta=meta,
        config=config,
        owner_name=owner_name,
        owner_email=owner_email,
        modeling_layer=modeling_layer(resource_type, name, fqn),
        source_name=text(node.get("source_name")),
        test_type=test_type,
        test_name=test_name,
        tested_unique_id=ident(tested),
        column_name=column_name,
        data=_type_data(resource_type, node, config),
        depends_on=[ident(d) for d in strings(depends.get("nodes"))],
        depends_on_macros=[ident(d) for d in strings(depends.get("macros"))],
        columns=_columns_from_manifest(node.get("columns")),
    )


def project_name_of(manifest: dict[str, Any]) -> str:
    metadata = obj(manifest.get("metadata"))
    if metadata.get("project_name"):
        return text(metadata["project_name"])
    # dbt 1.5 writes only project_id, the md5 of the project's name: find the package it hashes.
    project_id = text(metadata.get("project_id"))
    packages = {
        text(n.get("package_name"))
        for n in obj(manifest.get("nodes")).values()
        if isinstance(n, dict)
    }
    for package in packages:
        if hashlib.md5(package.encode()).hexdigest() == project_id:  # noqa: S324 - dbt's own id
            return package
    return ""


def manifest_project(manifest: dict[str, Any], schema_version: int) -> ProjectRecord:
    metadata = obj(manifest.get("metadata"))
    return ProjectRecord(
        name=project_name_of(manifest),
        dbt_project_id=text(metadata.get("project_id")),
        dbt_version=text(metadata.get("dbt_version")),
        adapter_type=text(metadata.get("adapter_type")),
        schema_version=f"v{schema_version}",
        generated_at=parse_datetime(metadata.get("generated_at")),
        invocation_id=ident(metadata.get("invocation_id")),
    )


def manifest_ids(manifest: dict[str, Any]) -> set[str]:
    ids: set[str] = set()
    for section in NODE_SECTIONS:
        resources = manifest.get(section)
        if isinstance(resources, dict):
            ids.update(ident(key) for key in resources)
    return ids


def manifest_records(
    manifest: dict[str, Any],
    schema_version: int,
    *,
    warehouse: dict[str, dict[str, Any]] | None = None,
    stored_hashes: dict[str, str] | None = None,
) -> tuple[list[NodeRecord], dict[str, str]]:
    """A record per resource of the manifest, with its catalog entry merged in.

    Each record's content_hash digests the raw JSON it is built from. A resource whose hash
    equals `stored_hashes[unique_id]` is not built at all: it comes back in the second value
    (unique_id -> hash) instead, which is what makes re-loading an unchanged project cheap.
    """
    warehouse = warehouse or {}
    stored_hashes = stored_hashes or {}
    group_owners: dict[str, tuple[str, str]] = {}
    for group in obj(manifest.get("groups")).values():
        owner = obj(group.get("owner")) if isinstance(group, dict) else {}
        if owner:
            group_owners[text(group.get("name"))] = (
                text(owner.get("name")),
                text(owner.get("email")),
            )
    model_names = {
        text(n.get("name")): uid
        for uid, n in obj(manifest.get("nodes")).items()
        if isinstance(n, dict) and n.get("resource_type") == "model"
    }
    # A record also depends on what other resources say: its group's owner, and (dbt 1.5,
    # which has no attached_node) the names of models. They are part of every node's digest.
    context = hashlib.blake2b(RECORD_FORMAT, digest_size=16)
    context.update(orjson.dumps(group_owners, option=orjson.OPT_SORT_KEYS))
    if schema_version < 10:
        context.update(orjson.dumps(model_names, option=orjson.OPT_SORT_KEYS))

    records: list[NodeRecord] = []
    unchanged: dict[str, str] = {}
    seen: set[str] = set()
    for section in NODE_SECTIONS:
        resources = manifest.get(section)
        if not isinstance(resources, dict):
            continue
        for key, node in resources.items():
            unique_id = ident(key)
            if not isinstance(node, dict) or unique_id in seen:
                continue
            seen.add(unique_id)
            entry = warehouse.get(key)
            digest = context.copy()
            digest.update(orjson.dumps(node, option=orjson.OPT_NON_STR_KEYS))
            if entry is not None:
                digest.update(orjson.dumps(entry, option=orjson.OPT_NON_STR_KEYS))
            content_hash = digest.hexdigest()
            if stored_hashes.get(unique_id) == content_hash:
                unchanged[unique_id] = content_hash
                continue
            # The section's key is the unique_id (a node's own field could disagree with it).
            node["unique_id"] = unique_id
            if not node.get("resource_type"):
                node["resource_type"] = unique_id.split(".", 1)[0]
            record = node_record(node, group_owners=group_owners, model_names=model_names)
            record.content_hash = content_hash
            if entry is not None:
                merge_catalog_entry(record, entry)
            records.append(record)
    return records, unchanged


def merge_semantic_manifest(
    data: dict[str, Any], project: str, records: list[NodeRecord], known: set[str]
) -> int:
    """Add semantic models, metrics and saved queries that only semantic_manifest.json holds.

    `known` holds the unique_ids of the manifest, which always wins."""
    known = set(known)
    added = 0
    for section, resource_type in (
        ("semantic_models", "semantic_model"),
        ("metrics", "metric"),
        ("saved_queries", "saved_query"),
    ):
        for item in _list(data.get(section)):
            if not isinstance(item, dict) or not item.get("name"):
                continue
            unique_id = ident(f"{resource_type}.{project}.{item['name']}")
            if unique_id in known:
                continue
            known.add(unique_id)
            item = {
                **item,
                "unique_id": unique_id,
                "resource_type": resource_type,
                "package_name": project,
                "fqn": [project, item["name"]],
            }
            records.append(node_record(item, group_owners={}, model_names={}))
            added += 1
    return added


# --------------------------------------------------------------------------------------------
# catalog.json


def catalog_entries(catalog: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """unique_id -> catalog entry, for tables (nodes) and sources alike."""
    entries: dict[str, dict[str, Any]] = {}
    for section in ("nodes", "sources"):
        for unique_id, entry in obj(catalog.get(section)).items():
            if isinstance(entry, dict):
                entries[unique_id] = entry
    return entries


def merge_catalog_entry(record: NodeRecord, entry: dict[str, Any]) -> None:
    """Attach what the warehouse said about a relation to its record."""
    metadata = obj(entry.get("metadata"))
    stats = obj(entry.get("stats"))
    record.catalog = CatalogRecord(
        type=text(metadata.get("type")),
        owner=text(metadata.get("owner")),
        comment=text(metadata.get("comment")),
        # Snowflake/DuckDB: row_count, bytes; BigQuery: num_rows, num_bytes; Redshift: rows
        rows=stat_value(stats, "row_count", "num_rows", "rows"),
        bytes=stat_value(stats, "bytes", "num_bytes"),
        stats={
            k: v.get("value")
            for k, v in stats.items()
            if isinstance(v, dict) and k != "has_stats" and v.get("include", True)
        },
    )
    _merge_catalog_columns(record, entry.get("columns"))


def _merge_catalog_columns(record: NodeRecord, columns: Any) -> None:
    if not isinstance(columns, dict):
        return
    # Warehouses fold case (Snowflake: upper); YAML is usually lower: match case-insensitively.
    declared = {c.name.lower(): c for c in record.columns}
    merged: list[ColumnRecord] = []
    for key, col in columns.items():
        if not isinstance(col, dict):
            continue
        name = ident(col.get("name") or key)
        index = col.get("index") if isinstance(col.get("index"), int) else None
        column = declared.pop(name.lower(), None)
        if column is None:
            column = ColumnRecord(name=name, position=0)
        column.warehouse_type = text(col.get("type"))
        column.warehouse_index = index
        column.warehouse_comment = text(col.get("comment"))
        column.in_warehouse = True
        merged.append(column)
    merged.sort(key=lambda c: (c.warehouse_index is None, c.warehouse_index or 0))
    # Declared columns the warehouse does not have (yet) come after, in declaration order.
    merged.extend(sorted(declared.values(), key=lambda c: c.position))
    for position, column in enumerate(merged):
        column.position = position
    record.columns = merged


# --------------------------------------------------------------------------------------------
# run_results.json and sources.json


def _dbt_cloud_ids(metadata: dict[str, Any]) -> tuple[int | None, int | None]:
    # dbt Cloud ids travel in metadata.env when a job sets DBT_ENV_CUSTOM_ENV_DBT_CLOUD_*_ID.
    env = obj(metadata.get("env"))

    def as_int(key: str) -> int | None:
        value = env.get(key) or env.get(f"DBT_ENV_CUSTOM_ENV_{key}")
        try:
            return int(value) if value not in (None, "") else None
        except (TypeError, ValueError):
            return None

    return as_int("DBT_CLOUD_JOB_ID"), as_int("DBT_CLOUD_RUN_ID")


def _timing(result: dict[str, Any]) -> dict[str, datetime | None]:
    times: dict[str, datetime | None] = {}
    for step in _list(result.get("timing")):
        if isinstance(step, dict) and step.get("name") in ("compile", "execute"):
            times[f"{step['name']}_started_at"] = parse_datetime(step.get("started_at"))
            times[f"{step['name']}_completed_at"] = parse_datetime(step.get("completed_at"))
    return times


def _command(args: dict[str, Any]) -> str:
    which = text(args.get("which"))
    if which:
        return which.replace("_", " ")
    invocation = text(args.get("invocation_command"))  # "dbt build --select ..."
    words = invocation.split()
    return words[1] if len(words) > 1 and words[0].endswith("dbt") else ""


def _optional_float(value: Any) -> float | None:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def _optional_int(value: Any) -> int | None:
    return int(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def read_run_results(data: dict[str, Any], schema_version: int) -> RunRecord:
    metadata = obj(data.get("metadata"))
    args = obj(data.get("args"))
    job_id, run_id = _dbt_cloud_ids(metadata)
    generated_at = parse_datetime(metadata.get("generated_at"))
    if generated_at is None:
        raise ArtifactError("run_results: metadata.generated_at is missing or not a timestamp")
    executions = []
    for result in _list(data.get("results")):
        if not isinstance(result, dict) or not result.get("unique_id"):
            continue
        adapter_response = obj(result.get("adapter_response"))
        times = _timing(result)
        extra = {}
        if result.get("batch_results"):
            extra["batch_results"] = result["batch_results"]
        executions.append(
            ExecutionRecord(
                unique_id=ident(result["unique_id"]),
                status=normalise_status(result.get("status")),
                thread_id=text(result.get("thread_id")),
                execution_time=_optional_float(result.get("execution_time")),
                compile_started_at=times.get("compile_started_at"),
                compile_completed_at=times.get("compile_completed_at"),
                execute_started_at=times.get("execute_started_at"),
                execute_completed_at=times.get("execute_completed_at"),
                message=text(result.get("message")),
                failures=_optional_int(result.get("failures")),
                rows_affected=_optional_int(adapter_response.get("rows_affected")),
                adapter_response=adapter_response,
                relation_name=text(result.get("relation_name")),
                data=extra,
            )
        )
    return RunRecord(
        kind="run_results",
        invocation_id=ident(metadata.get("invocation_id")),
        generated_at=generated_at,
        command=_command(args),
        args=args,
        dbt_version=text(metadata.get("dbt_version")),
        schema_version=f"v{schema_version}",
        started_at=parse_datetime(metadata.get("invocation_started_at")),
        elapsed_time=_optional_float(data.get("elapsed_time")),
        job_id=job_id,
        run_id=run_id,
        executions=executions,
    )


def read_sources(data: dict[str, Any], schema_version: int) -> RunRecord:
    metadata = obj(data.get("metadata"))
    job_id, run_id = _dbt_cloud_ids(metadata)
    generated_at = parse_datetime(metadata.get("generated_at"))
    if generated_at is None:
        raise ArtifactError("sources: metadata.generated_at is missing or not a timestamp")
    results = []
    for result in _list(data.get("results")):
        if not isinstance(result, dict) or not result.get("unique_id"):
            continue
        adapter_response = obj(result.get("adapter_response"))
        results.append(
            FreshnessRecord(
                unique_id=ident(result["unique_id"]),
                status=normalise_status(result.get("status")),
                max_loaded_at=parse_datetime(result.get("max_loaded_at")),
                snapshotted_at=parse_datetime(result.get("snapshotted_at")),
                age_seconds=_optional_float(result.get("max_loaded_at_time_ago_in_s")),
                criteria=obj(result.get("criteria")),
                message=text(result.get("error") or result.get("message")),
                execution_time=_optional_float(result.get("execution_time")),
                thread_id=text(result.get("thread_id")),
                adapter_response=adapter_response,
            )
        )
    return RunRecord(
        kind="freshness",
        invocation_id=ident(metadata.get("invocation_id")),
        generated_at=generated_at,
        command="source freshness",
        dbt_version=text(metadata.get("dbt_version")),
        schema_version=f"v{schema_version}",
        started_at=parse_datetime(metadata.get("invocation_started_at")),
        elapsed_time=_optional_float(data.get("elapsed_time")),
        job_id=job_id,
        run_id=run_id,
        freshness=results,
    )


def _result_ids(run: RunRecord) -> set[str]:
    return {e.unique_id for e in run.executions} | {f.unique_id for f in run.freshness}


# --------------------------------------------------------------------------------------------
# Everything together


def read_snapshot(
    paths: Iterable[Path],
    *,
    max_bytes: int,
    project_name: str = "",
    stored_hashes: Callable[[str], dict[str, str]] | None = None,
    known_ids: Callable[[str], set[str]] | None = None,
    progress: Progress | None = None,
) -> Snapshot:
    """Read artifact files and folders into one Snapshot.

    `stored_hashes(project)` gives the content hashes of the nodes already stored for a
    project: nodes whose input is unchanged are then not rebuilt. `known_ids(project)` gives
    their unique_ids; it checks run_results and sources that come without a manifest.
    A catalog, run_results or sources file that shares no node with the manifest belongs to
    another project: it is skipped with a warning. Anything unreadable raises ArtifactError.
    """
    report = progress or (lambda phase, done, total: None)
    files = artifact_files(paths)
    if not files:
        raise ArtifactError("no artifact files given")

    # The manifest goes last: by then the catalog it is merged with has been read. Files are
    # classified by their content; names only decide the order.
    def order(path: Path) -> int:
        for rank, prefix in enumerate(
            ("catalog", "semantic_manifest", "run_results", "sources", "manifest")
        ):
            if path.name.startswith(prefix):
                return rank
        return 3

    files.sort(key=lambda p: (order(p), p.name))
    infos = [FileInfo(name=str(p), bytes=p.stat().st_size) for p in files]
    warnings: list[str] = []
    runs: list[tuple[RunRecord, FileInfo]] = []
    catalogs: list[tuple[FileInfo, dict[str, dict[str, Any]], str]] = []
    semantic: list[tuple[FileInfo, dict[str, Any]]] = []
    manifest: tuple[Path, dict[str, Any], int] | None = None

    for index, (path, info) in enumerate(zip(files, infos, strict=True)):
        report(f"reading {path.name}", index, len(files))
        data = read_json(path, max_bytes=max_bytes)
        kind, version = classify(path.name, data)
        info.kind, info.schema_version = kind, f"v{version}"
        if kind == "manifest":
            if manifest is not None:
                raise ArtifactError(f"{path.name}: a second manifest; give one project at a time")
            manifest = (path, data, version)
        elif kind == "catalog":
            generated_at = text(obj(data.get("metadata")).get("generated_at"))
            catalogs.append((info, catalog_entries(data), generated_at))
        elif kind == "semantic_manifest":
            semantic.append((info, data))
        elif kind == "run_results":
            runs.append((read_run_results(data, version), info))
        elif kind == "sources":
            runs.append((read_sources(data, version), info))
        del data

    project: ProjectRecord | None = None
    records: list[NodeRecord] | None = None
    unchanged: dict[str, str] = {}
    if manifest is not None:
        path, data, version = manifest
        manifest = None
        project = manifest_project(data, version)
        project.name = project_name or project.name
        if not project.name:
            raise ArtifactError(
                f"{path.name}: the manifest does not name its project; pass --project NAME"
            )
        known = manifest_ids(data)
        warehouse: dict[str, dict[str, Any]] = {}
        for info, entries, generated_at in catalogs:
            if entries and not known.intersection(ident(key) for key in entries):
                info.skipped = "none of its nodes are in the manifest (another project?)"
                warnings.append(f"{Path(info.name).name}: skipped, {info.skipped}")
                continue
            warehouse.update(entries)
            project.catalog_generated_at = parse_datetime(generated_at)
        report("building records", len(files), len(files))
        records, unchanged = manifest_records(
            data,
            version,
            warehouse=warehouse,
            stored_hashes=stored_hashes(project.name) if stored_hashes else None,
        )
        del data, warehouse
        for _info, semantic_data in semantic:
            merge_semantic_manifest(semantic_data, project.name, records, known)
    else:
        for info, _entries, _ in catalogs:
            info.skipped = "a catalog needs the manifest it belongs to"
            warnings.append(f"{Path(info.name).name}: skipped, {info.skipped}")
        for info, _data in semantic:
            info.skipped = "a semantic manifest needs the manifest it belongs to"
            warnings.append(f"{Path(info.name).name}: skipped, {info.skipped}")
        if not runs:
            raise ArtifactError("no manifest.json among the files given")
        known = known_ids(project_name) if known_ids else set()

    kept: list[RunRecord] = []
    for run, info in runs:
        ids = _result_ids(run)
        if ids and not ids & known:
            info.skipped = "none of its results are nodes of the manifest (another project?)"
            warnings.append(f"{Path(info.name).name}: skipped, {info.skipped}")
            continue
        kept.append(run)
    kept.sort(key=lambda r: r.generated_at)
    return Snapshot(
        project=project,
        nodes=records,
        unchanged=unchanged,
        runs=kept,
        files=infos,
        warnings=warnings,
    )
