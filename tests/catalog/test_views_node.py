"""Node pages: one per resource, each showing what matters for its type."""

from __future__ import annotations

import html as htmllib
import re
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify

from catalog.markdown import render_markdown
from catalog.models import Column, Environment, Node
from tests.catalog.conftest import MANIFEST, manifest_resources
from tests.conftest import EXAMPLE, SAMPLES, read_json, run_ingest, write_json

ARTIFACT_SETS = [
    EXAMPLE,
    SAMPLES / "jaffle_shop_duckdb_1.10.6",
    SAMPLES / "finance_core_duckdb_1.11.8",
]


def page(client, env: Environment, unique_id: str, **params: str) -> str:
    url = reverse("catalog-node", args=[env.pk, unique_id])
    response = client.get(url, params)
    assert response.status_code == 200, url
    return response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("folder", ARTIFACT_SETS, ids=lambda p: p.name)
def test_every_node_and_every_column_renders_with_its_name_description_and_columns(
    folder: Path, client, settings, django_assert_max_num_queries
) -> None:
    settings.ANONYMOUS_READ = True
    run_ingest(str(folder), "--environment", "prod")
    env = Environment.objects.get()
    manifest = read_json(next(folder.glob("manifest.json*")))
    resources = manifest_resources(manifest)
    assert Node.objects.count() == len(resources)

    # per-snapshot caches (health signals) are computed by the first page, once
    page(client, env, Node.objects.filter(resource_type="model").first().unique_id)
    for node in Node.objects.all():
        # 10 for the page at most (a versioned model), 5 for its lineage graph (edges up and
        # down, the ring around them, the nodes), 3 for column lineage (the model's status,
        # its traced columns, inherited descriptions)
        with django_assert_max_num_queries(18):
            html = page(client, env, node.unique_id)
        assert f"<h1>{htmllib.escape(node.name)}" in html, node.unique_id
        description = resources[node.unique_id].get("description") or ""
        if description:
            assert str(render_markdown(description)) in html, node.unique_id
        for column in Column.objects.filter(node=node):
            url = reverse("catalog-column", args=[env.pk, node.unique_id, column.name])
            assert f'href="{htmllib.escape(url)}"' in html, (node.unique_id, column.name)

    for column in Column.objects.select_related("node"):
        url = reverse("catalog-column", args=[env.pk, column.node.unique_id, column.name])
        # 13 with column lineage (tests/catalog/test_views_column.py says what for)
        with django_assert_max_num_queries(13):
            response = client.get(url)
        assert response.status_code == 200, url
        assert f"{htmllib.escape(column.name)}</h1>" in response.content.decode()


@pytest.mark.django_db
def test_every_tab_of_every_example_node_renders(demo: Environment, client) -> None:
    for unique_id in Node.objects.exclude(resource_type="macro").values_list(
        "unique_id", flat=True
    ):
        for tab in ("overview", "code", "tests", "runs"):
            page(client, demo, unique_id, tab=tab)


@pytest.mark.django_db
def test_a_model_page_shows_its_header_columns_tests_and_neighbours(
    demo: Environment, client
) -> None:
    raw = MANIFEST["nodes"]["model.bikeshare.fct_trips"]
    html = page(client, demo, "model.bikeshare.fct_trips")

    assert raw["relation_name"].replace('"', "") in html.replace("&quot;", "")
    assert "contract enforced" in html
    assert raw["config"]["materialized"] in html
    for column in raw["columns"]:
        assert f'id="column-{slugify(column)}"' in html
    # the tests of each column are shown with their latest status
    tests = [
        n
        for n in MANIFEST["nodes"].values()
        if n["resource_type"] == "test"
        and n.get("attached_node") == "model.bikeshare.fct_trips"
        and n.get("column_name")
    ]
    assert tests
    for test in tests:
        assert reverse("catalog-node", args=[demo.pk, test["unique_id"]]) in html
    # depends on / referenced by
    for parent in raw["depends_on"]["nodes"]:
        assert reverse("catalog-node", args=[demo.pk, parent]) in html
    children = [
        uid
        for uid, n in manifest_resources(MANIFEST).items()
        if "model.bikeshare.fct_trips" in (n.get("depends_on") or {}).get("nodes", [])
        and n["resource_type"] not in ("test", "unit_test")
    ]
    for child in children:
        assert reverse("catalog-node", args=[demo.pk, child]) in html


@pytest.mark.django_db
def test_the_code_tab_highlights_raw_and_compiled_sql_with_copy_buttons(
    demo: Environment, client
) -> None:
    html = page(client, demo, "model.bikeshare.fct_trips", tab="code")
    assert 'id="raw-code"' in html
    assert 'id="compiled-code"' in html
    assert html.count('class="copy"') >= 2
    assert '<span class="k">select</span>' in html.lower() or 'class="k"' in html
    # Jinja stays visible in the source (Pygments wraps each token in a span)
    text = re.sub(r"<[^>]+>", "", html)
    assert "{{ ref(" in htmllib.unescape(text)


@pytest.mark.django_db
def test_versions_link_to_each_other_with_their_state(demo: Environment, client) -> None:
    old = page(client, demo, "model.bikeshare.dim_riders.v1")
    latest = page(client, demo, "model.bikeshare.dim_riders.v2")
    prerelease = page(client, demo, "model.bikeshare.dim_riders.v3")

    assert "old version" in old
    assert "latest version" in latest
    assert "prerelease version" in prerelease
    for html in (old, latest, prerelease):
        for v in ("v1", "v2", "v3"):
            assert f"model.bikeshare.dim_riders.{v}" in html


@pytest.mark.django_db
def test_a_past_deprecation_date_warns_and_names_the_users(demo: Environment, client) -> None:
    raw = MANIFEST["nodes"]["model.bikeshare.dim_riders.v1"]
    deprecation = raw["deprecation_date"][:10]
    assert deprecation < timezone.now().date().isoformat(), "the fixture's date is past"

    html = page(client, demo, "model.bikeshare.dim_riders.v1")

    assert f"passed its deprecation date on {deprecation}" in html
    assert 'class="banner bad"' in html


@pytest.mark.django_db
def test_a_source_page_shows_freshness_criteria_and_the_latest_check(
    demo: Environment, client
) -> None:
    uid = "source.bikeshare.billing.payments"
    raw = MANIFEST["sources"][uid]
    html = page(client, demo, uid)
    warn, error = raw["freshness"]["warn_after"], raw["freshness"]["error_after"]
    assert f"warn after {warn['count']} {warn['period']}" in html
    assert f"error after {error['count']} {error['period']}" in html
    assert raw["loader"] in html
    status = next(
        r["status"] for r in read_json(EXAMPLE / "sources.json")["results"] if r["unique_id"] == uid
    )
    assert f"freshness: {status}" in html


@pytest.mark.django_db
def test_exposure_metric_semantic_model_and_saved_query_pages_show_their_specifics(
    demo: Environment, client
) -> None:
    exposure = next(iter(MANIFEST["exposures"].values()))
    html = page(client, demo, exposure["unique_id"])
    assert exposure["maturity"] in html
    assert f'href="{exposure["url"]}"' in html
    assert exposure["owner"]["email"] in html

    metric = next(iter(MANIFEST["metrics"].values()))
    html = page(client, demo, metric["unique_id"])
    assert metric["type"] in html
    assert "Type parameters" in html

    semantic = next(iter(MANIFEST["semantic_models"].values()))
    html = page(client, demo, semantic["unique_id"])
    for section in ("entities", "dimensions", "measures"):
        for item in semantic[section]:
            assert f'<td class="mono">{item["name"]}</td>' in html

    saved = next(iter(MANIFEST["saved_queries"].values()))
    html = page(client, demo, saved["unique_id"])
    for metric_name in saved["query_params"]["metrics"]:
        assert metric_name in html


@pytest.mark.django_db
def test_test_pages_show_kwargs_and_what_they_test(demo: Environment, client) -> None:
    test = next(
        n
        for n in MANIFEST["nodes"].values()
        if n["resource_type"] == "test"
        and (n.get("test_metadata") or {}).get("name") == "accepted_values"
    )
    html = page(client, demo, test["unique_id"])
    for value in test["test_metadata"]["kwargs"]["values"]:
        assert value in html
    assert reverse("catalog-node", args=[demo.pk, test["attached_node"]]) in html
    column_url = reverse(
        "catalog-column", args=[demo.pk, test["attached_node"], test["column_name"]]
    )
    assert column_url in html


@pytest.mark.django_db
def test_unit_test_pages_show_given_and_expected_rows(demo: Environment, client) -> None:
    unit = next(iter(MANIFEST["unit_tests"].values()))
    html = page(client, demo, unit["unique_id"])
    assert "Given" in html
    assert "Expect" in html
    for given in unit["given"]:
        for row in given.get("rows") or []:
            for value in row.values():
                assert f"<td>{value}</td>" in html
    for row in unit["expect"].get("rows") or []:
        for key in row:
            assert f"<th>{key}</th>" in html


@pytest.mark.django_db
def test_macro_and_group_pages_list_arguments_users_and_members(demo: Environment, client) -> None:
    macro = MANIFEST["macros"]["macro.bikeshare.duration_minutes"]
    html = page(client, demo, macro["unique_id"])
    for argument in macro["arguments"]:
        assert argument["name"] in html
    users = [
        uid
        for uid, n in manifest_resources(MANIFEST).items()
        if macro["unique_id"] in (n.get("depends_on") or {}).get("macros", [])
    ]
    assert users
    for uid in users:
        assert reverse("catalog-node", args=[demo.pk, uid]) in html

    group = next(iter(MANIFEST["groups"].values()))
    html = page(client, demo, group["unique_id"])
    members = [
        uid
        for uid, n in manifest_resources(MANIFEST).items()
        if (n.get("group") or (n.get("config") or {}).get("group")) == group["name"]
        and n["resource_type"] != "group"
    ]
    assert members
    for uid in members:
        assert reverse("catalog-node", args=[demo.pk, uid]) in html


@pytest.mark.django_db
def test_it_renders_markdown_and_defuses_script(jaffle: Path, client, settings) -> None:
    settings.ANONYMOUS_READ = True
    manifest = read_json(jaffle / "manifest.json")
    hostile = (
        "**Orders** with [docs](https://example.com) and [bad](javascript:alert(1))\n\n"
        "<script>alert('x')</script><img src=x onerror=alert(2)>"
        '<a href="JaVaScRiPt:alert(3)">c</a><div onmouseover="alert(4)">d</div>'
        "<iframe src=https://evil.example></iframe><svg onload=alert(5)></svg>"
    )
    manifest["nodes"]["model.jaffle_shop.orders"]["description"] = hostile
    manifest["nodes"]["model.jaffle_shop.orders"]["columns"]["order_id"]["description"] = hostile
    write_json(jaffle / "manifest.json", manifest)
    run_ingest(str(jaffle), "--environment", "prod")
    env = Environment.objects.get()

    pages = [
        page(client, env, "model.jaffle_shop.orders"),
        page(client, env, "model.jaffle_shop.orders", tab="tests"),
        client.get(
            reverse("catalog-column", args=[env.pk, "model.jaffle_shop.orders", "order_id"])
        ).content.decode(),
        client.get(reverse("catalog-list", args=[env.pk]), {"type": "model"}).content.decode(),
    ]
    for html in pages:
        lowered = html.lower()
        assert "<script>alert" not in lowered
        assert "onerror" not in lowered
        assert "onmouseover" not in lowered
        assert "onload=" not in lowered
        assert "<iframe" not in lowered
        assert 'href="javascript' not in lowered
    assert "<strong>Orders</strong>" in pages[0]
    assert 'href="https://example.com"' in pages[0]
    # The markdown link to javascript: stays as inert text.
    assert "[bad](javascript:alert(1))" in pages[0]


@pytest.mark.django_db
def test_unknown_nodes_tabs_and_columns(env: Environment, client) -> None:
    assert client.get(f"/env/{env.pk}/nodes/model.nope.nothing").status_code == 404
    assert client.get(f"/env/{env.pk}/nodes/model.jaffle_shop.orders?tab=nope").status_code == 200
    url = reverse("catalog-column", args=[env.pk, "model.jaffle_shop.orders", "nope"])
    assert client.get(url).status_code == 404


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
