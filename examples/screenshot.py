"""Take the README's screenshots: the example project served by Lantern, in headless Chromium.

    .venv/bin/python examples/screenshot.py        (or: make screenshots)

Loads examples/artifacts into a scratch SQLite database, serves it on a free port, and writes
PNGs to examples/screenshots/.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "examples" / "screenshots"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# (file name, path under the environment, full page?)
SHOTS = [
    ("environment.png", "", False),
    ("node-page.png", "nodes/model.bikeshare.fct_trips", False),
    ("column-page.png", "columns/model.bikeshare.fct_trips/rider_id", False),
    ("search.png", "search?q=rider", False),
    ("list.png", "nodes?type=model&layer=marts", False),
    ("governance.png", "governance?view=owners", False),
    ("lineage.png", "lineage?select=%2Bfct_trips%2B", False),
    ("quality.png", "quality?view=freshness", False),
    ("run.png", "runs/1", False),
    ("column-lineage.png", "columns/model.bikeshare.fct_rider_monthly_usage/ride_minutes", False),
    ("column-coverage.png", "column-lineage", False),
    ("syncs.png", "syncs/1", False),
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main() -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        env = {
            **os.environ,
            "DATABASE_URL": f"sqlite:///{tmp}/screens.sqlite3",
            "ANONYMOUS_READ": "true",
        }
        manage = [sys.executable, "manage.py"]
        subprocess.run([*manage, "migrate", "-v0"], cwd=ROOT, env=env, check=True)
        subprocess.run(
            [*manage, "ingest", "examples/artifacts", "--environment", "demo"],
            cwd=ROOT,
            env=env,
            check=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        port = free_port()
        server = subprocess.Popen(
            [*manage, "runserver", f"127.0.0.1:{port}", "--noreload"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        base = f"http://127.0.0.1:{port}"
        try:
            for _ in range(100):
                try:
                    urllib.request.urlopen(base + "/healthz", timeout=1)
                    break
                except OSError:
                    time.sleep(0.1)
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
                page = browser.new_page(viewport={"width": 1280, "height": 800})
                page.goto(base + "/")
                env_url = page.url
                for name, path, full in SHOTS:
                    page.goto(env_url + path)
                    page.screenshot(path=str(OUT / name), full_page=full)
                    print(f"wrote {(OUT / name).relative_to(ROOT)}")
                browser.close()
        finally:
            server.terminate()
            server.wait(timeout=10)
    return 0


if __name__ == "__main__":
    sys.exit(main())
