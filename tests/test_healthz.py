from __future__ import annotations

import pytest


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
def test_it_checks_a_real_broker(client, settings, redis_url: str) -> None:
    from lantern.celery import app

    settings.REDIS_URL = redis_url
    app.conf.broker_url = redis_url
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
