"""Ingest actions: environments, and loading artifact files into them."""

from __future__ import annotations

import gc
import logging
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
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
from ingest.sources.discovery.client import Stats

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
    if result.changed:
        load_followups_queue(
            environment_id=ingest.environment_id, nodes_changed=result.nodes_changed
        )
    return ingest


def load_followups_queue(*, environment_id: int, nodes_changed: bool) -> None:
    """What follows a load or sync that changed the catalog, once it commits.

    With a shared cache, a worker computes the new snapshot's reports before the first visitor
    asks (without one each process computes its own on first use); column lineage is brought
    up to date when nodes changed (it reads nodes, their columns and edges, never runs: a load
    of run results alone would only compare 10,000 input hashes, 3 s, to find nothing).
    """
    if settings.REDIS_URL:
        from ingest.tasks import reports_warm_task

        transaction.on_commit(lambda: reports_warm_task.delay(environment_id))
    if nodes_changed:
        column_lineage_queue(environment_id=environment_id)


def column_lineage_queue(*, environment_id: int) -> None:
    """Bring column lineage up to date once the load commits: on a worker with Redis, inline
    without (eager Celery). A failure there leaves the load, and the previous lineage, as they
    are: it is logged, not raised into the ingest."""
    from lineage.tasks import column_lineage_task

    if not settings.LANTERN_COLUMN_LINEAGE_AFTER_LOAD:
        return

    def queue() -> None:
        try:
            column_lineage_task.delay(environment_id)
        except Exception:
            logging.getLogger(__name__).exception(
                "column lineage of environment #%s failed", environment_id
            )

    transaction.on_commit(queue)


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


# --------------------------------------------------------------------------------------------
# Sync from dbt Cloud (the Discovery API)

# A sync that has reported no progress for this long is taken for dead (its worker crashed):
# it no longer blocks the next one, and is recorded as failed when the next one starts.
SYNC_STALE_SECONDS = 15 * 60
# Progress is written to the ingest at most this often (and on every change of phase).
PROGRESS_EVERY = 0.5


class SyncSkipped(IngestError):
    """Another sync of the environment is running; this one was recorded as skipped."""


class SyncDone(IngestError):
    """A queued sync delivered again after it ran (or was skipped): nothing to do."""


def environment_token(environment: Environment) -> str:
    """The dbt Cloud token of an environment: its environment variable, else the stored one."""
    from ingest.secrets import environment_token as token_get

    return token_get(environment)


def environment_discovery_url(environment: Environment) -> str:
    """The Discovery endpoint. An access URL and region are turned into it when the
    environment is configured (`environment add --access-url`, the settings page)."""
    if environment.discovery_url:
        return environment.discovery_url
    raise IngestError(
        f'environment "{environment.name}" has no Discovery API URL: set it, or its dbt Cloud '
        "access URL (environment add --discovery-url URL or --access-url URL)"
    )


def _sync_stale(ingest: Ingest, now: datetime) -> bool:
    """A running sync that has reported no progress for SYNC_STALE_SECONDS: its worker died."""
    beat = (ingest.progress or {}).get("at") or ingest.started_at.timestamp()
    return now.timestamp() - float(beat) > SYNC_STALE_SECONDS


def _sync_claim(environment: Environment, run_id: int | None, ingest_id: int | None) -> Ingest:
    """Record a sync and take the environment's sync lock, or record why not.

    The lock is the running sync's Ingest row. Claims are serialised by the transaction:
    PostgreSQL locks the environment row; SQLite takes its write lock at BEGIN (IMMEDIATE).
    A running sync whose progress went silent for SYNC_STALE_SECONDS is dead and is failed.
    With `ingest_id`, the queued ingest (`sync_environment_queue`) is the one claimed.
    """
    now = timezone.now()
    paths = [f"dbt-cloud-run:{run_id}"] if run_id is not None else []
    with transaction.atomic():
        Environment.objects.select_for_update().filter(pk=environment.pk).first()
        queued = (
            Ingest.objects.filter(pk=ingest_id, environment=environment).first()
            if ingest_id is not None
            else None
        )
        if ingest_id is not None and (
            queued is None
            or not (
                queued.status == Ingest.Status.QUEUED
                # redelivered after its worker died mid-sync: take it back
                or (queued.status == Ingest.Status.RUNNING and _sync_stale(queued, now))
            )
        ):
            raise SyncDone(f"sync #{ingest_id} is not queued any more")
        running = None
        for other in Ingest.objects.filter(
            environment=environment, source=Ingest.Source.DISCOVERY, status=Ingest.Status.RUNNING
        ).order_by("id"):
            if queued is not None and other.pk == queued.pk:
                continue
            if _sync_stale(other, now):
                other.status = Ingest.Status.FAILED
                other.error = "abandoned: no progress for 15 minutes (its worker stopped)"
                other.finished_at = now
                other.save(update_fields=["status", "error", "finished_at"])
            else:
                running = other
        ingest = queued or Ingest(
            environment=environment, source=Ingest.Source.DISCOVERY, paths=paths
        )
        ingest.started_at = now
        if running is not None:
            ingest.status = Ingest.Status.SKIPPED
            ingest.error = f"skipped: sync #{running.pk} is running"
            ingest.finished_at = now
            ingest.duration = 0.0
            ingest.progress = {"phase": "skipped", "done": 0, "total": 0}
        else:
            ingest.status = Ingest.Status.RUNNING
            ingest.progress = {"phase": "starting", "done": 0, "total": 0, "at": now.timestamp()}
        ingest.save()
        return ingest


def sync_environment_queue(*, environment: Environment, run_id: int | None = None) -> Ingest:
    """Record a sync and hand it to a Celery worker (inline without a broker); returns the
    queued Ingest, whose status and progress say how it goes."""
    from ingest.tasks import sync_environment_task

    ingest = Ingest.objects.create(
        environment=environment,
        source=Ingest.Source.DISCOVERY,
        status=Ingest.Status.QUEUED,
        started_at=timezone.now(),
        paths=[f"dbt-cloud-run:{run_id}"] if run_id is not None else [],
        progress={"phase": "queued", "done": 0, "total": 0},
    )
    ingest_id, environment_id = ingest.pk, environment.pk
    transaction.on_commit(
        lambda: sync_environment_task.delay(environment_id, run_id, ingest_id=ingest_id)
    )
    return ingest


# A sync's progress: phase, nodes (or runs) done, their total when known, pages fetched.
SyncProgress = Callable[[str, int, int, int], None]


def _progress_writer(ingest: Ingest, echo: SyncProgress | None, stats: Stats) -> Progress:
    """A progress callback that records on the ingest (throttled) and echoes, with the pages
    fetched so far."""
    last_phase, last_time = [""], [0.0]

    def report(phase: str, done: int, total: int) -> None:
        if echo is not None:
            echo(phase, done, total, stats.pages)
        moment = time.monotonic()
        if phase == last_phase[0] and moment - last_time[0] < PROGRESS_EVERY:
            return
        last_phase[0], last_time[0] = phase, moment
        ingest.progress = {
            "phase": phase,
            "done": done,
            "total": total,
            "pages": stats.pages,
            "at": time.time(),
        }
        Ingest.objects.filter(pk=ingest.pk).update(progress=ingest.progress)

    return report


def sync_environment(
    *,
    environment: Environment,
    run_id: int | None = None,
    ingest_id: int | None = None,
    progress: SyncProgress | None = None,
    client_options: dict[str, object] | None = None,
) -> Ingest:
    """Pull an environment's metadata from dbt Cloud now, recording the outcome on an Ingest.

    `run_id` is the dbt Cloud run that prompted the sync (a webhook): a run already synced
    is not synced again. `ingest_id` names a queued sync to run. Two syncs of one
    environment never interleave: the second is recorded as "skipped: sync #N is running"
    and raises SyncSkipped. A failure is recorded on the ingest and raises IngestError; the
    stored snapshot is left as it was.
    """
    from ingest.sources.discovery import DiscoveryClient, DiscoveryError, read_environment

    if run_id is not None:
        done = Ingest.objects.filter(
            environment=environment,
            source=Ingest.Source.DISCOVERY,
            status=Ingest.Status.SUCCEEDED,
            paths=[f"dbt-cloud-run:{run_id}"],
        ).first()
        if done is not None:
            if ingest_id is not None:
                Ingest.objects.filter(pk=ingest_id, status=Ingest.Status.QUEUED).update(
                    status=Ingest.Status.SKIPPED,
                    finished_at=timezone.now(),
                    error=f"skipped: run {run_id} was synced by sync #{done.pk}",
                )
            return done
    ingest = _sync_claim(environment, run_id, ingest_id)
    if ingest.status == Ingest.Status.SKIPPED:
        raise SyncSkipped(ingest.error)
    started = time.monotonic()
    stats = Stats()
    report = _progress_writer(ingest, progress, stats)
    try:
        if environment.dbt_environment_id is None:
            raise IngestError(
                f'environment "{environment.name}" has no dbt Cloud environment id: set it '
                "(environment add --dbt-environment-id N)"
            )
        url = environment_discovery_url(environment)
        token = environment_token(environment)
        known_runs = {
            (int(job), int(run))
            for job, run in Run.objects.filter(environment=environment)
            .exclude(job_id=None)
            .exclude(run_id=None)
            .values_list("job_id", "run_id")
            if job is not None and run is not None
        }
        options: dict[str, object] = {"timeout": 30.0, **(client_options or {})}
        with DiscoveryClient(
            url=url,
            token=token,
            label=f'environment "{environment.name}"',
            stats=stats,
            **options,  # type: ignore[arg-type]
        ) as client:
            snapshot = read_environment(
                client,
                environment_id=environment.dbt_environment_id,
                known_runs=known_runs,
                progress=report,
                history_models=settings.LANTERN_SYNC_HISTORY_MODELS,
            )
        assert snapshot.project is not None
        ingest.project_name = snapshot.project.name
        report("loading", 0, len(snapshot.nodes or []))
        result = snapshot_load(
            environment=environment,
            project_name=snapshot.project.name,
            snapshot=snapshot,
            ingest=ingest,
            progress=report,
        )
    except (DiscoveryError, IngestError, LoadConflict) as e:
        _fail(ingest, str(e), started)
        raise IngestError(str(e)) from e
    except Exception as e:
        _fail(ingest, f"{type(e).__name__}: {e}", started)
        raise
    ingest.project_id = result.project_id
    ingest.counts = {
        **project_counts(result.project_id),
        **result.counts,
        "requests": stats.requests,
        "pages": stats.pages,
        "retries": stats.retries,
    }
    ingest.progress = {
        "phase": "done",
        "done": len(snapshot.nodes or []),
        "total": len(snapshot.nodes or []),
        "pages": stats.pages,
        "at": time.time(),
    }
    ingest.status = Ingest.Status.SUCCEEDED
    ingest.finished_at = timezone.now()
    ingest.duration = time.monotonic() - started
    ingest.save()
    if result.changed:
        load_followups_queue(environment_id=environment.pk, nodes_changed=result.nodes_changed)
    return ingest
