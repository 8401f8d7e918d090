"""Discovery API benchmark: GraphQL queries on the 10k-model synthetic project, in-process.

    .venv/bin/python bench/discovery.py [--models 10000] [--repeat 20]

(Not bench/graphql.py: Python puts a script's folder first on sys.path, so a graphql.py in
bench/ would stand in for graphql-core in every benchmark and in the tests that import from
bench/.)

Loads the synthetic project (bench/synth.py, cached under bench/out/) into a fresh database
(SQLite unless DATABASE_URL points at PostgreSQL: that database is emptied first), then runs
queries against `lantern.schema.schema` in this process (no HTTP, no authentication: the
transport is measured by its own tests) and times each from the query text to the result:

- `applied.models(first: 500)` with what dbt-mcp and catalog integrations ask of each model:
  execution info, catalog columns, tests with their results, parents. Pages are walked in
  order with `after`, so every timing is of a different page. Also its SQL query count for
  first: 10, 100 and 500, which must be the same (PRODUCT.md: "number of SQL queries
  independent of first");
- `applied.lineage` of a selector giving about 2,000 nodes, with parentIds.

Budget (PRODUCT.md): the models page within 1 s at p95; the lineage list is held to the same
second. The environment's lineage DAG is built before timing: it is built once per load and
process (bench/lineage.py times that). Exits non-zero when over budget, or when the query
count depends on `first`.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from common import loaded_project, percentile  # noqa: E402
from synth import cached_project  # noqa: E402

BUDGET_MS = 1000.0
LINEAGE_NODES = 2000

MODELS = """
query Models($env: BigInt!, $first: Int, $after: String) {
  environment(id: $env) {
    applied {
      models(first: $first, after: $after) {
        totalCount
        pageInfo { endCursor hasNextPage }
        edges {
          node {
            uniqueId name description database schema alias materializedType access tags
            executionInfo {
              lastRunStatus lastRunId lastRunGeneratedAt lastRunError
              executeCompletedAt executionTime lastSuccessRunId
            }
            catalog { rowCountStat columns { name type description index } }
            tests {
              uniqueId name testType columnName
              executionInfo { lastRunStatus lastRunFailures executeCompletedAt }
            }
            parents { uniqueId name resourceType }
          }
        }
      }
    }
  }
}
"""
LINEAGE = """
query Lineage($env: BigInt!, $select: String!) {
  environment(id: $env) {
    applied {
      lineage(filter: {select: $select}) {
        uniqueId name resourceType filePath matchesMethod tags database schema alias
        ... on LineageNodeWithParents { parentIds }
        ... on LineageNodeExecutable { lastRunStatus }
        ... on LineageNodeTestable { worstTestStatus }
      }
    }
  }
}
"""


def run(schema: Any, query: str, variables: dict[str, Any]) -> tuple[float, Any]:
    """(ms, data) of one execution, which must not fail."""
    started = time.perf_counter()
    result = schema.execute(query, variables=variables)
    elapsed = (time.perf_counter() - started) * 1000
    if result.errors:
        raise SystemExit(f"query failed: {[e.message for e in result.errors]}")
    return elapsed, result.data


def lineage_selector(dag: Any) -> str:
    """A union of `+model+` selectors whose lineage is about LINEAGE_NODES nodes."""
    from lineage.selection import select

    marts = sorted(
        uid
        for uid, info in dag.infos.items()
        if info.resource_type == "model" and info.modeling_layer == "marts"
    )
    pieces: list[str] = []
    for uid in marts:
        pieces.append(f"+{dag.infos[uid].name}+")
        if len(select(dag, " ".join(pieces))) >= LINEAGE_NODES:
            break
    return " ".join(pieces)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--models", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=20, help="timed runs per query")
    args = parser.parse_args()

    folder = cached_project(args.models, 1)
    _, tmp = loaded_project(folder, "graphql.sqlite3", models=args.models)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from catalog.models import Environment
    from lantern.schema import schema
    from lineage.queries import dag_get

    environment = Environment.objects.get(name="bench")
    started = time.perf_counter()
    dag = dag_get(environment)
    print(f"   lineage DAG built in {time.perf_counter() - started:.2f} s (once per load)")
    variables = {"env": environment.pk}
    met = True

    # SQL per request, by page size: must not depend on first.
    counts = {}
    for first in (10, 100, 500):
        with CaptureQueriesContext(connection) as queries:
            _, data = run(schema, MODELS, {**variables, "first": first})
        counts[first] = len(queries.captured_queries)
    total = data["environment"]["applied"]["models"]["totalCount"]
    flat = len(set(counts.values())) == 1
    met &= flat
    shown = ", ".join(f"first {first}: {n}" for first, n in counts.items())
    print(
        f"   models: {total} applied; SQL queries per request: {shown} "
        f"({'independent of first' if flat else 'DEPENDS ON FIRST'})"
    )

    # The models page, walking the pages in order (wrapping around).
    times, sizes, after = [], [], None
    run(schema, MODELS, {**variables, "first": 500})  # warm the connection and caches
    for _ in range(args.repeat):
        elapsed, data = run(schema, MODELS, {**variables, "first": 500, "after": after})
        page = data["environment"]["applied"]["models"]
        times.append(elapsed)
        sizes.append(len(page["edges"]))
        nodes = [e["node"] for e in page["edges"]]
        tests = sum(len(n["tests"]) for n in nodes)
        columns = sum(len((n["catalog"] or {}).get("columns") or []) for n in nodes)
        after = page["pageInfo"]["endCursor"] if page["pageInfo"]["hasNextPage"] else None
    p50, p95 = statistics.median(times), percentile(times, 0.95)
    ok = p95 <= BUDGET_MS
    met &= ok
    print(f"\n   {'query':<44}{'nodes':>7}{'p50':>10}{'p95':>10}{'max':>10}   budget (p95)")
    print(
        f"   {'applied.models(first: 500), nested':<44}{max(sizes):>7}{p50:>8.0f}ms{p95:>8.0f}ms"
        f"{max(times):>8.0f}ms   ≤ {BUDGET_MS:.0f} ms {'ok' if ok else 'OVER BUDGET'}"
    )
    print(f"   (last page: {tests} tests, {columns} catalog columns, with their models)")

    # A lineage list of about 2,000 nodes.
    selector = lineage_selector(dag)
    elapsed, data = run(schema, LINEAGE, {**variables, "select": selector})
    size = len(data["environment"]["applied"]["lineage"])
    times = [run(schema, LINEAGE, {**variables, "select": selector})[0] for _ in range(args.repeat)]
    with CaptureQueriesContext(connection) as queries:
        run(schema, LINEAGE, {**variables, "select": selector})
    p50, p95 = statistics.median(times), percentile(times, 0.95)
    ok = p95 <= BUDGET_MS
    met &= ok
    label = f"applied.lineage ({selector.count('+') // 2} +mart+ selectors)"
    print(
        f"   {label:<44}{size:>7}{p50:>8.0f}ms{p95:>8.0f}ms{max(times):>8.0f}ms"
        f"   ≤ {BUDGET_MS:.0f} ms {'ok' if ok else 'OVER BUDGET'}"
    )
    print(f"   (lineage: {len(queries.captured_queries)} SQL queries on top of the cached DAG)")
    tmp.cleanup()
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
