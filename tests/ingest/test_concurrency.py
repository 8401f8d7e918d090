"""Two loads of one project at the same time: they never interleave, and neither is lost."""

from __future__ import annotations

import shutil
import threading
from pathlib import Path

import pytest
from django.db import connection

from catalog.models import Environment, Ingest, Node
from ingest import services
from ingest.services import artifacts_ingest
from tests.conftest import read_json, run_ingest, shared_database_url, write_json

EDITED = ("model.jaffle_shop.orders", "model.jaffle_shop.customers")


def load_in_thread(paths: list[Path], env: Environment, errors: list[BaseException]):
    def target() -> None:
        try:
            artifacts_ingest(paths=paths, environment=env)
        except BaseException as e:  # noqa: BLE001 - the test reports it
            errors.append(e)
        finally:
            connection.close()

    return threading.Thread(target=target)


@pytest.mark.django_db(transaction=True)
def test_two_loads_at_once_end_with_one_whole_snapshot(
    jaffle: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shared_database_url()  # each thread opens its own connection to the test database
    run_ingest(str(jaffle), "--environment", "prod")
    env = Environment.objects.get(name="prod")
    manifest = read_json(jaffle / "manifest.json")
    original = {uid: manifest["nodes"][uid]["description"] for uid in EDITED}
    for uid in EDITED:
        manifest["nodes"][uid]["description"] = "Edited while another load ran."
    edited = write_json(tmp_path / "edited" / "manifest.json", manifest).parent
    shutil.copy(jaffle / "catalog.json", edited / "catalog.json")

    # Both loads read the stored snapshot before either writes: the widest race there is.
    barrier = threading.Barrier(2, timeout=30)
    real_read = services.read_snapshot
    state = threading.local()

    def read_then_wait(*args, **kwargs):
        snapshot = real_read(*args, **kwargs)
        if not getattr(state, "waited", False):
            state.waited = True
            barrier.wait()
        return snapshot

    monkeypatch.setattr(services, "read_snapshot", read_then_wait)
    errors: list[BaseException] = []
    threads = [load_in_thread([jaffle], env, errors), load_in_thread([edited], env, errors)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)

    assert not errors, errors
    assert list(Ingest.objects.values_list("status", flat=True)) == ["succeeded"] * 3
    # One of the two snapshots, whole: never one node from each.
    descriptions = dict(
        Node.objects.filter(unique_id__in=EDITED).values_list("unique_id", "description")
    )
    assert descriptions in (original, dict.fromkeys(EDITED, "Edited while another load ran."))
    assert Node.objects.filter(resource_type="model").count() == 22
