"""Column lineage benchmark: computing it for the 10k-model synthetic project, then again.

    .venv/bin/python bench/column_lineage.py [--models 10000] [--profile 200] [--no-columns]

Loads the synthetic project (bench/synth.py, cached under bench/out/) into a fresh database
(SQLite unless DATABASE_URL points at PostgreSQL: that database is emptied first) without
computing column lineage at load (LANTERN_COLUMN_LINEAGE_AFTER_LOAD=false), then times, as a
worker runs it (lineage.columns.compute, two processes):

- the full compute: every model and snapshot parsed, written in one transaction;
- a recompute with nothing changed (every input hash read and compared, nothing parsed);
- a recompute after one model's compiled code changed (it is parsed again, nothing else).

It prints the share of models parsed, partial and failed, with the failure categories, and
exits non-zero when the full compute misses its budget (PRODUCT.md / issue 8: two minutes on
two cores). `--no-columns` first deletes every column (a project loaded without catalog.json
or declared columns): every parent's columns then come from its own parse, parents first.
`--profile N` also profiles the parser alone on N models in this process, for whoever makes
it faster.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.append(str(ROOT / "bench"))  # after site-packages: no bench module shadows a package

from common import loaded_project  # noqa: E402
from synth import cached_project  # noqa: E402

BUDGET_SECONDS = 120.0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--models", type=int, default=10_000)
    parser.add_argument("--profile", type=int, default=0, help="profile the parser on N models")
    parser.add_argument(
        "--no-columns", action="store_true", help="delete every column first (no catalog, no YAML)"
    )
    args = parser.parse_args()
    folder = cached_project(args.models, 1)
    _, tmp = loaded_project(
        folder,
        "column_lineage.sqlite3",
        models=args.models,
        extra={"LANTERN_COLUMN_LINEAGE_AFTER_LOAD": "false"},
    )
    try:
        return run(args.profile, no_columns=args.no_columns)
    finally:
        tmp.cleanup()


def run(profile: int, no_columns: bool = False) -> int:
    from django.db.models import Count

    from catalog.models import Column, Environment, Node
    from lineage.columns import compute
    from lineage.models import ColumnEdge, ColumnLineage, NodeLineage

    env = Environment.objects.get(name="bench")
    if no_columns:
        Column.objects.filter(node__environment=env).delete()
        print("   every column deleted: parents' columns come from their own parse")

    started = time.perf_counter()
    full = compute.column_lineage_compute(environment=env)
    full_seconds = time.perf_counter() - started
    total = max(full.nodes, 1)
    print(
        f"   full compute: {full.nodes:,} models and snapshots in {full_seconds:.1f} s "
        f"({compute.POOL_WORKERS} processes; budget {BUDGET_SECONDS:.0f} s): "
        f"{'ok' if full_seconds <= BUDGET_SECONDS else 'OVER BUDGET'}",
        flush=True,
    )
    for status in ("parsed", "partial", "failed"):
        count = full.statuses.get(status, 0)
        print(f"   {status:>8}: {count:6,} ({100 * count / total:5.1f} %)")
    categories = (
        NodeLineage.objects.filter(environment=env)
        .exclude(category="")
        .values_list("status", "category")
        .annotate(n=Count("id"))
        .order_by("-n")
    )
    for status, category, n in categories[:8]:
        print(f"            {status} / {category}: {n:,}")
    columns = ColumnLineage.objects.filter(environment=env)
    print(
        f"   columns: {columns.count():,} ({columns.exclude(error='').count():,} not traced), "
        f"edges: {ColumnEdge.objects.filter(environment=env).count():,}"
    )

    started = time.perf_counter()
    same = compute.column_lineage_compute(environment=env)
    print(
        f"   recompute, nothing changed: {time.perf_counter() - started:.2f} s "
        f"({same.parsed} parsed)"
    )

    # One model in the middle of the DAG changes its code, as a load would write it.
    model = (
        Node.objects.filter(environment=env, resource_type="model")
        .exclude(materialized="ephemeral")
        .order_by("unique_id")[full.nodes // 2]
    )
    Node.objects.filter(pk=model.pk).update(compiled_code=model.compiled_code + "\n-- changed")
    started = time.perf_counter()
    one = compute.column_lineage_compute(environment=env)
    print(
        f"   recompute after one model changed: {time.perf_counter() - started:.2f} s "
        f"({one.parsed} parsed: {model.unique_id})"
    )

    if profile:
        profile_parser(env, profile)
    return 0 if full_seconds <= BUDGET_SECONDS else 1


def profile_parser(env: object, count: int) -> None:
    """The parser alone on `count` models, inline, under cProfile: where its time goes."""
    from lineage.columns import compute, parse

    nodes = compute._nodes(env)  # type: ignore[arg-type]
    targets = [n for n in nodes.values() if n.resource_type in compute.PARSED_TYPES][:count]
    inputs = [compute._input(n, nodes, {}) for n in targets]
    kinds: Counter[str] = Counter()
    profiler = cProfile.Profile()
    started = time.perf_counter()
    profiler.enable()
    for inp in inputs:
        kinds[compute._safe_parse(parse.parse_node, inp).status] += 1
    profiler.disable()
    seconds = time.perf_counter() - started
    print(
        f"   parser alone: {len(inputs)} models in {seconds:.2f} s "
        f"({1000 * seconds / max(len(inputs), 1):.1f} ms each, one process) {dict(kinds)}"
    )
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(18)
    print(out.getvalue())


if __name__ == "__main__":
    sys.exit(main())
