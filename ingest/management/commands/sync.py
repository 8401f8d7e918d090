"""`manage.py sync NAME [--async]`: pull an environment from dbt Cloud's Discovery API."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser, OutputWrapper

from catalog.models import Environment
from ingest.management.commands.ingest import Command as IngestCommand
from ingest.services import IngestError, sync_environment, sync_environment_queue


class SyncProgress:
    """Phase, pages and nodes as they go: redrawn in place on a terminal, a line per phase
    otherwise (the fetch phases have no total until the last page)."""

    def __init__(self, stream: OutputWrapper) -> None:
        self.stream = stream
        self.tty = stream.isatty()
        self.phase = ""
        self.started = time.monotonic()

    def __call__(self, phase: str, done: int, total: int, pages: int) -> None:
        elapsed = time.monotonic() - self.started
        count = f"{done}/{total}" if total else (str(done) if done else "")
        line = f"{elapsed:7.1f}s  {phase:<26}{count:>13}  {pages:>5} pages"
        if self.tty:
            self.stream.write(f"\r{line}", ending="")
            self.stream.flush()
        elif phase != self.phase:
            self.stream.write(line)
            self.stream.flush()
        self.phase = phase

    def close(self) -> None:
        if self.tty:
            self.stream.write("")
            self.stream.flush()


class Command(BaseCommand):
    help = "Sync an environment from dbt Cloud (the Discovery API) now, or queue it (--async)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("name", help="the environment's name (manage.py environment list)")
        parser.add_argument(
            "--async",
            action="store_true",
            dest="queue",
            help="queue the sync on a Celery worker and print the ingest id",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        environment = Environment.objects.filter(name=options["name"]).first()
        if environment is None:
            raise CommandError(
                f'no environment "{options["name"]}": see manage.py environment list'
            )
        if options["queue"]:
            ingest = sync_environment_queue(environment=environment)
            self.stdout.write(f'Queued sync #{ingest.pk} of environment "{environment.name}"')
            return
        progress = SyncProgress(self.stderr)
        try:
            ingest = sync_environment(environment=environment, progress=progress)
        except IngestError as e:
            raise CommandError(str(e)) from e
        finally:
            progress.close()
        summary = IngestCommand()
        summary.stdout, summary.style = self.stdout, self.style
        summary.summary(ingest)
        counts = ingest.counts
        self.stdout.write(
            f"  requests: {counts.get('requests', 0)} ({counts.get('pages', 0)} pages, "
            f"{counts.get('retries', 0)} retried)"
        )
