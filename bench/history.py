"""History benchmark: quality, performance and run pages with 90 runs of a 10k-model project.

    .venv/bin/python bench/history.py [--models 10000] [--runs 90] [--requests 30]

Loads the synthetic project (bench/synth.py, cached under bench/out/) into a fresh database
(SQLite unless DATABASE_URL points at PostgreSQL: that database is emptied first), then adds
its older runs one `dbt build` run_results at a time, a day apart (each written to a temporary
file, ingested like any other, and deleted), until the environment holds `--runs` runs: about
30,000 results each. It then requests the history pages in this process through Django's test
client and prints, per page, the first request (which computes the per-load caches) and
p50/p95 of the following ones against the page budget (PRODUCT.md: p95 ≤ 100 ms).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.append(str(ROOT / "bench"))  # after site-packages: no bench module shadows a package

from common import load_project, percentile  # noqa: E402
from synth import cached_project, run_results_series  # noqa: E402

BUDGET_MS = 100.0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--models", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=90)
    parser.add_argument("--requests", type=int, default=30, help="timed requests per page")
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="keep a database that already holds the runs (DATABASE_URL must name it)",
    )
    args = parser.parse_args()

    folder = cached_project(args.models, 1)
    tmp = tempfile.TemporaryDirectory()
    env = os.environ.copy()
    env.setdefault("DATABASE_URL", f"sqlite:///{Path(tmp.name) / 'history.sqlite3'}")
    env.update(ANONYMOUS_READ="true", DEBUG="false")
    print(f"== {args.models} models, {args.runs} runs, {env['DATABASE_URL'].split(':', 1)[0]}")
    os.environ.update(DATABASE_URL=env["DATABASE_URL"], ANONYMOUS_READ="true", DEBUG="false")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lantern.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.db import DatabaseError
    from django.test import Client
    from django.urls import reverse

    from catalog.models import Environment, Execution, Node, Run
    from ingest.services import artifacts_ingest

    try:
        loaded = args.reuse and Run.objects.filter(environment__name="bench").count() > args.runs
    except DatabaseError:  # a new database: nothing to reuse
        loaded = False
    if not loaded:
        load_project(folder, env)
    environment = Environment.objects.get(name="bench")
    started = time.perf_counter()
    series = run_results_series(args.models, args.runs if not loaded else 1)
    next(series)  # run 0 is the project's own run_results.json, loaded above
    for i, results in series:
        path = Path(tmp.name) / f"run_results_{i:03d}.json"
        path.write_text(json.dumps(results))
        artifacts_ingest(paths=[path], environment=environment, project_name="")
        path.unlink()
        if i % 10 == 0:
            print(f"   {i + 1} runs loaded ({time.perf_counter() - started:.0f} s)", flush=True)
    runs = Run.objects.filter(environment=environment, kind="run_results").count()
    executions = Execution.objects.filter(environment=environment).count()
    print(
        f"   {runs} runs, {executions:,} results, loaded in {time.perf_counter() - started:.0f} s"
    )

    client = Client()
    e = environment.pk
    latest = Run.objects.filter(environment=environment, kind="run_results").first()
    assert latest is not None
    model = (
        Node.objects.filter(environment=environment, resource_type="model")
        .values_list("unique_id", flat=True)
        .first()
    )
    quality = reverse("catalog-quality", args=[e])
    performance = reverse("catalog-performance", args=[e])
    pages = [
        *(
            (f"quality: {view}", f"{quality}?view={view}")
            for view in (
                "failing",
                "recent",
                "flaky",
                "coverage-models",
                "coverage-folders",
                "coverage-owners",
                "freshness",
                "freshness-downstream",
            )
        ),
        # the synthetic runs are dated from the generator's fixed clock: all history
        ("performance: slowest", f"{performance}?days=0"),
        ("performance: most failed", f"{performance}?days=0&view=failing"),
        ("performance: most run, page 20", f"{performance}?days=0&view=most-run&page=20"),
        ("performance: one model's trend", f"{performance}?days=0&model={model}"),
        ("runs: the list", reverse("catalog-runs", args=[e])),
        ("runs: latest run, chart and table", reverse("catalog-run", args=[e, latest.pk])),
        ("node: a model's runs tab", f"{reverse('catalog-node', args=[e, model])}?tab=runs"),
    ]
    met = True
    print(f"\n   {'page':<40}{'first':>10}{'p50':>10}{'p95':>10}   budget (p95)")
    for label, url in pages:
        first_started = time.perf_counter()
        response = client.get(url)
        first = (time.perf_counter() - first_started) * 1000
        if response.status_code != 200:
            raise SystemExit(f"{url} answered {response.status_code}")
        times = []
        for _ in range(args.requests):
            t = time.perf_counter()
            client.get(url)
            times.append((time.perf_counter() - t) * 1000)
        p50, p95 = statistics.median(times), percentile(times, 0.95)
        ok = p95 <= BUDGET_MS
        met &= ok
        verdict = "ok" if ok else "OVER BUDGET"
        figures = f"{first:>8.0f}ms{p50:>8.1f}ms{p95:>8.1f}ms"
        print(f"   {label:<40}{figures}   ≤ {BUDGET_MS:.0f} ms {verdict}")
    print("\n   first: the first request after the last load (it fills the per-load caches)")
    tmp.cleanup()
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
