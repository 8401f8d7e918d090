"""Configuring an environment: the settings page, the admin and `environment add` store the
dbt Cloud token and webhook secret encrypted, never show them back, and keep the sync schedule
in step with django-celery-beat."""

from __future__ import annotations

import io
import json
import time

import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command
from django_celery_beat.models import PeriodicTask

from catalog.models import Environment, Ingest, Node
from ingest.schedules import SYNC_TASK, schedule_name
from ingest.secrets import SecretUnreadable, environment_token, environment_webhook_secret
from ingest.services import IngestError, environment_create
from tests.ingest.sync_helpers import serve
from tests.ingest.test_sync_tasks import worker, worker_token  # noqa: F401 - fixtures
from tests.ingest.test_tasks import celery_worker  # noqa: F401 - a fixture

TOKEN = "dbtc_SECRET-token-never-shown-4711"
HOOK_SECRET = "whsec-never-shown-0815"


@pytest.fixture
def staff(client, db):
    user = User.objects.create_user("ops", password="pw", is_staff=True, is_superuser=True)
    client.force_login(user)
    return client


@pytest.fixture
def cloud(db) -> Environment:
    return environment_create(
        name="cloud",
        discovery_url="https://ab123.metadata.us1.dbt.com/graphql",
        dbt_environment_id=11,
    )


def form_data(env: Environment, **changes: object) -> dict[str, object]:
    data: dict[str, object] = {
        "name": env.name,
        "description": env.description,
        "feed": env.feed,
        "discovery_url": env.discovery_url,
        "dbt_account_id": env.dbt_account_id or "",
        "dbt_environment_id": env.dbt_environment_id or "",
        "token_env_var": env.token_env_var,
        "sync_schedule": env.sync_schedule,
        "job_ids": "",
        "access_url": "",
        "region": "",
        "token": "",
        "webhook_secret": "",
    }
    data.update(changes)
    return data


def test_the_settings_page_is_for_staff_only(client, cloud) -> None:
    response = client.get(f"/env/{cloud.pk}/settings")
    assert response.status_code == 302
    assert "/admin/login" in response["Location"]
    User.objects.create_user("reader", password="pw")
    client.login(username="reader", password="pw")
    assert client.get(f"/env/{cloud.pk}/settings").status_code == 302


def test_secrets_are_stored_encrypted_and_never_shown_back(staff, cloud) -> None:
    url = f"/env/{cloud.pk}/settings"
    response = staff.post(
        url, form_data(cloud, token=TOKEN, webhook_secret=HOOK_SECRET, job_ids="7, 8")
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    cloud.refresh_from_db()
    assert cloud.token_encrypted
    assert TOKEN not in cloud.token_encrypted
    assert environment_token(cloud) == TOKEN
    assert environment_webhook_secret(cloud) == HOOK_SECRET
    assert cloud.dbt_job_ids == [7, 8]
    page = staff.get(url).content.decode()
    assert TOKEN not in page
    assert HOOK_SECRET not in page
    assert cloud.token_encrypted not in page
    assert 'data-secret-state="token">set<' in page
    admin_page = staff.get(f"/admin/catalog/environment/{cloud.pk}/change/").content.decode()
    assert TOKEN not in admin_page
    assert HOOK_SECRET not in admin_page
    assert cloud.token_encrypted not in admin_page

    # An empty field keeps what is stored; "clear" removes it
    staff.post(url, form_data(cloud, description="kept"))
    cloud.refresh_from_db()
    assert (cloud.description, environment_token(cloud)) == ("kept", TOKEN)
    staff.post(url, form_data(cloud, clear_token="on"))
    cloud.refresh_from_db()
    assert cloud.token_encrypted == ""
    with pytest.raises(IngestError, match="no dbt Cloud token"):
        environment_token(cloud)


def test_the_environment_variable_wins_over_the_stored_token(cloud, monkeypatch, settings) -> None:
    from ingest.secrets import environment_secrets_set

    environment_secrets_set(environment=cloud, token=TOKEN)
    cloud.token_env_var = "LANTERN_TEST_DBT_TOKEN"
    monkeypatch.setenv("LANTERN_TEST_DBT_TOKEN", "from-the-environment")
    assert environment_token(cloud) == "from-the-environment"
    monkeypatch.delenv("LANTERN_TEST_DBT_TOKEN")
    assert environment_token(cloud) == TOKEN
    settings.LANTERN_SECRET_KEY = "another key"
    with pytest.raises(SecretUnreadable, match="LANTERN_SECRET_KEY"):
        environment_token(cloud)


def test_a_schedule_is_a_periodic_task_kept_in_step(staff, cloud) -> None:
    url = f"/env/{cloud.pk}/settings"
    staff.post(url, form_data(cloud, sync_schedule="0  6 * * 1-5"))
    task = PeriodicTask.objects.get(name=schedule_name(cloud.pk))
    assert (task.task, json.loads(task.args), task.enabled) == (SYNC_TASK, [cloud.pk], True)
    cron = task.crontab
    assert (cron.minute, cron.hour, cron.day_of_week, str(cron.timezone)) == (
        "0",
        "6",
        "1-5",
        "UTC",
    )

    staff.post(url, form_data(cloud, sync_schedule="*/30 * * * *"))
    task = PeriodicTask.objects.get(name=schedule_name(cloud.pk))
    assert (task.crontab.minute, task.crontab.hour) == ("*/30", "*")

    response = staff.post(url, form_data(cloud, sync_schedule="every day"))
    assert response.status_code == 200
    assert "five fields" in response.content.decode()
    response = staff.post(url, form_data(cloud, sync_schedule="0 25 * * *"))
    assert "bad hour" in response.content.decode()
    assert PeriodicTask.objects.get(name=schedule_name(cloud.pk)).crontab.minute == "*/30"

    staff.post(url, form_data(cloud, sync_schedule=""))
    assert not PeriodicTask.objects.filter(name=schedule_name(cloud.pk)).exists()


def test_a_dbt_cloud_environment_needs_its_url_and_id(staff, db) -> None:
    env = environment_create(name="files")
    response = staff.post(
        f"/env/{env.pk}/settings",
        form_data(env, feed="dbt_cloud", access_url="https://ab123.us1.dbt.com"),
    )
    assert "needs its id" in response.content.decode()
    response = staff.post(
        f"/env/{env.pk}/settings",
        form_data(
            env, feed="dbt_cloud", access_url="https://ab123.us1.dbt.com", dbt_environment_id=5
        ),
    )
    assert response.status_code == 302
    env.refresh_from_db()
    assert env.discovery_url == "https://ab123.metadata.us1.dbt.com/graphql"


def test_environment_add_stores_secrets_from_stdin_and_a_schedule(monkeypatch, db) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(f"{TOKEN}\n{HOOK_SECRET}\n"))
    out = io.StringIO()
    call_command(
        "environment", "add", "prod",
        "--access-url", "https://ab123.us1.dbt.com", "--dbt-environment-id", "99",
        "--token-stdin", "--webhook-secret-stdin", "--job-id", "5", "--job-id", "6",
        "--schedule", "15 2 * * *", stdout=out,
    )  # fmt: skip
    env = Environment.objects.get(name="prod")
    assert environment_token(env) == TOKEN
    assert environment_webhook_secret(env) == HOOK_SECRET
    assert env.dbt_job_ids == [5, 6]
    assert PeriodicTask.objects.get(name=schedule_name(env.pk)).crontab.hour == "2"
    assert "15 2 * * *" in out.getvalue()
    assert TOKEN not in out.getvalue()

    with pytest.raises(CommandError, match="bad minute"):
        call_command("environment", "add", "bad", "--discovery-url", "https://x.example/graphql",
                     "--dbt-environment-id", "1", "--schedule", "61 * * * *")  # fmt: skip
    assert not Environment.objects.filter(name="bad").exists(), "nothing half-made"


@pytest.mark.slow
def test_the_scheduled_task_runs_a_sync_on_a_real_worker(
    live_server,
    monkeypatch,
    worker,  # noqa: F811
) -> None:
    from lantern.celery import app

    token, log = worker
    served = serve(live_server, monkeypatch, token=token)
    served.mirror.sync_schedule = "0 * * * *"
    served.mirror.save()
    from ingest.schedules import environment_schedule_apply

    task = environment_schedule_apply(environment=served.mirror)
    assert task is not None
    # What beat sends when the crontab is due: the task named, with its arguments
    app.send_task(task.task, args=json.loads(task.args), kwargs=json.loads(task.kwargs))
    deadline = time.monotonic() + 120
    while not Ingest.objects.filter(environment=served.mirror, status="succeeded").exists():
        failed = Ingest.objects.filter(environment=served.mirror, status="failed").first()
        assert failed is None, failed.error
        assert time.monotonic() < deadline, log.read_text()
        time.sleep(0.2)
    assert "Task ingest.tasks.sync_environment_task[" in log.read_text()
    models = Node.objects.filter(resource_type="model")
    assert (
        models.filter(environment=served.mirror).count()
        == models.filter(environment=served.source).count()
    )
