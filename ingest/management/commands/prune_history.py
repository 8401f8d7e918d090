"""python manage.py prune_history [--days N] [--environment NAME]"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from catalog.models import Environment
from ingest.services import history_prune


class Command(BaseCommand):
    help = "Delete run history and load records older than N days (default LANTERN_HISTORY_DAYS)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--days", type=int, default=None)
        parser.add_argument("--environment", default="")

    def handle(self, *args: Any, **options: Any) -> None:
        days = options["days"] if options["days"] is not None else settings.LANTERN_HISTORY_DAYS
        if days <= 0:
            raise CommandError(
                "no retention set: pass --days N or set LANTERN_HISTORY_DAYS (0 keeps everything)"
            )
        environment = None
        if options["environment"]:
            environment = Environment.objects.filter(name=options["environment"]).first()
            if environment is None:
                raise CommandError(f'no environment "{options["environment"]}"')
        pruned = history_prune(days=days, environment=environment)
        self.stdout.write(
            f"Deleted {pruned.runs} runs ({pruned.executions} results, "
            f"{pruned.freshness_results} freshness checks) and {pruned.ingests} load records "
            f"older than {days} days."
        )
