"""dbt Cloud webhooks: signed by the environment's secret, or refused with nothing changed;
duplicates and other jobs ignored; a completed run synced."""

from __future__ import annotations

import json
from typing import Any

import pytest

from catalog.models import Environment, Ingest, Node
from ingest.models import WebhookDelivery
from ingest.secrets import environment_secrets_set
from ingest.services import environment_create
from ingest.webhooks import signature_of
from tests.ingest.sync_helpers import serve

URL = "/api/webhooks/dbt-cloud"
SECRET = "whsec-lantern-test-0123456789"


def payload(env: Environment, *, event: str = "wev_1", run: Any = "9001", job: Any = "77",
            event_type: str = "job.run.completed") -> bytes:  # fmt: skip
    return json.dumps(
        {
            "accountId": env.dbt_account_id or 1,
            "webhooksID": "wsu_abc",
            "eventId": event,
            "timestamp": "2026-12-04T10:00:00.000Z",
            "eventType": event_type,
            "webhookName": "lantern",
            "data": {
                "jobId": job,
                "jobName": "nightly",
                "runId": run,
                "environmentId": str(env.dbt_environment_id),
                "environmentName": "prod",
                "runStatus": "Success",
                "runStatusCode": 10,
            },
        }
    ).encode()


def post(client, body: bytes, signature: str | None):
    headers = {"HTTP_AUTHORIZATION": signature} if signature is not None else {}
    return client.post(URL, data=body, content_type="application/json", **headers)


@pytest.fixture
def cloud(db) -> Environment:
    """An environment fed by a dbt Cloud nobody can reach: a sync of it fails, recorded."""
    env = environment_create(
        name="cloud", discovery_url="http://127.0.0.1:9/graphql", dbt_environment_id=4242
    )
    return environment_secrets_set(environment=env, webhook_secret=SECRET)


@pytest.mark.parametrize(
    "signature",
    [None, "", "not-hex", signature_of(b"another body", SECRET), "0" * 64],
    ids=["missing", "empty", "garbage", "another body's", "zeros"],
)
def test_a_bad_signature_is_refused_and_changes_nothing(client, cloud, signature) -> None:
    response = post(client, payload(cloud), signature)
    assert response.status_code == 401
    assert "signature" in response.json()["error"]
    assert not WebhookDelivery.objects.exists()
    assert not Ingest.objects.exists()


def test_a_secret_of_another_environment_does_not_sign(client, cloud) -> None:
    other = environment_create(
        name="other", discovery_url="http://127.0.0.1:9/graphql", dbt_environment_id=7
    )
    environment_secrets_set(environment=other, webhook_secret="the other secret")
    body = payload(cloud)
    assert post(client, body, signature_of(body, "the other secret")).status_code == 401
    assert not Ingest.objects.exists()


def test_an_environment_without_a_secret_refuses_every_webhook(client, cloud) -> None:
    environment_secrets_set(environment=cloud, webhook_secret="")
    body = payload(cloud)
    assert post(client, body, signature_of(body, SECRET)).status_code == 401
    assert not Ingest.objects.exists()


def test_not_a_webhook_is_a_bad_request(client, cloud) -> None:
    for body in (
        b"not json",
        b"[]",
        b'{"eventId": "x"}',
        b'{"eventId":1,"eventType":"a","data":3}',
    ):
        response = post(client, body, signature_of(body, SECRET))
        assert response.status_code == 400, body
    assert not WebhookDelivery.objects.exists()


def test_an_unknown_environment_is_refused_like_a_bad_signature(client, cloud) -> None:
    body = payload(cloud).replace(b'"environmentId": "4242"', b'"environmentId": "5555"')
    response = post(client, body, signature_of(body, SECRET))
    assert response.status_code == 401
    assert "5555" in response.json()["error"]
    assert "signature" in response.json()["error"]
    assert not WebhookDelivery.objects.exists()
    assert not Ingest.objects.exists()


def test_other_jobs_and_events_are_ignored_and_recorded(client, cloud) -> None:
    cloud.dbt_job_ids = [1, 2]
    cloud.save()
    body = payload(cloud, job="77")
    response = post(client, body, signature_of(body, SECRET))
    assert (response.status_code, response.json()["status"]) == (200, "ignored")
    assert "job 77" in response.json()["message"]
    started = payload(cloud, event="wev_2", job="1", event_type="job.run.started")
    response = post(client, started, signature_of(started, SECRET))
    assert (response.status_code, response.json()["status"]) == (200, "ignored")
    assert list(WebhookDelivery.objects.values_list("outcome", flat=True)) == ["ignored"] * 2
    assert not Ingest.objects.exists()


def test_a_completed_run_is_synced_and_duplicates_are_ignored(
    client, live_server, monkeypatch
) -> None:
    served = serve(live_server, monkeypatch)
    mirror = served.mirror
    environment_secrets_set(environment=mirror, webhook_secret=SECRET)
    mirror.dbt_job_ids = [77]
    mirror.save()

    body = payload(mirror, event="wev_run_9001", run="9001", job=77)
    response = post(client, body, signature_of(body, SECRET).upper())  # hex in either case
    assert response.status_code == 202, response.content
    answer = response.json()
    ingest = Ingest.objects.get(pk=answer["ingest_id"])
    # No broker in this test: the sync ran inline, from the live server, before the answer.
    assert ingest.status == "succeeded", ingest.error
    assert ingest.paths == ["dbt-cloud-run:9001"]
    assert answer["status_url"] == f"/api/ingests/{ingest.pk}"
    models = Node.objects.filter(resource_type="model")
    assert (
        models.filter(environment=mirror).count()
        == models.filter(environment=served.source).count()
    )

    # dbt Cloud retries a delivery (same event), and may send errored after completed
    again = post(client, body, signature_of(body, SECRET))
    assert (again.status_code, again.json()["status"]) == (200, "ignored")
    assert "already received" in again.json()["message"]
    errored = payload(
        mirror, event="wev_err_9001", run="9001", job=77, event_type="job.run.errored"
    )
    response = post(client, errored, signature_of(errored, SECRET))
    assert (response.status_code, response.json()["status"]) == (200, "ignored")
    assert "already synced or queued" in response.json()["message"]
    assert Ingest.objects.filter(environment=mirror).count() == 1
    delivery = WebhookDelivery.objects.get(event_id="wev_run_9001")
    assert (delivery.outcome, delivery.ingest_id, delivery.dbt_run_id) == (
        "queued",
        ingest.pk,
        9001,
    )
