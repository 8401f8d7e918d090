"""Retention: history older than the setting goes, the latest result of every node stays."""

from __future__ import annotations

import io
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from catalog.models import Environment, Execution, Ingest, Node, Run
from ingest.services import history_prune
from ingest.tasks import history_prune_task
from tests.conftest import run_ingest, write_json
from tests.ingest.test_load import CUSTOMERS, ORDERS, run_results


def iso(days_ago: int) -> str:
    return (timezone.now() - timedelta(days=days_ago)).strftime("%Y-%m-%dT%H:%M:%SZ")


@pytest.fixture
def history(jaffle: Path) -> Environment:
    """Three runs: 400 days ago (orders, customers), 200 days ago (orders), yesterday (orders)."""
    run_ingest(str(jaffle), "--environment", "prod")
    runs = [
        ("old", 400, {ORDERS: "success", CUSTOMERS: "success"}),
        ("older-but-one", 200, {ORDERS: "success"}),
        ("recent", 1, {ORDERS: "success"}),
    ]
    for name, days, statuses in runs:
        path = write_json(jaffle / f"{name}.json", run_results(name, iso(days), statuses))
        run_ingest(str(path), "--environment", "prod")
    return Environment.objects.get()


@pytest.mark.django_db
def test_it_deletes_old_runs_but_keeps_every_node_s_latest_result(history: Environment) -> None:
    generation = Environment.objects.get().generation
    pointers = dict(Node.objects.values_list("unique_id", "last_execution_id"))

    pruned = history_prune(days=30)

    # "old" holds customers' only result: kept. "older-but-one" goes, with its result.
    assert set(Run.objects.values_list("invocation_id", flat=True)) == {"old", "recent"}
    assert pruned.runs == 1
    assert pruned.executions == 1
    assert not Execution.objects.filter(run__invocation_id="older-but-one").exists()
    assert dict(Node.objects.values_list("unique_id", "last_execution_id")) == pointers
    assert Environment.objects.get().generation == generation + 1


@pytest.mark.django_db
def test_it_is_idempotent_and_keeps_everything_by_default(history: Environment) -> None:
    assert history_prune(days=0).runs == 0
    assert Run.objects.count() == 3
    history_prune(days=30)
    again = history_prune(days=30)
    assert again.runs == 0
    assert Run.objects.count() == 2


@pytest.mark.django_db
def test_old_load_records_go_but_the_latest_load_stays(history: Environment) -> None:
    Ingest.objects.update(started_at=timezone.now() - timedelta(days=90))
    latest = Ingest.objects.order_by("-started_at", "-id").first()
    history_prune(days=30)
    assert list(Ingest.objects.values_list("pk", flat=True)) == [latest.pk]


@pytest.mark.django_db
def test_the_daily_task_and_the_command(history: Environment, settings) -> None:
    settings.LANTERN_HISTORY_DAYS = 30
    history_prune_task.delay()  # inline without a broker
    assert Run.objects.count() == 2

    settings.LANTERN_HISTORY_DAYS = 0
    with pytest.raises(CommandError, match="no retention set"):
        call_command("prune_history")
    out = io.StringIO()
    call_command("prune_history", "--days", "1", stdout=out)
    assert "Deleted 0 runs" in out.getvalue()  # "old" still holds customers' latest result
    assert "history_prune_task" in str(settings.CELERY_BEAT_SCHEDULE)
