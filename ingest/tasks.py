"""Celery tasks of ingest: thin, idempotent, keyed by ids.

Without REDIS_URL they run inline in the calling process (CELERY_TASK_ALWAYS_EAGER).
"""

from __future__ import annotations

import logging

from celery import Task, shared_task

from ingest.services import IngestError, ingest_claim, ingest_run

logger = logging.getLogger(__name__)


@shared_task(bind=True, acks_late=True, ignore_result=True)  # type: ignore[untyped-decorator]
def ingest_run_task(self: Task, ingest_id: int) -> None:
    """Run a queued ingest. A second delivery of the same task finds it claimed and returns."""
    retrying = bool((self.request.delivery_info or {}).get("redelivered"))
    ingest = ingest_claim(ingest_id=ingest_id, retrying=retrying)
    if ingest is None:
        logger.info("ingest #%s is not queued any more: nothing to do", ingest_id)
        return
    try:
        ingest_run(ingest=ingest)
    except IngestError as e:
        # Bad input is recorded on the ingest; retrying would fail the same way.
        logger.warning("ingest #%s failed: %s", ingest_id, e)
