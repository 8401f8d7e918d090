"""Ingest actions: environments, and loading artifact files into them."""

from __future__ import annotations

import gc
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from catalog.models import (
    Column,
    Environment,
    Execution,
    FreshnessResult,
    Ingest,
    Node,
    Project,
    Run,
)
from ingest.load import LoadConflict, LoadResult, snapshot_load
from ingest.records import Snapshot
from ingest.sources.artifacts import ArtifactError, read_snapshot

Progress = Callable[[str, int, int], None]


class IngestError(Exception):
    """A load that did not happen; the message is for the user, the ingest record has it too."""


def environment_create(
    *,
    name: str,
    discovery_url: str = "",
    dbt_environment_id: int | None = None,
    dbt_account_id: int | None = None,
    token_env_var: str = "",
) -> Environment:
    """Create an environment; the first one becomes the default."""
    name = name.strip()
    if not name:
        raise IngestError("an environment needs a name")
    with transaction.atomic():
        if Environment.objects.filter(name=name).exists():
            raise IngestError(f'environment "{name}" already exists')
        feed = (
            Environment.Feed.DBT_CLOUD
            if discovery_url or dbt_environment_id
            else (Environment.Feed.ARTIFACTS)
        )
        return Environment.objects.create(
            name=name,
            feed=feed,
            discovery_url=discovery_url,
            dbt_environment_id=dbt_environment_id,
            dbt_account_id=dbt_account_id,
            token_env_var=token_env_var,
            is_default=not Environment.objects.filter(is_default=True).exists(),
        )


def environment_get_or_create(*, name: str | None) -> Environment:
    """The named environment (created if missing); without a name, the default one."""
    if name:
        env = Environment.objects.filter(name=name).first()
        return env or environment_create(name=name)
    env = Environment.objects.filter(is_default=True).first() or Environment.objects.first()
    return env or environment_create(name="default")


def _project_for_history(env: Environment, name: str) -> str:
    """Which project run results without a manifest belong to."""
    names = list(env.projects.values_list("name", flat=True))
    if name:
        if name not in names:
            raise ArtifactError(
                f'project "{name}" has no manifest loaded in environment "{env.name}" yet; '
                "load its manifest.json first"
            )
        return name
    if len(names) == 1:
        return names[0]
    if not names:
        raise ArtifactError(
            f'environment "{env.name}" has no manifest loaded yet: include manifest.json'
        )
    raise ArtifactError(
        f'environment "{env.name}" holds several projects ({", ".join(names)}): pass --project'
    )


def artifacts_ingest(
    *,
    paths: Sequence[Path],
    environment: Environment,
    project_name: str = "",
    source: str = Ingest.Source.ARTIFACTS,
    progress: Progress | None = None,
) -> Ingest:
    """Load artifact files or folders into `environment` now, recording the outcome.

    Returns the Ingest record of a successful load. Bad input raises IngestError with a
    one-line message, after recording it on a failed Ingest; nothing stored is touched.
    """
    ingest = _ingest_create(
        environment=environment,
        paths=paths,
        project_name=project_name,
        source=source,
        status=Ingest.Status.RUNNING,
    )
    return ingest_run(ingest=ingest, progress=progress)


def artifacts_ingest_queue(
    *,
    paths: Sequence[Path],
    environment: Environment,
    project_name: str = "",
    source: str = Ingest.Source.ARTIFACTS,
) -> Ingest:
    """Record a load and hand it to a Celery worker (inline when no broker is configured).

    Returns the queued Ingest at once; its status says how the load went. The task is sent
    only once the transaction that created the record commits, so a worker always finds it.
    """
    from ingest.tasks import ingest_run_task

    ingest = _ingest_create(
        environment=environment,
        paths=paths,
        project_name=project_name,
        source=source,
        status=Ingest.Status.QUEUED,
    )
    transaction.on_commit(lambda: ingest_run_task.delay(ingest.pk))
    return ingest


def _ingest_create(
    *,
    environment: Environment,
    paths: Sequence[Path],
    project_name: str,
    source: str,
    status: str,
) -> Ingest:
    return Ingest.objects.create(
        environment=environment,
        source=source,
        status=status,
        started_at=timezone.now(),
        paths=[str(p) for p in paths],
        project_name=project_name,
        files=[{"name": str(p)} for p in paths],
    )


def ingest_claim(*, ingest_id: int, retrying: bool = False) -> Ingest | None:
    """Take a queued ingest for running; None when another worker has it or it is done.

    A compare-and-set on the status, so a task delivered twice runs once. A redelivered task
    (its worker died mid-load) may take back a running ingest: the load is atomic, so the
    dead worker wrote nothing.
    """
    claimable = [Ingest.Status.QUEUED] + ([Ingest.Status.RUNNING] if retrying else [])
    claimed = Ingest.objects.filter(pk=ingest_id, status__in=claimable).update(
        status=Ingest.Status.RUNNING, started_at=timezone.now()
    )
    return Ingest.objects.select_related("environment").get(pk=ingest_id) if claimed else None


# Another load of the same project may commit between our read and our write; we then read
# again against what it stored. Past this many tries the loads are racing: say so.
LOAD_ATTEMPTS = 3


def ingest_run(*, ingest: Ingest, progress: Progress | None = None) -> Ingest:
    """Read the ingest's files and load them; records success or failure on the ingest."""
    started = time.monotonic()
    try:
        for attempt in range(1, LOAD_ATTEMPTS + 1):
            try:
                result = _read_and_load(ingest, progress)
                break
            except LoadConflict:
                if attempt == LOAD_ATTEMPTS:
                    raise
    except (ArtifactError, LoadConflict) as e:
        _fail(ingest, str(e), started)
        raise IngestError(str(e)) from e
    except Exception as e:
        _fail(ingest, f"{type(e).__name__}: {e}", started)
        raise
    ingest.project_id = result.project_id
    ingest.counts = {**project_counts(result.project_id), **result.counts}
    ingest.status = Ingest.Status.SUCCEEDED
    ingest.finished_at = timezone.now()
    ingest.duration = time.monotonic() - started
    ingest.save()
    if result.changed and settings.REDIS_URL:
        # With a shared cache, a worker computes the new snapshot's reports before the first
        # visitor asks; without one each process computes its own on first use.
        from ingest.tasks import reports_warm_task

        environment_id = ingest.environment_id
        transaction.on_commit(lambda: reports_warm_task.delay(environment_id))
    return ingest


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector for a bulk read.

    Parsing a manifest allocates millions of dicts and lists; each allocation burst triggers a
    collection that walks every object alive, which doubles the time of a large ingest.
    Artifacts hold no reference cycles, so reference counting frees them all the same.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _read_and_load(ingest: Ingest, progress: Progress | None) -> LoadResult:
    with gc_paused():
        return _read_and_load_now(ingest, progress)


def _read_and_load_now(ingest: Ingest, progress: Progress | None) -> LoadResult:
    environment = ingest.environment
    snapshot = read_snapshot(
        [Path(p) for p in ingest.paths],
        max_bytes=settings.LANTERN_MAX_ARTIFACT_BYTES,
        project_name=ingest.project_name,
        stored_hashes=lambda name: dict(
            Node.objects.filter(environment=environment, project__name=name).values_list(
                "unique_id", "content_hash"
            )
        ),
        known_ids=lambda name: set(
            Node.objects.filter(
                environment=environment, project__name=_project_for_history(environment, name)
            ).values_list("unique_id", flat=True)
        ),
        progress=progress,
    )
    name = (
        snapshot.project.name
        if snapshot.project
        else _project_for_history(environment, ingest.project_name)
    )
    _record_files(ingest, snapshot)
    return snapshot_load(
        environment=environment,
        project_name=name,
        snapshot=snapshot,
        ingest=ingest,
        progress=progress,
    )


def _record_files(ingest: Ingest, snapshot: Snapshot) -> None:
    ingest.files = [
        {
            k: v
            for k, v in (
                ("name", f.name),
                ("kind", f.kind),
                ("schema_version", f.schema_version),
                ("bytes", f.bytes),
                ("skipped", f.skipped),
            )
            if v
        }
        for f in snapshot.files
    ]
    ingest.warnings = list(snapshot.warnings)


def _fail(ingest: Ingest, message: str, started: float) -> None:
    ingest.status = Ingest.Status.FAILED
    ingest.error = message
    ingest.finished_at = timezone.now()
    ingest.duration = time.monotonic() - started
    ingest.save()


def project_counts(project_id: int) -> dict[str, int]:
    """Nodes per resource type and columns, as stored now."""
    counts = dict(
        Node.objects.filter(project_id=project_id)
        .values_list("resource_type")
        .annotate(n=Count("id"))
        .order_by()
    )
    counts["columns"] = Column.objects.filter(node__project_id=project_id).count()
    return counts


def project_get(*, environment: Environment, name: str) -> Project | None:
    return environment.projects.filter(name=name).first()


# --------------------------------------------------------------------------------------------
# Retention


@dataclass
class Pruned:
    runs: int = 0
    executions: int = 0
    freshness_results: int = 0
    ingests: int = 0


def history_prune(*, days: int, environment: Environment | None = None) -> Pruned:
    """Delete run history and load records older than `days` days (0: keep everything).

    Never deleted: a run that holds a node's latest result, latest success or latest freshness
    check (the pages' "last run" and health signals read those), and each environment's
    latest successful load. One environment at a time, under its lock, so that no load is
    pointing nodes at a run while it goes; the environment's generation is bumped so cached
    reports are computed again.
    """
    pruned = Pruned()
    if days <= 0:
        return pruned
    cutoff = timezone.now() - timedelta(days=days)
    environments = [environment] if environment else list(Environment.objects.all())
    for env in environments:
        with transaction.atomic():
            locked = Environment.objects.select_for_update().get(pk=env.pk)
            nodes = Node.objects.filter(environment=locked)
            kept = (
                set(
                    nodes.exclude(last_execution=None).values_list(
                        "last_execution__run_id", flat=True
                    )
                )
                | set(
                    nodes.exclude(last_success_execution=None).values_list(
                        "last_success_execution__run_id", flat=True
                    )
                )
                | set(
                    nodes.exclude(last_freshness=None).values_list(
                        "last_freshness__run_id", flat=True
                    )
                )
            )
            old = Run.objects.filter(environment=locked, generated_at__lt=cutoff).exclude(
                pk__in=kept
            )
            run_ids = list(old.values_list("pk", flat=True))
            pruned.executions += Execution.objects.filter(run_id__in=run_ids).count()
            pruned.freshness_results += FreshnessResult.objects.filter(run_id__in=run_ids).count()
            for start in range(0, len(run_ids), 900):
                Run.objects.filter(pk__in=run_ids[start : start + 900]).delete()
            pruned.runs += len(run_ids)
            latest = (
                Ingest.objects.filter(environment=locked, status=Ingest.Status.SUCCEEDED)
                .order_by("-started_at", "-id")
                .values_list("pk", flat=True)
                .first()
            )
            ingests = Ingest.objects.filter(environment=locked, started_at__lt=cutoff)
            if latest is not None:
                ingests = ingests.exclude(pk=latest)
            pruned.ingests += ingests.count()
            ingests.delete()
            if run_ids:
                locked.generation += 1
                locked.save(update_fields=["generation"])
    return pruned
