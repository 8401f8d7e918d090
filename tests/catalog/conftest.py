"""Environments for the page tests: the example project, and the jaffle_shop sample."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.cache import cache

from catalog.models import Environment
from catalog.selectors import recent
from tests.conftest import EXAMPLE, MANIFEST_SECTIONS, read_json, run_ingest

MANIFEST = read_json(EXAMPLE / "manifest.json")


@pytest.fixture(autouse=True)
def _empty_cache():
    """Pages cache per environment generation; ids restart in every test database."""
    cache.clear()
    recent.clear()
    yield
    cache.clear()
    recent.clear()


@pytest.fixture
def demo(db, settings) -> Environment:
    """The example project (Lantern Bikes), readable without an account."""
    settings.ANONYMOUS_READ = True
    run_ingest(str(EXAMPLE), "--environment", "demo")
    return Environment.objects.get(name="demo")


@pytest.fixture
def env(jaffle: Path, settings) -> Environment:
    settings.ANONYMOUS_READ = True
    run_ingest(str(jaffle), "--environment", "prod")
    return Environment.objects.get(name="prod")


def manifest_resources(manifest: dict) -> dict[str, dict]:
    """Every resource of a manifest by unique_id, read straight from the JSON."""
    out: dict[str, dict] = {}
    for section in MANIFEST_SECTIONS:
        out.update(manifest.get(section) or {})
    return out
