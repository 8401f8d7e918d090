"""Ingest on Celery: inline without a broker, on a real worker with Redis; safe to run twice."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from catalog.models import Environment, Ingest, Node
from ingest.services import artifacts_ingest_queue, environment_create
from ingest.tasks import ingest_run_task
from tests.conftest import shared_database_url

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.django_db
def test_it_runs_a_queued_ingest_inline_without_a_broker(
    jaffle: Path, django_capture_on_commit_callbacks
) -> None:
    env = environment_create(name="prod")

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        queued = artifacts_ingest_queue(paths=[jaffle], environment=env)
        assert Ingest.objects.get(pk=queued.pk).status == "queued"

    # The ingest task is sent once the transaction commits; the load it runs then queues the
    # column lineage task (lineage.tasks) once the load commits.
    assert len(callbacks) == 2, "the task is sent once the transaction commits"
    ingest = Ingest.objects.get(pk=queued.pk)
    assert ingest.status == "succeeded"
    assert ingest.counts["model"] == 22
    assert Node.objects.filter(environment=env, resource_type="model").count() == 22


@pytest.mark.django_db
def test_a_second_delivery_of_the_task_changes_nothing(
    jaffle: Path, django_capture_on_commit_callbacks
) -> None:
    env = environment_create(name="prod")
    with django_capture_on_commit_callbacks(execute=True):
        queued = artifacts_ingest_queue(paths=[jaffle], environment=env)
    done = Ingest.objects.get(pk=queued.pk)
    nodes = list(Node.objects.order_by("id").values_list("id", "content_hash"))
    generation = Environment.objects.get(pk=env.pk).generation

    ingest_run_task.delay(queued.pk)  # acks_late: a task may be delivered again

    again = Ingest.objects.get(pk=queued.pk)
    assert (again.status, again.finished_at, again.counts) == (
        done.status,
        done.finished_at,
        done.counts,
    )
    assert list(Node.objects.order_by("id").values_list("id", "content_hash")) == nodes
    assert Environment.objects.get(pk=env.pk).generation == generation
    assert Ingest.objects.count() == 1


@pytest.mark.django_db
def test_bad_input_fails_the_queued_ingest_and_keeps_the_catalog(
    jaffle: Path, tmp_path: Path, django_capture_on_commit_callbacks
) -> None:
    env = environment_create(name="prod")
    with django_capture_on_commit_callbacks(execute=True):
        artifacts_ingest_queue(paths=[jaffle], environment=env)
    nodes = list(Node.objects.order_by("id").values())
    broken = tmp_path / "manifest.json"
    broken.write_text('{"metadata": ')

    with django_capture_on_commit_callbacks(execute=True):
        queued = artifacts_ingest_queue(paths=[broken], environment=env)

    failed = Ingest.objects.get(pk=queued.pk)
    assert failed.status == "failed"
    assert "manifest.json: not valid JSON" in failed.error
    assert list(Node.objects.order_by("id").values()) == nodes


# --------------------------------------------------------------------------------------------
# A real worker process, fed through a real Redis


def use_broker(app, url: str, eager: bool) -> None:
    """Point this process's Celery app at another broker, dropping pooled connections."""
    from kombu import pools

    if app._pool is not None:
        app._pool.force_close_all()
    app._pool = None
    app.amqp._producer_pool = None
    # kombu keeps producer pools per broker URL, process-wide: a second worker test on the
    # same Redis would otherwise get the first one's pool, on connections closed above.
    pools.reset()
    app.conf.broker_url, app.conf.task_always_eager = url, eager


@pytest.fixture
def celery_worker(transactional_db, redis_url: str, tmp_path: Path) -> Iterator[Path]:
    """`celery -A lantern worker` on the test database; this process sends tasks to it."""
    from lantern.celery import app

    log = tmp_path / "worker.log"
    env = {
        **os.environ,
        "REDIS_URL": redis_url,
        "DATABASE_URL": shared_database_url(),
        "PYTHONUNBUFFERED": "1",
    }
    with log.open("w") as out:
        worker = subprocess.Popen(
            [
                *(sys.executable, "-m", "celery", "-A", "lantern", "worker"),
                *("--pool=solo", "--without-gossip", "--without-mingle", "--loglevel=INFO"),
            ],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    saved = (app.conf.broker_url, app.conf.task_always_eager)
    use_broker(app, redis_url, eager=False)
    try:
        deadline = time.monotonic() + 60
        while "ready." not in log.read_text():
            assert worker.poll() is None, f"the worker exited:\n{log.read_text()}"
            assert time.monotonic() < deadline, f"the worker did not start:\n{log.read_text()}"
            time.sleep(0.2)
        yield log
    finally:
        use_broker(app, *saved)
        worker.terminate()
        worker.wait(timeout=30)


@pytest.mark.slow
def test_a_real_worker_runs_the_queued_ingest(jaffle: Path, celery_worker: Path) -> None:
    env = environment_create(name="prod")

    queued = artifacts_ingest_queue(paths=[jaffle], environment=env)
    assert queued.status == "queued"

    deadline = time.monotonic() + 60
    while (ingest := Ingest.objects.get(pk=queued.pk)).status in ("queued", "running"):
        assert time.monotonic() < deadline, celery_worker.read_text()
        time.sleep(0.2)
    assert ingest.status == "succeeded", ingest.error
    assert Node.objects.filter(environment=env, resource_type="model").count() == 22
    # The task returns a moment after the load commits (what follows a load is queued, the
    # files are let go): wait for the worker to say so.
    while "succeeded in" not in (log := celery_worker.read_text()):
        assert time.monotonic() < deadline, log
        time.sleep(0.1)
    assert "Task ingest.tasks.ingest_run_task[" in log
