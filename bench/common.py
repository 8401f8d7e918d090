"""What the benchmarks share: loading a synthetic project into a database, and percentiles.

Standard library only; each benchmark sets DATABASE_URL before it imports Django.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def load_project(folder: Path, env: dict[str, str], *, environment: str = "bench") -> float:
    """Migrate the database of env["DATABASE_URL"] and ingest `folder` into `environment`.

    A PostgreSQL database is emptied first (flush); a SQLite one is expected to be new.
    Returns the seconds the ingest took.
    """

    def manage(*args: str, quiet: bool = False) -> None:
        output = subprocess.DEVNULL if quiet else None
        subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=env,
            check=True,
            stdout=output,
            stderr=output,
        )

    # Column lineage after the load: only bench/column_lineage.py wants it, and times it itself.
    env.setdefault("LANTERN_COLUMN_LINEAGE_AFTER_LOAD", "false")
    if env["DATABASE_URL"].startswith("postgres"):
        manage("flush", "--no-input")
    manage("migrate", "-v0")
    started = time.perf_counter()
    manage("ingest", str(folder), "--environment", environment, quiet=True)
    seconds = time.perf_counter() - started
    print(f"   loaded in {seconds:.1f} s", flush=True)
    return seconds


def percentile(values: list[float], share: float) -> float:
    """The value below which `share` of `values` fall (nearest rank)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def loaded_project(
    folder: Path, name: str, *, models: int, extra: dict[str, str] | None = None
) -> tuple[dict[str, str], tempfile.TemporaryDirectory[str]]:
    """Load `folder` into a fresh database and set Django up in this process for it.

    The database is DATABASE_URL's (PostgreSQL is emptied first) or a SQLite file `name` in a
    temporary folder, which the caller cleans up. Returns the environment the benchmark's
    subprocesses should get, and the folder.
    """
    tmp = tempfile.TemporaryDirectory()
    env = os.environ.copy()
    env.setdefault("DATABASE_URL", f"sqlite:///{Path(tmp.name) / name}")
    env.update(extra or {})
    print(f"== {models} models, {env['DATABASE_URL'].split(':', 1)[0]}", flush=True)
    load_project(folder, env)
    os.environ.update({k: env[k] for k in ("DATABASE_URL", *(extra or {}))})
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lantern.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    return env, tmp
