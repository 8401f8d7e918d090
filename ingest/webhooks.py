"""dbt Cloud's job-run webhooks: verified, deduplicated, turned into syncs of the run.

dbt Cloud signs each delivery: the `Authorization` header holds the hex HMAC-SHA256 of the raw
body, keyed with the webhook's secret key (shown once when the webhook is created in dbt
Cloud, stored here encrypted on the environment). The payload:

    {"accountId": 1, "webhooksID": "wsu_…", "eventId": "wev_…", "eventType": "job.run.completed",
     "timestamp": "…", "webhookName": "…",
     "data": {"jobId": "123", "runId": "456", "environmentId": "789", "runStatus": "Success",
              "runStatusCode": 10, …}}

The environment is found by its dbt Cloud environment id (and account id when both are set);
only then can the signature be checked, so nothing is written before it is, and an unknown
environment is refused like a bad signature.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction

from catalog.models import Environment, Ingest
from ingest.models import WebhookDelivery
from ingest.secrets import environment_webhook_secret
from ingest.services import sync_environment_queue

# A finished run, failed or not, left metadata to fetch. (job.run.errored follows a completed
# run that errored, so it is ignored as a duplicate of the same run.)
SYNC_EVENTS = ("job.run.completed", "job.run.errored")


class WebhookRefused(Exception):
    """A delivery that is not what it claims (HTTP 401) or not a webhook at all (400)."""

    def __init__(self, message: str, status: int) -> None:
        super().__init__(message)
        self.status = status


@dataclass(frozen=True)
class WebhookOutcome:
    status: int  # the HTTP status to answer: 202 queued, 200 ignored
    message: str
    ingest: Ingest | None = None


def _id(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def signature_of(body: bytes, secret: str) -> str:
    return hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def webhook_receive(*, body: bytes, signature: str) -> WebhookOutcome:
    """Handle one delivery. Raises WebhookRefused before anything is stored when it is not
    signed by the environment's secret; a duplicate or an unknown job is answered 200."""
    try:
        payload = json.loads(body)
        data = payload["data"]
        event_id, event_type = str(payload["eventId"]), str(payload["eventType"])
        if not isinstance(data, dict):
            raise TypeError("data is not an object")
    except (ValueError, KeyError, TypeError) as e:
        raise WebhookRefused(f"not a dbt Cloud webhook payload ({e})", 400) from e
    dbt_environment_id, account_id = _id(data.get("environmentId")), _id(payload.get("accountId"))
    candidates = [
        env
        for env in Environment.objects.filter(
            feed=Environment.Feed.DBT_CLOUD, dbt_environment_id=dbt_environment_id
        )
        if env.dbt_account_id in (None, account_id)
    ]
    environment = next(
        (
            env
            for env in candidates
            if env.webhook_secret_encrypted
            and hmac.compare_digest(
                signature_of(body, environment_webhook_secret(env)), signature.strip().lower()
            )
        ),
        None,
    )
    if environment is None:
        # The same answer whether no environment syncs that dbt Cloud environment or its
        # secret differs: an unsigned request learns nothing about what is configured.
        raise WebhookRefused(
            "the signature does not match the webhook secret of an environment syncing dbt "
            f"Cloud environment {data.get('environmentId')} (or none is configured)",
            401,
        )
    job_id, run_id = _id(data.get("jobId")), _id(data.get("runId"))
    reason = ""
    if event_type not in SYNC_EVENTS:
        reason = f"ignored: {event_type} events do not change what a run left"
    elif environment.dbt_job_ids and job_id not in environment.dbt_job_ids:
        reason = f"ignored: job {job_id} is not one of the environment's jobs"
    elif (
        run_id is not None
        and WebhookDelivery.objects.filter(
            environment=environment, dbt_run_id=run_id, outcome=WebhookDelivery.Outcome.QUEUED
        ).exists()
    ):
        reason = f"ignored: run {run_id} is already synced or queued"
    try:
        with transaction.atomic():
            delivery = WebhookDelivery.objects.create(
                event_id=event_id,
                environment=environment,
                event_type=event_type,
                dbt_job_id=job_id,
                dbt_run_id=run_id,
                run_status=str(data.get("runStatus", ""))[:50],
                outcome=WebhookDelivery.Outcome.IGNORED
                if reason
                else WebhookDelivery.Outcome.QUEUED,
                reason=reason,
            )
            if reason:
                return WebhookOutcome(200, reason)
            delivery.ingest = sync_environment_queue(environment=environment, run_id=run_id)
            delivery.save(update_fields=["ingest"])
    except IntegrityError:
        return WebhookOutcome(200, f"ignored: event {event_id} was already received")
    return WebhookOutcome(
        202, f'sync of run {run_id} queued for "{environment.name}"', delivery.ingest
    )
