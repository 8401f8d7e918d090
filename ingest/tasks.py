"""Celery tasks of ingest: thin, idempotent, keyed by ids.

Without REDIS_URL they run inline in the calling process (CELERY_TASK_ALWAYS_EAGER).
"""

from __future__ import annotations

import logging

from celery import Task, shared_task
from django.conf import settings

from catalog.models import Ingest
from ingest.services import IngestError, history_prune, ingest_claim, ingest_run

logger = logging.getLogger(__name__)


@shared_task(bind=True, acks_late=True, ignore_result=True)  # type: ignore[untyped-decorator]
def ingest_run_task(self: Task, ingest_id: int) -> None:
    """Run a queued ingest. A second delivery of the same task finds it claimed and returns."""
    retrying = bool((self.request.delivery_info or {}).get("redelivered"))
    ingest = ingest_claim(ingest_id=ingest_id, retrying=retrying)
    if ingest is None:
        logger.info("ingest #%s is not queued any more: nothing to do", ingest_id)
        return
    from ingest.uploads import upload_cleanup

    try:
        ingest_run(ingest=ingest)
    except IngestError as e:
        # Bad input is recorded on the ingest; retrying would fail the same way.
        logger.warning("ingest #%s failed: %s", ingest_id, e)
    finally:
        ingest.refresh_from_db()
        if ingest.status != Ingest.Status.RUNNING:  # ended, one way or the other
            upload_cleanup(ingest=ingest)


@shared_task(acks_late=True, ignore_result=True)  # type: ignore[untyped-decorator]
def history_prune_task() -> None:
    """Enforce LANTERN_HISTORY_DAYS (scheduled daily; running it twice deletes nothing more)."""
    pruned = history_prune(days=settings.LANTERN_HISTORY_DAYS)
    logger.info(
        "history older than %s days pruned: %s runs, %s results, %s freshness checks, %s loads",
        settings.LANTERN_HISTORY_DAYS,
        pruned.runs,
        pruned.executions,
        pruned.freshness_results,
        pruned.ingests,
    )


@shared_task(acks_late=True, ignore_result=True)  # type: ignore[untyped-decorator]
def reports_warm_task(environment_id: int) -> None:
    """Compute a new snapshot's cached reports (health, quality, performance, counts) ahead
    of the first page that needs them. Safe to run twice: the second finds them cached."""
    from catalog.models import Environment
    from catalog.reports import reports_warm

    environment = Environment.objects.filter(pk=environment_id).first()
    if environment is not None:
        reports_warm(environment=environment)


@shared_task(acks_late=True, ignore_result=True)  # type: ignore[untyped-decorator]
def sync_environment_task(
    environment_id: int, run_id: int | None = None, ingest_id: int | None = None
) -> int | None:
    """Sync an environment from dbt Cloud. Safe to run twice: a second delivery while the
    first runs is recorded as skipped; one after it finds the run synced (or syncs again,
    which adds nothing twice). Returns the ingest id (None when the environment is gone)."""
    from catalog.models import Environment
    from ingest.services import SyncDone, SyncSkipped, sync_environment

    environment = Environment.objects.filter(pk=environment_id).first()
    if environment is None:
        logger.info("environment #%s is gone: nothing to sync", environment_id)
        return None
    try:
        return sync_environment(environment=environment, run_id=run_id, ingest_id=ingest_id).pk
    except SyncDone as e:
        logger.info('sync of environment "%s": %s', environment.name, e)
    except SyncSkipped as e:
        logger.info('sync of environment "%s" %s', environment.name, e)
    except IngestError as e:
        logger.warning('sync of environment "%s" failed: %s', environment.name, e)
    return None
