"""Per-environment sync schedules as django-celery-beat PeriodicTasks.

One PeriodicTask per environment, named after its id, kept in step with
`Environment.sync_schedule` (a five-field cron expression, UTC): created, changed or removed by
`environment_schedule_apply`, which every place that edits an environment calls.
"""

from __future__ import annotations

import json

from django.db import transaction
from django_celery_beat.models import CrontabSchedule, PeriodicTask

from catalog.models import Environment
from ingest.services import IngestError

SYNC_TASK = "ingest.tasks.sync_environment_task"
CRON_FIELDS = ("minute", "hour", "day_of_month", "month_of_year", "day_of_week")


def schedule_name(environment_id: int) -> str:
    return f"lantern: sync environment #{environment_id}"


def cron_parse(expression: str) -> dict[str, str]:
    """A five-field cron expression as CrontabSchedule fields; IngestError says what is wrong."""
    from celery.schedules import ParseException, crontab_parser

    parts = expression.split()
    if len(parts) != len(CRON_FIELDS):
        raise IngestError(
            f'schedule "{expression}" is not a cron expression: it needs five fields '
            "(minute hour day-of-month month day-of-week), e.g. '0 6 * * *' for 06:00 UTC daily"
        )
    limits = ((60, 0), (24, 0), (31, 1), (12, 1), (7, 0))
    for field, part, (size, start) in zip(CRON_FIELDS, parts, limits, strict=True):
        try:
            crontab_parser(size, start).parse(part)
        except (ParseException, ValueError) as e:
            label = field.replace("_", " ")
            raise IngestError(f'schedule "{expression}": bad {label} "{part}" ({e})') from e
    return dict(zip(CRON_FIELDS, parts, strict=True))


@transaction.atomic
def environment_schedule_apply(*, environment: Environment) -> PeriodicTask | None:
    """Make the environment's PeriodicTask match its sync_schedule (none when it has none)."""
    name = schedule_name(environment.pk)
    expression = environment.sync_schedule.strip()
    if not expression or environment.feed != Environment.Feed.DBT_CLOUD:
        PeriodicTask.objects.filter(name=name).delete()
        return None
    crontab, _ = CrontabSchedule.objects.get_or_create(**cron_parse(expression), timezone="UTC")
    task, _ = PeriodicTask.objects.update_or_create(
        name=name,
        defaults={
            "task": SYNC_TASK,
            "crontab": crontab,
            "interval": None,
            "args": json.dumps([environment.pk]),
            "enabled": True,
            "description": f'Sync "{environment.name}" from dbt Cloud ({expression} UTC)',
        },
    )
    return task


def environment_schedule_remove(*, environment_id: int) -> None:
    PeriodicTask.objects.filter(name=schedule_name(environment_id)).delete()
