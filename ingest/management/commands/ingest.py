"""`manage.py ingest PATH... [--environment NAME] [--project NAME]`: load dbt artifacts."""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Any, TextIO

from django.core.management.base import BaseCommand, CommandError, CommandParser

from catalog.models import Ingest
from catalog.selectors import RESOURCE_TYPES
from ingest.services import IngestError, artifacts_ingest, environment_get_or_create


def plural(resource_type: str) -> str:
    """ "saved_query" -> "saved queries", "analysis" -> "analyses", "model" -> "models"."""
    words = resource_type.replace("_", " ")
    if words.endswith("y"):
        return words[:-1] + "ies"
    if words.endswith("sis"):
        return words[:-2] + "es"
    return words + "s"


class ProgressBar:
    """One line redrawn in place on a terminal; one line per phase otherwise (CI logs)."""

    def __init__(self, stream: TextIO, width: int = 30) -> None:
        self.stream = stream
        self.width = width
        self.tty = stream.isatty()
        self.phase = ""
        self.started = time.monotonic()

    def __call__(self, phase: str, done: int, total: int) -> None:
        if self.tty:
            fraction = done / total if total else 1.0
            filled = int(self.width * fraction)
            bar = "#" * filled + "." * (self.width - filled)
            elapsed = time.monotonic() - self.started
            line = f"\r[{bar}] {fraction:4.0%} {elapsed:6.1f}s  {phase[:50]:<50}"
            self.stream.write(line)
            self.stream.flush()
        elif phase != self.phase:
            self.stream.write(f"  {time.monotonic() - self.started:6.1f}s  {phase}\n")
            self.stream.flush()
        self.phase = phase

    def close(self) -> None:
        if self.tty:
            self.stream.write("\r" + " " * (self.width + 70) + "\r")
            self.stream.flush()


class Command(BaseCommand):
    help = (
        "Load dbt artifacts (a target/ folder, or manifest.json, catalog.json, run_results.json, "
        "sources.json files; .gz accepted) into an environment."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("paths", nargs="+", type=Path, metavar="PATH")
        parser.add_argument(
            "--environment",
            help="environment to load into (created if missing; default: the default environment)",
        )
        parser.add_argument(
            "--project", default="", help="dbt project name (default: the manifest's)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        environment = environment_get_or_create(name=options["environment"])
        bar = ProgressBar(sys.stderr)
        try:
            ingest = artifacts_ingest(
                paths=options["paths"],
                environment=environment,
                project_name=options["project"],
                progress=bar,
            )
        except IngestError as e:
            raise CommandError(str(e)) from e
        finally:
            bar.close()
        self.summary(ingest)

    def summary(self, ingest: Ingest) -> None:
        counts = ingest.counts
        out = self.stdout
        project = ingest.project.name if ingest.project else ""
        out.write(
            self.style.SUCCESS(
                f'Loaded project "{project}" into environment '
                f'"{ingest.environment.name}" in {ingest.duration:.1f}s (ingest #{ingest.pk})'
            )
        )
        types = [t for t in RESOURCE_TYPES if counts.get(t)] + sorted(
            t
            for t in counts
            if t not in RESOURCE_TYPES
            and t.isidentifier()
            and not t.startswith(("nodes_", "runs_", "columns", "executions_", "freshness_"))
        )
        for resource_type in types:
            out.write(f"  {plural(resource_type):<18}{counts[resource_type]:>8}")
        out.write(f"  {'columns':<18}{counts.get('columns', 0):>8}")
        if "nodes_added" in counts:
            out.write(
                f"  changes: {counts['nodes_added']} added, {counts['nodes_modified']} modified, "
                f"{counts['nodes_removed']} removed, {counts['nodes_unchanged']} unchanged"
            )
        out.write(
            f"  runs: {counts.get('runs_added', 0)} added ({counts.get('executions_added', 0)} "
            f"results, {counts.get('freshness_results_added', 0)} freshness checks), "
            f"{counts.get('runs_already_loaded', 0)} already loaded"
        )
        for warning in ingest.warnings:
            out.write(self.style.WARNING(f"  warning: {warning}"))
