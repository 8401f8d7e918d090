"""Artifacts pushed over HTTP, as a CI job does after `dbt build`: a token, multipart files
(gzip or not), a size limit, a load on a worker whose status can be polled."""

from __future__ import annotations

import gzip
import time
from pathlib import Path

import pytest
from django.contrib.auth.models import Permission, User
from django.core.files.uploadedfile import SimpleUploadedFile

from catalog.models import Environment, Ingest, Node
from catalog.tokens import api_token_create
from ingest.services import environment_create
from tests.conftest import EXAMPLE, run_ingest
from tests.ingest.test_tasks import celery_worker  # noqa: F401 - a fixture


@pytest.fixture
def uploads(settings, tmp_path: Path, monkeypatch) -> Path:
    """The upload folder, shared with a worker process started after this fixture."""
    settings.LANTERN_UPLOAD_DIR = tmp_path / "uploads"
    monkeypatch.setenv("LANTERN_UPLOAD_DIR", str(settings.LANTERN_UPLOAD_DIR))
    return settings.LANTERN_UPLOAD_DIR


@pytest.fixture
def ci_token(transactional_db) -> str:
    """The token of a CI user allowed to load artifacts. (Transactional, as requests are not
    in a test's transaction: a queued load starts once the upload commits.)"""
    user = User.objects.create_user("ci")
    user.user_permissions.add(Permission.objects.get(codename="add_ingest"))
    return api_token_create(user=user, name="ci")[1]


def artifact(name: str, *, gz: bool = False, data: bytes | None = None) -> SimpleUploadedFile:
    content = (EXAMPLE / name).read_bytes() if data is None else data
    return SimpleUploadedFile(
        name + (".gz" if gz else ""), gzip.compress(content) if gz else content
    )


def upload(client, env_id: int, token: str | None, **files):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}
    return client.post(f"/api/environments/{env_id}/artifacts", data=files, **headers)


def test_an_upload_loads_gzip_and_plain_files_and_can_be_polled(
    client, uploads: Path, ci_token: str
) -> None:
    env = environment_create(name="ci")
    response = upload(
        client,
        env.pk,
        ci_token,
        manifest=artifact("manifest.json", gz=True),
        catalog=artifact("catalog.json"),
        run_results=[
            artifact("run_results_01_build.json", gz=True),
            artifact("run_results_02_build.json"),
        ],
        sources=artifact("sources.json"),
    )
    assert response.status_code == 202, response.content
    answer = response.json()
    # Without a broker the load ran inline, before the answer
    assert answer["status"] == "succeeded", answer["error"]
    assert answer["source"] == "upload"
    assert answer["counts"]["runs_added"] == 3  # two builds and a freshness check
    assert Node.objects.filter(environment=env, resource_type="model").exists()
    assert not any(uploads.rglob("*.json*")), "the files are gone once loaded"

    polled = client.get(answer["status_url"], HTTP_AUTHORIZATION=f"Token {ci_token}")
    assert polled.status_code == 200
    assert polled.json()["status"] == "succeeded"
    assert polled.json()["ingest_id"] == answer["ingest_id"]
    assert client.get(answer["status_url"]).status_code == 401, "no token, no login"
    assert (
        client.get("/api/ingests/999999", HTTP_AUTHORIZATION=f"Token {ci_token}").status_code == 404
    )


@pytest.mark.parametrize(
    ("header", "status"),
    [(None, 401), ("Bearer lnt_unknown", 401), ("Basic abc", 401)],
)
def test_without_a_valid_token_nothing_is_loaded(client, uploads, ci_token, header, status) -> None:
    env = environment_create(name="ci")
    extra = {"HTTP_AUTHORIZATION": header} if header else {}
    response = client.post(
        f"/api/environments/{env.pk}/artifacts",
        data={"manifest": artifact("manifest.json")},
        **extra,
    )
    assert response.status_code == status
    assert response["WWW-Authenticate"] == "Bearer"
    assert not Ingest.objects.exists()


def test_a_token_of_a_user_without_the_permission_is_forbidden(client, uploads, ci_token) -> None:
    env = environment_create(name="ci")
    token = api_token_create(user=User.objects.create_user("reader"))[1]
    response = upload(client, env.pk, token, manifest=artifact("manifest.json"))
    assert response.status_code == 403
    assert not Ingest.objects.exists()


def test_over_the_size_limit_is_refused_before_anything_is_stored(
    client, settings, uploads: Path, ci_token: str
) -> None:
    settings.LANTERN_UPLOAD_MAX_BYTES = 100_000
    env = environment_create(name="ci")
    response = upload(client, env.pk, ci_token, manifest=artifact("manifest.json"))
    assert response.status_code == 413
    assert "LANTERN_UPLOAD_MAX_MB" in response.json()["error"]
    assert not Ingest.objects.exists()
    assert not any(uploads.rglob("*")) if uploads.exists() else True


def test_files_over_the_limit_in_a_request_under_it_are_refused_too(
    client, settings, uploads: Path, ci_token: str
) -> None:
    """A request declaring less than the limit plus multipart's overhead is read; the files'
    own sizes decide then."""
    size = (EXAMPLE / "catalog.json").stat().st_size
    settings.LANTERN_UPLOAD_MAX_BYTES = size - 1
    env = environment_create(name="ci")
    response = upload(client, env.pk, ci_token, catalog=artifact("catalog.json"))
    assert response.status_code == 413
    assert f"holds {size:,} bytes" in response.json()["error"]
    assert not Ingest.objects.exists()


def test_bad_files_fail_the_load_and_keep_the_previous_snapshot(
    client, uploads: Path, ci_token: str
) -> None:
    run_ingest(str(EXAMPLE), "--environment", "ci")
    env = Environment.objects.get(name="ci")
    before = Node.objects.filter(environment=env).count()
    response = upload(
        client, env.pk, ci_token, manifest=artifact("manifest.json", data=b'{"metadata": {"dbt_')
    )
    assert response.status_code == 202
    answer = response.json()
    assert answer["status"] == "failed"
    assert "manifest" in answer["error"], answer["error"]
    assert "JSON" in answer["error"], answer["error"]
    assert Node.objects.filter(environment=env).count() == before
    assert not any(uploads.rglob("*.json*")), "refused files are removed too"


def test_unknown_fields_and_empty_uploads_are_bad_requests(client, uploads, ci_token) -> None:
    env = environment_create(name="ci")
    response = upload(client, env.pk, ci_token, manfest=artifact("manifest.json"))
    assert response.status_code == 400
    assert "manfest" in response.json()["error"]
    assert upload(client, env.pk, ci_token).status_code == 400
    assert upload(client, 424242, ci_token, manifest=artifact("manifest.json")).status_code == 404
    assert not Ingest.objects.exists()


@pytest.mark.slow
def test_a_real_worker_loads_the_upload(
    client,
    settings,
    uploads: Path,
    ci_token: str,
    celery_worker: Path,  # noqa: F811
) -> None:
    env = environment_create(name="ci")
    response = upload(
        client,
        env.pk,
        ci_token,
        manifest=artifact("manifest.json", gz=True),
        catalog=artifact("catalog.json"),
    )
    assert response.status_code == 202
    assert response.json()["status"] in ("queued", "running")  # a worker has it now
    deadline = time.monotonic() + 120
    while True:
        state = client.get(response.json()["status_url"], HTTP_AUTHORIZATION=f"Bearer {ci_token}")
        if state.json()["status"] not in ("queued", "running"):
            break
        assert time.monotonic() < deadline, celery_worker.read_text()
        time.sleep(0.3)
    assert state.json()["status"] == "succeeded", state.json()["error"]
    assert "Task ingest.tasks.ingest_run_task[" in celery_worker.read_text()
    assert Node.objects.filter(environment=env, resource_type="model").exists()
    while any(uploads.rglob("*.json*")):  # the worker removes them right after the load
        assert time.monotonic() < deadline, celery_worker.read_text()
        time.sleep(0.1)
