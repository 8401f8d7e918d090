"""Sync benchmark: a full sync of the 10k-model synthetic project over HTTP from a local Lantern.

    .venv/bin/python bench/sync.py [--models 10000] [--rate 450]

Loads the synthetic project (bench/synth.py, cached under bench/out/) into a fresh SQLite
file (or DATABASE_URL's PostgreSQL, emptied first) as environment "bench", serves it with
`manage.py runserver` in a subprocess, and syncs a second environment from that server's
/graphql with `sync_environment`, in another subprocess so that its peak RSS is its own.
The client keeps its request budget (`--rate` a minute; dbt Cloud allows 500), so the wall
time includes the pacing a real dbt Cloud sync would have.

Reports requests made (and pages, retries), wall time, the time not spent pacing, and peak
RSS of the syncing process. Budget: at most 1,000 requests (two minutes of dbt Cloud's
limit), 10 minutes wall time, 1.5 GB peak RSS. Exits non-zero over budget.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from common import load_project  # noqa: E402
from synth import cached_project  # noqa: E402

BUDGET_REQUESTS = 1000
BUDGET_SECONDS = 600.0
BUDGET_RSS_MB = 1536.0

SYNC = """
import json, os, resource, sys, time
import django
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lantern.settings")
django.setup()
from catalog.models import Environment
from ingest.services import environment_create, sync_environment
from ingest.sources.discovery import TokenBucket

url, environment_id, rate = sys.argv[1], int(sys.argv[2]), float(sys.argv[3])
mirror = environment_create(
    name="mirror", discovery_url=url, dbt_environment_id=environment_id,
    token_env_var="BENCH_TOKEN",
)
paced = []
def sleep(seconds):
    paced.append(seconds)
    time.sleep(seconds)
started = time.perf_counter()
ingest = sync_environment(
    environment=mirror,
    client_options={"bucket": TokenBucket(rate=rate, sleep=sleep), "sleep": sleep},
)
print(json.dumps({
    "seconds": time.perf_counter() - started,
    "paced": sum(paced),
    "counts": ingest.counts,
    "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
}))
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--models", type=int, default=10_000)
    parser.add_argument("--rate", type=float, default=450.0, help="requests a minute")
    args = parser.parse_args()

    folder = cached_project(args.models, 1)
    import tempfile

    tmp = tempfile.TemporaryDirectory()
    env = os.environ.copy()
    env.setdefault("DATABASE_URL", f"sqlite:///{Path(tmp.name) / 'sync.sqlite3'}")
    env.update(
        DJANGO_SETTINGS_MODULE="lantern.settings",
        ALLOWED_HOSTS="127.0.0.1,localhost",
        DEBUG="False",
        LANTERN_GRAPHQL_RATE_LIMIT="100000",
    )
    env.pop("REDIS_URL", None)
    print(f"== {args.models} models, {env['DATABASE_URL'].split(':', 1)[0]}", flush=True)
    load_project(folder, env)

    def manage(*argv: str) -> str:
        return subprocess.run(
            [sys.executable, "manage.py", *argv],
            cwd=ROOT,
            env=env,
            check=True,
            capture_output=True,
            text=True,
        ).stdout.strip()

    manage(
        "shell",
        "-c",
        "from django.contrib.auth.models import User; User.objects.create_user('bench')",
    )
    token = manage("createtoken", "bench")
    source_id = manage(
        "shell",
        "-c",
        "from catalog.models import Environment; print(Environment.objects.get(name='bench').pk)",
    ).splitlines()[-1]
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        url = f"http://127.0.0.1:{port}/graphql"
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2)
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    print("the server did not start", file=sys.stderr)
                    return 1
                time.sleep(0.3)
        started = time.perf_counter()
        done = subprocess.run(
            [sys.executable, "-c", SYNC, url, source_id, str(args.rate)],
            cwd=ROOT,
            env={**env, "BENCH_TOKEN": token},
            capture_output=True,
            text=True,
        )
        wall = time.perf_counter() - started
    finally:
        server.terminate()
        server.wait(timeout=30)
        tmp.cleanup()
    if done.returncode != 0:
        print(done.stdout, done.stderr, file=sys.stderr)
        return 1
    result = json.loads(done.stdout.strip().splitlines()[-1])
    counts = result["counts"]
    nodes = sum(
        v
        for k, v in counts.items()
        if k
        in (
            "model",
            "source",
            "seed",
            "snapshot",
            "test",
            "unit_test",
            "exposure",
            "macro",
            "metric",
            "semantic_model",
            "saved_query",
            "group",
        )
    )
    print(
        f"   synced {nodes} nodes, {counts.get('columns', 0)} columns, "
        f"{counts.get('runs_added', 0)} runs ({counts.get('executions_added', 0)} results)"
    )
    print(
        f"   requests {counts['requests']} ({counts['pages']} pages, {counts['retries']} retried)"
        f"   budget {BUDGET_REQUESTS}"
    )
    print(
        f"   wall time {result['seconds']:.1f} s (of which pacing at {args.rate:.0f}/min "
        f"{result['paced']:.1f} s; process {wall:.1f} s)   budget {BUDGET_SECONDS:.0f} s"
    )
    print(f"   peak RSS {result['rss_mb']:.0f} MB   budget {BUDGET_RSS_MB:.0f} MB")
    over = (
        counts["requests"] > BUDGET_REQUESTS
        or result["seconds"] > BUDGET_SECONDS
        or result["rss_mb"] > BUDGET_RSS_MB
    )
    print("   OVER BUDGET" if over else "   within budget")
    return 1 if over else 0


if __name__ == "__main__":
    sys.exit(main())
