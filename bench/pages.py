"""Page benchmark: server time of the catalog pages on the 10k-model synthetic project.

    .venv/bin/python bench/pages.py [--models 10000] [--requests 200]

Loads the synthetic project (bench/synth.py, cached under bench/out/) into a fresh database
(SQLite unless DATABASE_URL points at PostgreSQL: that database is emptied first), then
requests pages in this process through Django's test client and times each one from request
to rendered response: the server time, without network or browser. Pages of a kind are
sampled at random (fixed seed) across the project, so caches of single pages do not flatter
the figures; per-snapshot caches (facets, trees) are warmed by one request first, as they
would be in production after the first visitor. Column lineage is computed first, as the
worker does after each load, so column and model pages carry their lineage. Prints p50/p95
per page against the budget (PRODUCT.md: node page, column page and search results p95 <=
100 ms) and exits non-zero when a budgeted page misses it.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.append(str(ROOT / "bench"))  # after site-packages: no bench module shadows a package

from common import loaded_project, percentile  # noqa: E402
from synth import cached_project  # noqa: E402

BUDGET_MS = 100.0
SEARCHES = [
    "orders",  # a word in many names and descriptions
    "customer_id",  # a column in many tables
    "stg_",  # a prefix
    '"net revenue"',  # a phrase
    "revenue -refund",  # an exclusion
    "fivetran",  # a loader / tag-ish word
    "zzz_nothing",  # no match
]


def timed(get: Callable[[str], object], urls: list[str]) -> list[float]:
    get(urls[0])  # warm per-snapshot caches, as the first visitor would
    times = []
    for url in urls:
        started = time.perf_counter()
        response = get(url)
        times.append((time.perf_counter() - started) * 1000)
        status = getattr(response, "status_code", 0)
        if status != 200:
            raise SystemExit(f"{url} answered {status}")
    return times


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--models", type=int, default=10_000)
    parser.add_argument("--requests", type=int, default=200, help="requests per page kind")
    args = parser.parse_args()

    folder = cached_project(args.models, 1)
    _, tmp = loaded_project(
        folder,
        "pages.sqlite3",
        models=args.models,
        extra={"ANONYMOUS_READ": "true", "DEBUG": "false"},
    )
    from django.test import Client
    from django.urls import reverse

    from catalog.models import Column, Environment, Node
    from lineage.columns.compute import column_lineage_compute

    client = Client()
    environment = Environment.objects.get(name="bench")
    started = time.perf_counter()
    column_lineage_compute(environment=environment)
    print(f"   column lineage computed in {time.perf_counter() - started:.1f} s", flush=True)
    rng = random.Random(0)
    n = args.requests
    models = list(
        Node.objects.filter(environment=environment, resource_type="model").values_list(
            "unique_id", flat=True
        )
    )
    column_ids = list(Column.objects.filter(node__environment=environment).values_list("id"))
    sample = [c[0] for c in rng.sample(column_ids, min(n, len(column_ids)))]
    columns = list(Column.objects.filter(id__in=sample).values_list("node__unique_id", "name"))
    e = environment.pk

    def node(uid: str, tab: str = "") -> str:
        url = reverse("catalog-node", args=[e, uid])
        return f"{url}?tab={tab}" if tab else url

    kinds: list[tuple[str, list[str], bool]] = [
        ("node page (model)", [node(u) for u in rng.choices(models, k=n)], True),
        ("node page, code tab", [node(u, "code") for u in rng.choices(models, k=n)], False),
        ("node page, tests tab", [node(u, "tests") for u in rng.choices(models, k=n)], False),
        (
            "column page",
            [reverse("catalog-column", args=[e, u, c]) for u, c in columns],
            True,
        ),
        (
            "search results",
            [f"{reverse('catalog-search', args=[e])}?q={q}" for q in rng.choices(SEARCHES, k=n)],
            True,
        ),
        (
            "search suggestions",
            [
                f"{reverse('catalog-suggest', args=[e])}?q={u.split('.')[-1][:4]}"
                for u in rng.choices(models, k=n)
            ],
            False,
        ),
        (
            "list: models, page 1..40",
            [
                f"{reverse('catalog-list', args=[e])}?type=model&page={rng.randint(1, 40)}"
                for _ in range(n)
            ],
            False,
        ),
        (
            "list: filtered and sorted",
            [
                f"{reverse('catalog-list', args=[e])}?type=model&layer=marts&sort=-rows"
                for _ in range(n)
            ],
            False,
        ),
        ("environment overview", [reverse("catalog-environment", args=[e])] * n, False),
        ("governance: owners", [f"{reverse('catalog-governance', args=[e])}"] * n, False),
    ]
    met = True
    print(f"   {'page':<30}{'p50':>10}{'p95':>10}{'max':>10}   budget (p95)")
    for label, urls, budgeted in kinds:
        times = timed(client.get, urls)
        p50, p95 = statistics.median(times), percentile(times, 0.95)
        ok = p95 <= BUDGET_MS
        verdict = ("ok" if ok else "OVER BUDGET") if budgeted else ""
        budget = f"≤ {BUDGET_MS:.0f} ms {verdict}" if budgeted else ""
        print(f"   {label:<30}{p50:>8.1f}ms{p95:>8.1f}ms{max(times):>8.1f}ms   {budget}")
        met &= ok or not budgeted
    tmp.cleanup()
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
