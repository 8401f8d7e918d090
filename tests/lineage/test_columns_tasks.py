"""column_lineage_task on a real Celery worker, fed through a real Redis: queued by a load that
changed the catalog, computed on the worker, and safe to deliver twice."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from catalog.models import Environment
from lineage.models import NodeLineage
from lineage.tasks import column_lineage_task
from tests.catalog.conftest import MANIFEST
from tests.conftest import EXAMPLE, run_ingest
from tests.ingest.test_tasks import celery_worker  # noqa: F401  (the worker fixture)

EXPECTED = len(
    [n for n in MANIFEST["nodes"].values() if n["resource_type"] in ("model", "snapshot")]
)


def wait_for(condition, log: Path, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, log.read_text()
        time.sleep(0.2)


@pytest.mark.slow
def test_a_load_queues_column_lineage_and_a_real_worker_computes_it(
    celery_worker: Path,  # noqa: F811
) -> None:
    run_ingest(str(EXAMPLE), "--environment", "demo")  # the load commits, then queues the task
    env = Environment.objects.get(name="demo")

    wait_for(lambda: NodeLineage.objects.filter(environment=env).count() == EXPECTED, celery_worker)
    wait_for(lambda: "column_lineage_task[" in celery_worker.read_text(), celery_worker)
    assert "succeeded in" in celery_worker.read_text()
    rows = sorted(NodeLineage.objects.filter(environment=env).values_list("id", "parsed_at"))

    # acks_late: a second delivery finds every hash unchanged and writes nothing
    column_lineage_task.delay(env.pk)
    wait_for(lambda: celery_worker.read_text().count("column_lineage_task[") >= 4, celery_worker)
    wait_for(lambda: celery_worker.read_text().count("succeeded in") >= 2, celery_worker)
    assert (
        sorted(NodeLineage.objects.filter(environment=env).values_list("id", "parsed_at")) == rows
    )
