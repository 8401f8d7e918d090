"""The first pages: an environment's counts and node list, and a plain node page."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from catalog.models import Column, Environment, Node
from tests.conftest import EXAMPLE, read_json, run_ingest, write_json


@pytest.fixture
def env(jaffle: Path, settings) -> Environment:
    settings.ANONYMOUS_READ = True
    run_ingest(str(jaffle), "--environment", "prod")
    return Environment.objects.get(name="prod")


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
def test_it_shows_counts_and_lists_nodes(
    env: Environment, client, django_assert_max_num_queries
) -> None:
    with django_assert_max_num_queries(6):
        response = client.get(f"/env/{env.pk}/?type=model")
    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-type="model">model <span class="count">22</span>' in html
    assert 'data-type="macro">macro <span class="count">730</span>' in html
    for name in Node.objects.filter(resource_type="model").values_list("name", flat=True):
        assert f">{name}</a>" in html


@pytest.mark.django_db
def test_it_pages_long_lists(env: Environment, client) -> None:
    response = client.get(f"/env/{env.pk}/?type=macro&page=8")
    assert response.status_code == 200
    assert "page 8 of 8" in response.content.decode()


@pytest.mark.django_db
def test_every_node_page_shows_its_name_description_and_columns(
    env: Environment, client, django_assert_max_num_queries
) -> None:
    nodes = Node.objects.filter(environment=env).exclude(resource_type="macro")
    assert nodes.count() > 80
    for node in nodes:
        url = reverse("catalog-node", args=[env.pk, node.unique_id])
        with django_assert_max_num_queries(8):
            response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert f"<h1>{node.name}" in html
        for column in Column.objects.filter(node=node):
            assert f'id="column-{column.name}"' in html


@pytest.mark.django_db
def test_it_renders_markdown_and_defuses_script(jaffle: Path, client, settings) -> None:
    settings.ANONYMOUS_READ = True
    manifest = read_json(jaffle / "manifest.json")
    manifest["nodes"]["model.jaffle_shop.orders"]["description"] = (
        "**Orders** with [docs](https://example.com) and [bad](javascript:alert(1))\n\n"
        "<script>alert('x')</script><img src=x onerror=alert(2)>"
        '<a href="JaVaScRiPt:alert(3)">c</a>'
    )
    write_json(jaffle / "manifest.json", manifest)
    run_ingest(str(jaffle), "--environment", "prod")
    env = Environment.objects.get()

    html = client.get(f"/env/{env.pk}/nodes/model.jaffle_shop.orders").content.decode()

    assert "<strong>Orders</strong>" in html
    assert 'href="https://example.com"' in html
    assert "<script>alert" not in html
    assert "onerror" not in html
    # The markdown link to javascript: stays as inert text; no attribute may carry the scheme.
    assert 'href="javascript' not in html.lower()
    assert "[bad](javascript:alert(1))" in html


@pytest.mark.django_db
def test_pages_need_a_login_unless_anonymous_read_is_on(env: Environment, client, settings) -> None:
    settings.ANONYMOUS_READ = False
    url = f"/env/{env.pk}/"
    assert client.get(url).status_code == 302
    assert client.get(url)["Location"].startswith("/accounts/login/")

    client.force_login(User.objects.create_user("alice"))
    assert client.get(url).status_code == 200


@pytest.mark.django_db
def test_unknown_nodes_and_environments_are_404(env: Environment, client) -> None:
    assert client.get(f"/env/{env.pk}/nodes/model.nope.nothing").status_code == 404
    assert client.get("/env/999/").status_code == 404


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
    assert "The catalog below is the previous snapshot" in html
    assert 'data-type="model">model <span class="count">22</span>' in html


@pytest.mark.django_db
def test_the_example_project_renders(client, settings) -> None:
    settings.ANONYMOUS_READ = True
    run_ingest(str(EXAMPLE), "--environment", "demo")
    env = Environment.objects.get(name="demo")
    for node in Node.objects.filter(environment=env).exclude(resource_type="macro"):
        response = client.get(reverse("catalog-node", args=[env.pk, node.unique_id]))
        assert response.status_code == 200, node.unique_id


@pytest.mark.django_db
def test_a_unique_id_held_by_two_projects_opens_the_defining_one(
    jaffle: Path, finance: Path, client, settings
) -> None:
    settings.ANONYMOUS_READ = True
    orders = "model.jaffle_shop.orders"
    # finance_core keeps a stand-in of jaffle_shop's public orders model (dbt Mesh)
    manifest = read_json(finance / "manifest.json")
    manifest["nodes"][orders] = read_json(jaffle / "manifest.json")["nodes"][orders]
    write_json(finance / "manifest.json", manifest)
    run_ingest(str(jaffle), "--environment", "mesh")
    run_ingest(str(finance), "--environment", "mesh")
    env = Environment.objects.get(name="mesh")
    assert Node.objects.filter(environment=env, unique_id=orders).count() == 2
    # dbt's own macros are in both manifests too
    assert Node.objects.filter(environment=env, unique_id="macro.dbt.run_query").count() == 2

    def project_shown(url: str) -> str:
        response = client.get(url)
        assert response.status_code == 200
        return response.context["node"].project.name

    # the project that defines a node wins, even when another project was loaded later
    assert project_shown(f"/env/{env.pk}/nodes/{orders}") == "jaffle_shop"
    # when neither defines it, the latest load wins; ?project= picks one
    assert project_shown(f"/env/{env.pk}/nodes/macro.dbt.run_query") == "finance_core"
    url = f"/env/{env.pk}/nodes/macro.dbt.run_query?project=jaffle_shop"
    assert project_shown(url) == "jaffle_shop"
    assert client.get(f"/env/{env.pk}/nodes/{orders}?project=nope").status_code == 404
