"""First-paint benchmark: a model page with its lineage graph, in headless Chromium, 10k models.

    .venv/bin/python bench/first_paint.py [--models 10000] [--pages 40]

Loads the synthetic project (bench/synth.py, cached under bench/out/) into a fresh database
(SQLite unless DATABASE_URL points at PostgreSQL: that database is emptied first), serves it
with gunicorn as a deployment would (2 workers, static files from whitenoise), and opens model
pages chosen at random in Debian's Chromium (driven by Playwright; /usr/bin/chromium or
$CHROMIUM), each in a new browser context (no cache, no cookies), as a first visit. For each it
records, from the start of the navigation:

- first contentful paint (the browser's own `first-contentful-paint` entry);
- graph drawn: the moment the page's lineage graph has its nodes in the document.

It prints p50/p95 of both beside the budget (PRODUCT.md: first paint of a model page with its
lineage graph ≤ 1 s at 10k models) and exits non-zero when the graph's p95 misses it.
"""

from __future__ import annotations

import argparse
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.append(str(ROOT / "bench"))  # after site-packages: no bench module shadows a package

from common import load_project, percentile  # noqa: E402
from synth import cached_project  # noqa: E402

BUDGET_MS = 1000.0
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# Time from the start of the navigation until the graph's nodes are in the page.
GRAPH_DRAWN = """() => new Promise(resolve => {
  const done = () => resolve(performance.now());
  if (document.querySelector('.lineage-svg .node')) return done();
  new MutationObserver((_, observer) => {
    if (document.querySelector('.lineage-svg .node')) { observer.disconnect(); done(); }
  }).observe(document, {childList: true, subtree: true});
})"""
FIRST_PAINT = """() => new Promise(resolve => {
  const entry = performance.getEntriesByName('first-contentful-paint')[0];
  if (entry) return resolve(entry.startTime);
  new PerformanceObserver(list => resolve(list.getEntries()[0].startTime))
    .observe({type: 'paint', buffered: true});
})"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def serve(env: dict[str, str], port: int) -> subprocess.Popen[bytes]:
    server = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "lantern.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "2",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    for _ in range(100):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1).read()
            return server
        except OSError:
            time.sleep(0.2)
    server.kill()
    raise SystemExit("gunicorn did not start")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--models", type=int, default=10_000)
    parser.add_argument("--pages", type=int, default=40, help="model pages to open")
    args = parser.parse_args()

    folder = cached_project(args.models, 1)
    tmp = tempfile.TemporaryDirectory()
    env = os.environ.copy()
    env.setdefault("DATABASE_URL", f"sqlite:///{Path(tmp.name) / 'paint.sqlite3'}")
    env.update(ANONYMOUS_READ="true", DEBUG="false")
    print(f"== {args.models} models, {env['DATABASE_URL'].split(':', 1)[0]}", flush=True)
    load_project(folder, env)

    os.environ.update(DATABASE_URL=env["DATABASE_URL"])
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lantern.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from catalog.models import Environment, Node

    environment = Environment.objects.get(name="bench")
    models = list(
        Node.objects.filter(environment=environment, resource_type="model").values_list(
            "unique_id", flat=True
        )
    )
    chosen = random.Random(0).sample(models, min(args.pages, len(models)))

    from playwright.sync_api import sync_playwright

    port = free_port()
    server = serve(env, port)
    paints: list[float] = []
    graphs: list[float] = []
    nodes: list[int] = []
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            # One page first, to have both gunicorn workers past their first request.
            for _ in range(2):
                context = browser.new_context()
                context.new_page().goto(f"http://127.0.0.1:{port}/env/{environment.pk}/")
                context.close()
            for uid in chosen:
                context = browser.new_context(viewport={"width": 1400, "height": 900})
                page = context.new_page()
                page.goto(f"http://127.0.0.1:{port}/env/{environment.pk}/nodes/{uid}")
                graphs.append(page.evaluate(GRAPH_DRAWN))
                paints.append(page.evaluate(FIRST_PAINT))
                nodes.append(page.locator(".lineage-svg .node").count())
                context.close()
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=10)
        tmp.cleanup()

    print(f"   {len(chosen)} model pages, graphs of {min(nodes)}–{max(nodes)} nodes")
    print(f"   {'from navigation start to':<34}{'p50':>10}{'p95':>10}{'max':>10}   budget (p95)")
    met = True
    for label, times, budgeted in (
        ("first contentful paint", paints, False),
        ("lineage graph drawn", graphs, True),
    ):
        p50, p95 = statistics.median(times), percentile(times, 0.95)
        ok = p95 <= BUDGET_MS
        verdict = f"≤ {BUDGET_MS:.0f} ms {'ok' if ok else 'OVER BUDGET'}" if budgeted else ""
        print(f"   {label:<34}{p50:>8.0f}ms{p95:>8.0f}ms{max(times):>8.0f}ms   {verdict}")
        met &= ok or not budgeted
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
