from __future__ import annotations

import gzip
import io
import json
import os
import shutil
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

FIXTURES = Path(__file__).parent / "fixtures" / "dbt"
SAMPLES = FIXTURES / "samples"
EXAMPLE = Path(__file__).parent.parent / "examples" / "artifacts"
CI = os.environ.get("CI", "").lower() == "true"
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


def require(service: str, available: bool, where: str) -> None:
    """Skip a test whose service is missing, except with CI=true, where that is a failure."""
    if available:
        return
    if CI:
        pytest.fail(f"{service} is required with CI=true and does not answer at {where}")
    pytest.skip(f"{service} not reachable at {where}")


def shared_database_url() -> str:
    """The test database as a URL another connection or process can open.

    An in-memory SQLite database cannot be shared that way: `make test` gives the SQLite run a
    file (SQLITE_TEST_NAME); PostgreSQL is shared as it is.
    """
    from django.db import connection

    db = connection.settings_dict
    if db["ENGINE"].endswith("postgresql"):
        user, host, port = db.get("USER") or "postgres", db.get("HOST"), db.get("PORT")
        return f"postgres://{user}@{host or '127.0.0.1'}:{port or 5432}/{db['NAME']}"
    name = str(db["NAME"])
    require("A shared test database (PostgreSQL, or SQLITE_TEST_NAME)", "memory" not in name, name)
    return f"sqlite:///{name}"


@pytest.fixture
def redis_url() -> str:
    """A real Redis for the test (database 15 by default), emptied before use."""
    import redis

    try:
        client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2)
        client.flushdb()
        up = True
    except redis.RedisError:
        up = False
    require("Redis", up, REDIS_URL)
    return REDIS_URL


# The sections of a manifest that hold resources (macros and functions included), as the
# tests read them straight from the JSON, independently of Lantern's reader.
MANIFEST_SECTIONS = (
    "nodes",
    "sources",
    "exposures",
    "metrics",
    "groups",
    "semantic_models",
    "saved_queries",
    "unit_tests",
    "macros",
    "functions",
)


def read_json(path: Path) -> Any:
    """A fixture artifact, gzip or not."""
    data = path.read_bytes()
    if data[:2] == b"\x1f\x8b":
        data = gzip.decompress(data)
    return json.loads(data)


def write_json(path: Path, data: Any) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data))
    return path


def small_manifest(metadata: dict, nodes: dict, sources: dict | None = None) -> dict:
    """A hand-written manifest: `metadata`, `nodes` and `sources`, every other part empty."""
    empty = ("macros", "exposures", "metrics", "groups", "selectors", "disabled", "parent_map")
    more = ("child_map", "group_map", "saved_queries", "semantic_models", "unit_tests")
    return {
        "metadata": metadata,
        "nodes": nodes,
        "sources": sources or {},
        **{part: {} for part in (*empty, *more)},
    }


def unpack(folder: Path, into: Path) -> Path:
    """Copy an artifact folder, inflating .json.gz files, so a test may edit them."""
    into.mkdir(parents=True, exist_ok=True)
    for f in folder.iterdir():
        if f.name.endswith(".json.gz"):
            (into / f.name[:-3]).write_bytes(gzip.decompress(f.read_bytes()))
        elif f.name.endswith(".json"):
            shutil.copy(f, into / f.name)
    return into


def run_ingest(*args: str) -> str:
    out = io.StringIO()
    call_command("ingest", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


@pytest.fixture
def jaffle(tmp_path: Path) -> Path:
    """An editable copy of the jaffle_shop sample (manifest + catalog)."""
    return unpack(SAMPLES / "jaffle_shop_duckdb_1.10.6", tmp_path / "jaffle")


@pytest.fixture
def finance(tmp_path: Path) -> Path:
    return unpack(SAMPLES / "finance_core_duckdb_1.11.8", tmp_path / "finance")


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


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium driven by Playwright (no browser download: none is reachable here)."""
    require("Chromium", Path(CHROMIUM).is_file(), CHROMIUM)
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the ORM calls of the test
    # (fixtures, assertions) are still synchronous, which is what this flag lets through.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()
    os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    yield page
    context.close()
    assert not errors, f"the page logged errors: {errors}"


def analyzed(queries: list[dict[str, str]]) -> list[str]:
    """The tables named by the ANALYZE statements among captured queries, in order."""
    tables: list[str] = []
    for query in queries:
        sql = query["sql"]
        if sql.startswith("ANALYZE "):
            tables += [t.strip().strip('"') for t in sql.removeprefix("ANALYZE ").split(",")]
    return tables
