"""`manage.py environment add NAME [...]` and `manage.py environment list`."""

from __future__ import annotations

import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from catalog.models import Environment
from ingest.schedules import cron_parse, environment_schedule_apply
from ingest.secrets import environment_secrets_set
from ingest.services import IngestError, environment_create
from ingest.sources.discovery import DiscoveryError, metadata_url


class Command(BaseCommand):
    help = "Manage environments: add one, or list them."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        add = sub.add_parser("add", help="create an environment")
        add.add_argument("name")
        add.add_argument("--discovery-url", default="", help="dbt Cloud Discovery API URL")
        add.add_argument(
            "--access-url",
            default="",
            help="dbt Cloud access URL (https://ab123.us1.dbt.com): the Discovery API URL is "
            "derived from it, as dbt's clients do",
        )
        add.add_argument(
            "--region", default="", help="dbt Cloud region (us1, eu2, emea...), with --access-url"
        )
        add.add_argument("--dbt-environment-id", type=int, help="dbt Cloud environment id")
        add.add_argument("--dbt-account-id", type=int, help="dbt Cloud account id")
        add.add_argument(
            "--token-env",
            default="",
            metavar="VAR",
            help="name of the environment variable holding the dbt Cloud token",
        )
        add.add_argument(
            "--token-stdin",
            action="store_true",
            help="read the dbt Cloud token from standard input and store it encrypted",
        )
        add.add_argument(
            "--webhook-secret-stdin",
            action="store_true",
            help="read the dbt Cloud webhook's secret key from standard input (a line after the "
            "token when both are given) and store it encrypted",
        )
        add.add_argument(
            "--job-id",
            type=int,
            action="append",
            default=[],
            help="a dbt Cloud job whose webhooks trigger a sync (repeatable; default: every job)",
        )
        add.add_argument(
            "--schedule",
            default="",
            metavar="CRON",
            help="sync on this cron schedule, UTC (e.g. '0 6 * * *'), run by celery beat",
        )
        sub.add_parser("list", help="list environments")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "add":
            discovery_url = options["discovery_url"]
            try:
                if not discovery_url and (options["access_url"] or options["region"]):
                    discovery_url = metadata_url(
                        access_url=options["access_url"], region=options["region"]
                    )
            except DiscoveryError as e:
                raise CommandError(str(e)) from e
            lines = (
                iter(sys.stdin.read().splitlines())
                if (options["token_stdin"] or options["webhook_secret_stdin"])
                else iter(())
            )
            token = next(lines, "").strip() if options["token_stdin"] else None
            secret = next(lines, "").strip() if options["webhook_secret_stdin"] else None
            if token == "" or secret == "":
                raise CommandError("standard input held no token or secret (one per line)")
            try:
                with transaction.atomic():
                    env = environment_create(
                        name=options["name"],
                        discovery_url=discovery_url,
                        dbt_environment_id=options["dbt_environment_id"],
                        dbt_account_id=options["dbt_account_id"],
                        token_env_var=options["token_env"],
                    )
                    env.dbt_job_ids = options["job_id"]
                    env.sync_schedule = " ".join(options["schedule"].split())
                    if env.sync_schedule:
                        cron_parse(env.sync_schedule)
                        if env.feed != Environment.Feed.DBT_CLOUD:
                            raise IngestError(
                                "--schedule needs a dbt Cloud environment (--discovery-url or "
                                "--access-url, and --dbt-environment-id)"
                            )
                    env.save(update_fields=["dbt_job_ids", "sync_schedule"])
                    environment_secrets_set(environment=env, token=token, webhook_secret=secret)
                    environment_schedule_apply(environment=env)
            except IngestError as e:
                raise CommandError(str(e)) from e
            self.stdout.write(self.style.SUCCESS(f'Created environment "{env.name}" (id {env.pk})'))
            if env.sync_schedule:
                self.stdout.write(
                    f"Syncs on schedule {env.sync_schedule} (UTC), run by celery beat"
                )
            return
        rows = Environment.objects.prefetch_related("projects").order_by("id")
        if not rows:
            self.stdout.write("No environments yet: `manage.py ingest PATH` creates one.")
            return
        self.stdout.write(f"{'id':>4}  {'name':<24}{'feed':<11}{'projects':<28}last loaded")
        for env in rows:
            projects = ", ".join(p.name for p in env.projects.all()) or "-"
            loaded = (
                env.last_loaded_at.strftime("%Y-%m-%d %H:%M UTC") if env.last_loaded_at else "never"
            )
            default = " *" if env.is_default else ""
            self.stdout.write(
                f"{env.pk:>4}  {env.name + default:<24}{env.feed:<11}{projects:<28}{loaded}"
            )
