"""Artifacts pushed over HTTP (POST /api/environments/<id>/artifacts), loaded on a worker.

The files are written to LANTERN_UPLOAD_DIR/<environment id>/<random folder>/ under the names
of their fields (manifest.json, catalog.json, run_results*.json, sources.json,
each ".gz" when sent gzipped), then queued as an Ingest. The reader checks each file (size,
JSON, schema); a bad file fails the ingest and the catalog keeps its previous snapshot.
The folder is removed once the load has ended, unless LANTERN_UPLOAD_KEEP.
"""

from __future__ import annotations

import secrets
import shutil
from collections.abc import Iterable, Mapping
from pathlib import Path

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from catalog.models import Environment, Ingest
from ingest.services import IngestError, artifacts_ingest_queue

# The form fields an upload may carry; run_results may come several times (one per dbt command).
FIELDS = ("manifest", "catalog", "run_results", "sources", "semantic_manifest")
GZIP_MAGIC = b"\x1f\x8b"


class UploadTooLarge(IngestError):
    """More than LANTERN_UPLOAD_MAX_BYTES in one request (HTTP 413)."""


def _file_name(field: str, index: int, count: int, head: bytes) -> str:
    stem = field if count == 1 else f"{field}_{index + 1:02d}"
    return f"{stem}.json" + (".gz" if head.startswith(GZIP_MAGIC) else "")


def upload_queue(
    *,
    environment: Environment,
    files: Mapping[str, Iterable[UploadedFile[bytes]]],
    project_name: str = "",
) -> Ingest:
    """Store the uploaded artifacts and queue their load; the queued Ingest to poll.

    Raises IngestError for an upload without a file Lantern reads, or UploadTooLarge.
    """
    chosen = {field: list(files.get(field, ())) for field in FIELDS}
    unknown = sorted(set(files) - set(FIELDS))
    if unknown:
        raise IngestError(
            f"unknown upload field(s) {', '.join(unknown)}: send {', '.join(FIELDS)} "
            "(run_results may repeat)"
        )
    if not any(chosen.values()):
        raise IngestError(f"no artifact in the upload: send at least one of {', '.join(FIELDS)}")
    total = sum(f.size or 0 for group in chosen.values() for f in group)
    if total > settings.LANTERN_UPLOAD_MAX_BYTES:
        limit = settings.LANTERN_UPLOAD_MAX_BYTES
        raise UploadTooLarge(
            f"the upload holds {total:,} bytes, more than the {limit:,} allowed "
            "(LANTERN_UPLOAD_MAX_MB)"
        )
    folder = Path(settings.LANTERN_UPLOAD_DIR) / str(environment.pk) / secrets.token_hex(8)
    folder.mkdir(parents=True)
    try:
        paths = []
        for field, group in chosen.items():
            for index, upload in enumerate(group):
                head = upload.read(2)
                upload.seek(0)
                paths.append(folder / _file_name(field, index, len(group), head))
                with paths[-1].open("wb") as out:
                    for chunk in upload.chunks():
                        out.write(chunk)
        with transaction.atomic():
            return artifacts_ingest_queue(
                paths=paths,
                environment=environment,
                project_name=project_name,
                source=Ingest.Source.UPLOAD,
            )
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise


def upload_cleanup(*, ingest: Ingest) -> None:
    """Remove an ended upload's files (they are in the catalog now, or were refused)."""
    if ingest.source != Ingest.Source.UPLOAD or settings.LANTERN_UPLOAD_KEEP:
        return
    root = Path(settings.LANTERN_UPLOAD_DIR).resolve()
    for name in ingest.paths:
        folder = Path(name).resolve().parent
        if folder.is_relative_to(root) and folder.parent.parent == root:
            shutil.rmtree(folder, ignore_errors=True)
