from __future__ import annotations

import os

import pytest
import redis

from tests.conftest import CI

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


def redis_available() -> bool:
    try:
        return bool(redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2).ping())
    except redis.RedisError:
        return False


@pytest.mark.django_db
def test_it_reports_the_database(client) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "database": "ok",
        "broker": "not configured (tasks run inline)",
    }


@pytest.mark.django_db
def test_it_checks_a_real_broker(client, settings) -> None:
    if not redis_available():
        if CI:
            pytest.fail(f"Redis is required with CI=true and does not answer at {REDIS_URL}")
        pytest.skip(f"Redis not reachable at {REDIS_URL}")
    from lantern.celery import app

    settings.REDIS_URL = REDIS_URL
    app.conf.broker_url = REDIS_URL
    try:
        response = client.get("/healthz")
    finally:
        app.conf.broker_url = settings.CELERY_BROKER_URL
    assert response.status_code == 200
    assert response.json()["broker"] == "ok"


@pytest.mark.django_db
def test_it_answers_503_when_the_broker_is_down(client, settings) -> None:
    from lantern.celery import app

    settings.REDIS_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    app.conf.broker_url = settings.REDIS_URL
    try:
        response = client.get("/healthz")
    finally:
        app.conf.broker_url = settings.CELERY_BROKER_URL
    assert response.status_code == 503
    assert response.json()["broker"].startswith("error")
