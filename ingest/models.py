"""What the ingest app records of its own: the dbt Cloud webhooks it received."""

from __future__ import annotations

from django.db import models

from catalog.models import Environment, Ingest


class WebhookDelivery(models.Model):
    """One verified dbt Cloud webhook. The event id is unique, so a redelivery is recognised
    by any web process; so is a second event about a run already queued."""

    class Outcome(models.TextChoices):
        QUEUED = "queued", "sync queued"
        IGNORED = "ignored", "ignored"

    event_id = models.CharField(max_length=200, unique=True)
    environment = models.ForeignKey(
        Environment, on_delete=models.CASCADE, related_name="webhook_deliveries"
    )
    event_type = models.CharField(max_length=100)
    dbt_job_id = models.BigIntegerField(null=True, blank=True)
    dbt_run_id = models.BigIntegerField(null=True, blank=True)
    run_status = models.CharField(max_length=50, blank=True)
    outcome = models.CharField(max_length=16, choices=Outcome.choices)
    reason = models.TextField(blank=True)
    ingest = models.ForeignKey(Ingest, null=True, blank=True, on_delete=models.SET_NULL)
    received_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-received_at", "-id"]
        indexes = [models.Index(fields=["environment", "dbt_run_id"])]

    def __str__(self) -> str:
        return f"webhook {self.event_id} ({self.outcome})"
