"""Ingest benchmark: PRODUCT.md's budgets on synthetic 1k and 10k-model projects.

    .venv/bin/python bench/ingest.py [--models 1000 10000] [--runs 1]

For each size it generates the artifacts (bench/synth.py, cached under bench/out/), times the
standard library's `json` parsing the same files, then runs `manage.py ingest` twice in fresh
processes against a fresh database (SQLite unless DATABASE_URL is set): the first ingest and a
re-ingest of the unchanged files. It prints each figure beside its budget and exits non-zero
when the 10k-model project misses one.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.append(str(ROOT / "bench"))  # after site-packages: no bench module shadows a package

from synth import cached_project  # noqa: E402

BUDGET_SECONDS = 30.0
BUDGET_JSON_FACTOR = 6.0
BUDGET_REINGEST_SHARE = 0.5
BUDGET_RSS_BYTES = 2 * 1024**3
BUDGET_SIZE = 10_000  # the budgets are stated for the 10k-model project


def json_parse_seconds(folder: Path, repeat: int = 3) -> float:
    """The fastest of `repeat` plain `json.load` passes over the files (the strictest baseline)."""
    files = sorted(folder.glob("*.json"))
    best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        for f in files:
            with f.open("rb") as handle:
                json.load(handle)
        best = min(best, time.perf_counter() - started)
    return best


def timed_ingest(folder: Path, env: dict[str, str]) -> tuple[float, int, str]:
    """Wall time, peak RSS (bytes) and output of one `manage.py ingest` in a fresh process."""
    started = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "manage.py", "ingest", str(folder), "--environment", "bench"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    output = process.stdout.read() if process.stdout else ""
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"ingest failed:\n{output}")
    return seconds, usage.ru_maxrss * 1024, output  # ru_maxrss is in KiB on Linux


def fresh_database(env: dict[str, str], workdir: Path) -> dict[str, str]:
    env = dict(env)
    # The load alone: column lineage, computed after a load, has its own benchmark
    # (bench/column_lineage.py); without Redis it would run inline, inside the timed ingest.
    env.setdefault("LANTERN_COLUMN_LINEAGE_AFTER_LOAD", "false")
    if not env.get("DATABASE_URL"):
        env["DATABASE_URL"] = f"sqlite:///{workdir / 'bench.sqlite3'}"
    else:  # PostgreSQL: start from an empty schema
        subprocess.run(
            [sys.executable, "manage.py", "flush", "--no-input"], cwd=ROOT, env=env, check=True
        )
    subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True)
    return env


def verdict(ok: bool) -> str:
    return "ok" if ok else "OVER BUDGET"


def bench(models: int, runs: int) -> bool:
    folder = cached_project(models, runs)
    size = sum(f.stat().st_size for f in folder.glob("*.json"))
    parse = json_parse_seconds(folder)
    with tempfile.TemporaryDirectory() as tmp:
        env = fresh_database(os.environ.copy(), Path(tmp))
        first, first_rss, output = timed_ingest(folder, env)
        again, again_rss, _ = timed_ingest(folder, env)
    database = env["DATABASE_URL"].split(":", 1)[0]
    summary = [line.strip() for line in output.splitlines() if line.strip()]
    print(f"\n== {models} models, {size / 1024**2:.0f} MB of artifacts, {database}")
    print("   " + " | ".join(summary[1:4] + summary[-3:-1]))
    applies = models >= BUDGET_SIZE
    rows = [
        ("json.load of the same files (best of 3)", f"{parse:.2f} s", "", True),
        ("first ingest", f"{first:.2f} s", f"≤ {BUDGET_SECONDS:.0f} s", first <= BUDGET_SECONDS),
        (
            "first ingest / json parse",
            f"{first / parse:.2f}×",
            f"≤ {BUDGET_JSON_FACTOR:.0f}×",
            first <= BUDGET_JSON_FACTOR * parse,
        ),
        (
            "re-ingest unchanged",
            f"{again:.2f} s ({again / first:.0%} of first)",
            f"≤ {BUDGET_REINGEST_SHARE:.0%} of first",
            again <= BUDGET_REINGEST_SHARE * first,
        ),
        (
            "peak RSS (first / re-ingest)",
            f"{first_rss / 1024**2:.0f} / {again_rss / 1024**2:.0f} MB",
            f"≤ {BUDGET_RSS_BYTES / 1024**3:.0f} GB",
            max(first_rss, again_rss) <= BUDGET_RSS_BYTES,
        ),
    ]
    met = True
    for label, figure, budget, ok in rows:
        mark = verdict(ok) if budget and applies else ""
        print(f"   {label:<42}{figure:<28}{budget:<20}{mark}")
        met &= ok or not applies or not budget
    return met


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--models", type=int, nargs="+", default=[1000, 10_000])
    parser.add_argument("--runs", type=int, default=1, help="run_results files per project")
    args = parser.parse_args()
    results = [bench(n, args.runs) for n in args.models]
    print(f"\nbudgets (PRODUCT.md) apply to the {BUDGET_SIZE}-model project")
    return 0 if all(results) else 1


if __name__ == "__main__":
    sys.exit(main())
