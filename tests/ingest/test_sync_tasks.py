"""Syncs as tasks: one at a time per environment, safe to run twice, on a real worker, and
from the command line."""

from __future__ import annotations

import io
import secrets
import threading
import time
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import timezone

from catalog.models import Ingest, Node
from ingest import services
from ingest.services import SyncSkipped, sync_environment, sync_environment_queue
from ingest.tasks import sync_environment_task
from tests.conftest import shared_database_url
from tests.ingest.sync_helpers import TOKEN_VAR, Served, serve
from tests.ingest.test_sync_faults import Fault, FaultProxy
from tests.ingest.test_tasks import celery_worker  # noqa: F401 - a fixture


@pytest.fixture
def proxy(live_server) -> Iterator[FaultProxy]:
    proxy = FaultProxy(f"{live_server.url}/graphql")
    yield proxy
    proxy.close()


def sync_in_thread(served: Served, results: dict[str, Any], name: str) -> threading.Thread:
    def target() -> None:
        try:
            results[name] = sync_environment(
                environment=served.mirror, client_options=served.fast()
            )
        except BaseException as e:  # noqa: BLE001 - the test reports it
            results[name] = e
        finally:
            connection.close()

    return threading.Thread(target=target)


@pytest.mark.slow
def test_two_syncs_at_once_never_interleave(live_server, monkeypatch, proxy) -> None:
    shared_database_url()  # each thread opens its own connection to the test database
    served = serve(live_server, monkeypatch, url=proxy.url)
    # Slow answers keep the winner running while the other tries to claim the lock.
    proxy.faults.append(Fault(when=lambda r: True, delay=0.05, times=1000))
    barrier = threading.Barrier(2, timeout=30)
    real_claim = services._sync_claim

    def claim_together(*args: Any) -> Ingest:
        barrier.wait()  # both claim at the same moment: the widest race there is
        return real_claim(*args)

    monkeypatch.setattr(services, "_sync_claim", claim_together)
    results: dict[str, Any] = {}
    threads = [sync_in_thread(served, results, name) for name in ("a", "b")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    outcomes = sorted(results.values(), key=lambda r: isinstance(r, Exception))
    winner, loser = outcomes
    assert isinstance(winner, Ingest), winner
    assert winner.status == "succeeded", winner.error
    assert isinstance(loser, SyncSkipped), loser
    assert str(loser) == f"skipped: sync #{winner.pk} is running"
    skipped = Ingest.objects.exclude(pk=winner.pk).get(environment=served.mirror)
    assert skipped.status == "skipped"
    assert skipped.error == f"skipped: sync #{winner.pk} is running"
    # Only one sync talked to the server.
    assert len(proxy.requests) == winner.counts["requests"]


@pytest.mark.slow
def test_a_sync_left_running_by_a_dead_worker_does_not_block(live_server, monkeypatch) -> None:
    served = serve(live_server, monkeypatch)
    silent = timezone.now() - timedelta(seconds=services.SYNC_STALE_SECONDS + 60)
    dead = Ingest.objects.create(
        environment=served.mirror,
        source=Ingest.Source.DISCOVERY,
        status=Ingest.Status.RUNNING,
        started_at=silent,
        progress={"phase": "fetching models", "done": 500, "total": 0, "at": silent.timestamp()},
    )

    ingest = sync_environment(environment=served.mirror, client_options=served.fast())

    assert ingest.status == "succeeded"
    dead.refresh_from_db()
    assert dead.status == "failed"
    assert dead.error.startswith("abandoned")


@pytest.mark.slow
def test_progress_is_recorded_as_it_goes(live_server, monkeypatch) -> None:
    served = serve(live_server, monkeypatch)
    seen: list[dict[str, Any]] = []

    def watch(phase: str, done: int, total: int, pages: int) -> None:
        running = Ingest.objects.filter(environment=served.mirror, status="running").first()
        if running is not None and running.progress not in seen:
            seen.append(running.progress)

    ingest = sync_environment(
        environment=served.mirror, progress=watch, client_options=served.fast()
    )

    phases = [p["phase"] for p in seen]
    assert "fetching models" in phases
    assert "fetching runs" in phases
    assert any(p["phase"] == "fetching tests" and p["done"] > 100 for p in seen)
    pages = [p["pages"] for p in seen if "pages" in p]  # all but the claim's "starting"
    assert pages == sorted(pages)
    assert 0 < pages[-1] <= ingest.counts["pages"]
    assert ingest.progress["phase"] == "done"
    assert ingest.progress["done"] == Node.objects.filter(environment=served.mirror).count()


@pytest.mark.slow
def test_the_task_is_safe_to_run_twice(live_server, monkeypatch) -> None:
    served = serve(live_server, monkeypatch)
    monkeypatch.setattr(services, "PROGRESS_EVERY", 0.0)

    first = sync_environment_task(served.mirror.pk, run_id=77)
    again = sync_environment_task(served.mirror.pk, run_id=77)

    assert first == again, "run 77 is synced once"
    assert Ingest.objects.filter(environment=served.mirror).count() == 1
    assert Ingest.objects.get(pk=first).status == "succeeded"
    assert sync_environment_task(987654) is None, "an environment deleted meanwhile"


@pytest.mark.slow
def test_the_command_syncs_with_progress_and_fails_clearly(live_server, monkeypatch) -> None:
    serve(live_server, monkeypatch)
    out, err = io.StringIO(), io.StringIO()

    call_command("sync", "mirror", stdout=out, stderr=err)

    assert "fetching models" in err.getvalue()
    assert "fetching runs" in err.getvalue()
    assert " pages" in err.getvalue()
    assert 'Loaded project "bikeshare" into environment "mirror"' in out.getvalue()
    assert "requests:" in out.getvalue()

    # --async: queued; without a broker the task runs inline once the ingest row commits.
    queued = io.StringIO()
    call_command("sync", "mirror", "--async", stdout=queued, stderr=io.StringIO())
    latest = Ingest.objects.filter(environment__name="mirror").order_by("-id").first()
    assert latest is not None
    assert queued.getvalue().strip() == f'Queued sync #{latest.pk} of environment "mirror"'
    assert latest.status == "succeeded", latest.error

    monkeypatch.setenv(TOKEN_VAR, "lnt_not-a-token")
    with pytest.raises(CommandError, match=r'environment "mirror".*refused the token'):
        call_command("sync", "mirror", stdout=io.StringIO(), stderr=io.StringIO())
    with pytest.raises(CommandError, match='no environment "nope"'):
        call_command("sync", "nope")


@pytest.mark.django_db
def test_the_command_refuses_an_environment_without_dbt_cloud_settings() -> None:
    call_command("environment", "add", "local", stdout=io.StringIO())

    with pytest.raises(CommandError, match="no dbt Cloud environment id"):
        call_command("sync", "local", stdout=io.StringIO(), stderr=io.StringIO())

    failed = Ingest.objects.get()
    assert failed.status == "failed"
    assert failed.source == "discovery"


@pytest.mark.slow
def test_a_redelivered_task_takes_back_its_dead_sync(live_server, monkeypatch) -> None:
    served = serve(live_server, monkeypatch)
    # Queued, claimed by a worker that then died: running, silent for longer than the limit.
    silent = timezone.now() - timedelta(seconds=services.SYNC_STALE_SECONDS + 60)
    queued = Ingest.objects.create(
        environment=served.mirror,
        source=Ingest.Source.DISCOVERY,
        status=Ingest.Status.RUNNING,
        started_at=silent,
        progress={"phase": "fetching tests", "at": silent.timestamp()},
    )

    assert sync_environment_task(served.mirror.pk, ingest_id=queued.pk) == queued.pk

    queued.refresh_from_db()
    assert queued.status == "succeeded"
    assert Ingest.objects.filter(environment=served.mirror).count() == 1
    # A late second delivery finds it done.
    assert sync_environment_task(served.mirror.pk, ingest_id=queued.pk) is None


# --------------------------------------------------------------------------------------------
# A real worker process, fed through a real Redis


@pytest.fixture
def worker_token(monkeypatch) -> str:
    """The token the worker process will read: in the environment before it starts."""
    token = "lnt_" + secrets.token_urlsafe(32)
    monkeypatch.setenv(TOKEN_VAR, token)
    return token


@pytest.fixture
def worker(worker_token: str, celery_worker: Path) -> tuple[str, Path]:  # noqa: F811
    return worker_token, celery_worker


@pytest.mark.slow
def test_a_real_worker_runs_the_sync(live_server, monkeypatch, worker) -> None:
    token, log = worker
    served = serve(live_server, monkeypatch, token=token)

    queued = sync_environment_queue(environment=served.mirror)  # as `manage.py sync --async`
    assert queued.status == "queued"
    sync_environment_task.delay(served.mirror.pk, run_id=5)  # as the webhook will

    def statuses() -> list[str]:  # one read: two could straddle the second sync's start
        return list(
            Ingest.objects.filter(environment=served.mirror).values_list("status", flat=True)
        )

    deadline = time.monotonic() + 120
    while len(now := statuses()) < 2 or {"queued", "running"} & set(now):
        assert time.monotonic() < deadline, log.read_text()
        time.sleep(0.2)
    ingests = list(Ingest.objects.filter(environment=served.mirror).order_by("id"))
    assert [i.status for i in ingests] == ["succeeded", "succeeded"], [i.error for i in ingests]
    assert ingests[0].pk == queued.pk
    assert ingests[1].paths == ["dbt-cloud-run:5"]
    assert ingests[1].counts["runs_added"] == 0, "the second sync found every run stored"
    text = log.read_text()
    assert text.count("Task ingest.tasks.sync_environment_task[") >= 2
    models = Node.objects.filter(resource_type="model")
    mirrored = set(models.filter(environment=served.mirror).values_list("unique_id"))
    assert mirrored == set(models.filter(environment=served.source).values_list("unique_id"))


@pytest.mark.django_db
def test_the_command_refuses_an_environment_without_a_discovery_url() -> None:
    call_command("environment", "add", "cloud", "--dbt-environment-id", "5", stdout=io.StringIO())

    with pytest.raises(CommandError, match="no Discovery API URL"):
        call_command("sync", "cloud", stdout=io.StringIO(), stderr=io.StringIO())

    assert Ingest.objects.get().status == "failed"
