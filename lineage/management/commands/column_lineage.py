"""`manage.py column_lineage ENV [--full]`: bring an environment's column lineage up to date."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from catalog.models import Environment
from lineage.columns.compute import column_lineage_compute


class Command(BaseCommand):
    help = "Compute column-level lineage for an environment (only what changed, unless --full)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("environment", help="environment name or id")
        parser.add_argument(
            "--full", action="store_true", help="parse every node again, changed or not"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        name = options["environment"]
        env = Environment.objects.filter(name=name).first()
        if env is None and name.isdigit():
            env = Environment.objects.filter(pk=int(name)).first()
        if env is None:
            raise CommandError(f'No environment "{name}": `manage.py environment list` names them')
        result = column_lineage_compute(environment=env, full=options["full"])
        statuses = ", ".join(f"{n} {s}" for s, n in sorted(result.statuses.items())) or "none"
        self.stdout.write(
            self.style.SUCCESS(
                f'Column lineage of "{env.name}": {result.nodes} models and snapshots, '
                f"{result.parsed} parsed again ({statuses}), {result.removed} removed, "
                f"in {result.seconds:.1f} s"
            )
        )
