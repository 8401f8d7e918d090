"""Celery tasks of lineage: thin, idempotent, keyed by ids."""

from __future__ import annotations

import logging

from celery import shared_task

logger = logging.getLogger(__name__)


@shared_task(acks_late=True, ignore_result=True)  # type: ignore[untyped-decorator]
def column_lineage_task(environment_id: int, full: bool = False) -> None:
    """Bring an environment's column lineage up to date after a load. Safe to run twice: the
    second finds every input hash unchanged and parses nothing (compute rechecks the hashes
    under a lock before writing, so two at once write each result once)."""
    from catalog.models import Environment
    from lineage.columns.compute import column_lineage_compute

    environment = Environment.objects.filter(pk=environment_id).first()
    if environment is None:
        logger.info("environment #%s is gone: no column lineage to compute", environment_id)
        return
    column_lineage_compute(environment=environment, full=full)
