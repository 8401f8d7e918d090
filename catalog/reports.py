"""Warming the per-load caches of an environment's reports, right after a load.

A worker calls this (ingest.tasks.reports_warm_task) so that the first visitor after a load
of a big project does not wait for the health signals, the quality reports or the
performance figures to be computed: they are cached per load (catalog.selectors.cached).
"""

from __future__ import annotations

import logging
import time

from catalog import governance, health, history, quality, selectors
from catalog.models import Environment

logger = logging.getLogger(__name__)


def reports_warm(*, environment: Environment) -> float:
    """Compute every cached report of the environment's current snapshot; returns seconds."""
    started = time.monotonic()
    environment.refresh_from_db(fields=["generation"])
    selectors.environment_overview(environment=environment)
    health.environment_health(environment=environment)
    quality.quality_summary(environment=environment)
    governance.governance_summary(environment=environment)
    for days in (30, 0):
        for view in ("slowest", "failing", "most-run"):
            history.performance_table(environment=environment, days=days, view=view)
    seconds = time.monotonic() - started
    logger.info(
        "reports of %s (generation %s) warmed in %.1fs",
        environment,
        environment.generation,
        seconds,
    )
    return seconds
