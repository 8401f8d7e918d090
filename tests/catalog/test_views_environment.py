"""The environment overview, the welcome page, access."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.contrib.auth.models import User

from catalog.models import Environment, Node
from tests.catalog.conftest import MANIFEST
from tests.conftest import run_ingest


@pytest.mark.django_db
def test_it_redirects_home_to_the_default_environment(env: Environment, client) -> None:
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == f"/env/{env.pk}/"


@pytest.mark.django_db
def test_it_shows_a_welcome_page_without_environments(client, settings) -> None:
    settings.ANONYMOUS_READ = True
    response = client.get("/")
    assert response.status_code == 200
    assert b"manage.py ingest" in response.content


@pytest.mark.django_db
def test_the_overview_counts_what_the_manifest_holds(
    demo: Environment, client, django_assert_max_num_queries
) -> None:
    with django_assert_max_num_queries(20):
        html = client.get(f"/env/{demo.pk}/").content.decode()
    models = [n for n in MANIFEST["nodes"].values() if n["resource_type"] == "model"]
    documented = [m for m in models if m["description"].strip()]
    assert f'data-type="model">Model <span class="count">{len(models)}</span>' in html
    assert f"{len(documented)} of {len(models)} models have a description" in html
    sources = len(MANIFEST["sources"])
    assert f'data-type="source">Source <span class="count">{sources}</span>' in html
    # a second view comes from the cache: a handful of queries whatever the project's size
    with django_assert_max_num_queries(5):
        client.get(f"/env/{demo.pk}/")


@pytest.mark.django_db
def test_the_old_type_links_redirect_to_the_list(env: Environment, client) -> None:
    response = client.get(f"/env/{env.pk}/?type=model")
    assert response.status_code == 302
    assert response["Location"] == f"/env/{env.pk}/nodes?type=model"


@pytest.mark.django_db
def test_pages_need_a_login_unless_anonymous_read_is_on(env: Environment, client, settings) -> None:
    settings.ANONYMOUS_READ = False
    urls = [
        f"/env/{env.pk}/",
        f"/env/{env.pk}/nodes?type=model",
        f"/env/{env.pk}/nodes/model.jaffle_shop.orders",
        f"/env/{env.pk}/columns/model.jaffle_shop.orders/order_id",
        f"/env/{env.pk}/search?q=orders",
        f"/env/{env.pk}/search/suggest?q=ord",
        f"/env/{env.pk}/browse",
        f"/env/{env.pk}/governance",
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/accounts/login/")

    client.force_login(User.objects.create_user("alice"))
    for url in urls:
        assert client.get(url).status_code == 200, url


@pytest.mark.django_db
def test_the_login_page_does_not_list_environments(env: Environment, client, settings) -> None:
    settings.ANONYMOUS_READ = False
    html = client.get("/accounts/login/").content.decode()
    assert "data-env-switch" not in html
    assert env.name not in html


@pytest.mark.django_db
def test_the_environment_switcher_lists_every_environment(
    env: Environment, jaffle: Path, client
) -> None:
    run_ingest(str(jaffle), "--environment", "staging")
    html = client.get(f"/env/{env.pk}/").content.decode()
    for e in Environment.objects.all():
        assert f'<option value="/env/{e.pk}/"' in html


@pytest.mark.django_db
def test_unknown_environments_are_404(client, settings) -> None:
    settings.ANONYMOUS_READ = True
    assert client.get("/env/999/").status_code == 404
    assert client.get("/env/999/nodes").status_code == 404


@pytest.mark.django_db
def test_it_shows_a_failed_load_and_keeps_the_previous_snapshot(
    env: Environment, client, tmp_path: Path
) -> None:
    broken = tmp_path / "manifest.json"
    broken.write_text("{")
    with pytest.raises(Exception):  # noqa: B017, PT011 - the command's own error
        run_ingest(str(broken), "--environment", "prod")

    html = client.get(f"/env/{env.pk}/").content.decode()

    assert "Last load: <strong>failed</strong>" in html
    assert "manifest.json: not valid JSON" in html
    assert "The catalog is the previous snapshot" in html
    models = Node.objects.filter(resource_type="model").count()
    assert f'data-type="model">Model <span class="count">{models}</span>' in html
