"""ParseInputs straight from dbt artifacts (manifest.json + catalog.json), without the database.

The accuracy test and ad-hoc runs use it; lineage.columns.compute builds the same inputs from
the database. Plain Python: no Django.
"""

from __future__ import annotations

from typing import Any

from lineage.columns.parse import (
    ParseInput,
    Relation,
    ephemeral_ctes,
    relation_key,
    snapshot_config,
)

_PARSED = ("model", "snapshot", "seed")


def _columns(
    catalog_entry: dict[str, Any] | None, declared: dict[str, Any] | None
) -> tuple[str, ...]:
    """Catalog columns in warehouse order first; declared ones only when the catalog has none."""
    if catalog_entry and catalog_entry.get("columns"):
        cols = sorted(catalog_entry["columns"].values(), key=lambda c: c.get("index") or 0)
        return tuple(str(c["name"]) for c in cols)
    return tuple(str(c.get("name") or k) for k, c in (declared or {}).items())


def parse_inputs(manifest: dict[str, Any], catalog: dict[str, Any] | None) -> list[ParseInput]:
    """One ParseInput per model, snapshot and seed of the manifest."""
    dialect = str(manifest.get("metadata", {}).get("adapter_type") or "")
    catalog = catalog or {}
    cat_nodes: dict[str, Any] = catalog.get("nodes", {})
    cat_sources: dict[str, Any] = catalog.get("sources", {})
    nodes: dict[str, Any] = manifest.get("nodes", {})
    sources: dict[str, Any] = manifest.get("sources", {})

    def known(uid: str) -> tuple[dict[str, Any] | None, tuple[str, ...]]:
        if uid in nodes:
            return nodes[uid], _columns(cat_nodes.get(uid), nodes[uid].get("columns"))
        if uid in sources:
            return sources[uid], _columns(cat_sources.get(uid), sources[uid].get("columns"))
        return None, ()

    def in_catalog(uid: str) -> bool:
        return bool((cat_nodes.get(uid) or cat_sources.get(uid) or {}).get("columns"))

    inputs = []
    for uid, node in sorted(nodes.items()):
        if node.get("resource_type") not in _PARSED:
            continue
        relations: dict[str, Relation] = {}
        ctes: dict[str, Relation] = {}
        for parent in (node.get("depends_on") or {}).get("nodes") or []:
            pnode, cols = known(parent)
            if pnode is None:
                continue
            # Declared columns only (no catalog entry): there may be others.
            rel = Relation(parent, cols, complete=not cols or in_catalog(parent))
            if (pnode.get("config") or {}).get("materialized") == "ephemeral":
                name = str(pnode.get("name") or parent.split(".")[-1])
                for cte in ephemeral_ctes(name, str(pnode.get("alias") or "")):
                    ctes[cte] = rel
            elif pnode.get("relation_name"):
                relations[relation_key(pnode["relation_name"], dialect)] = rel
        _node, own = known(uid)
        inputs.append(
            ParseInput(
                unique_id=uid,
                language=str(node.get("language") or "sql"),
                compiled_code=str(node.get("compiled_code") or ""),
                dialect=dialect,
                relations=relations,
                ctes=ctes,
                output_columns=own,
                snapshot=(
                    snapshot_config(node.get("config"))
                    if node.get("resource_type") == "snapshot"
                    else None
                ),
            )
        )
    return inputs
