"""Column pages: definition, types, tests, and every other column of the same name."""

from __future__ import annotations

import pytest
from django.urls import reverse

from catalog.models import Column, Environment
from tests.catalog.conftest import MANIFEST, manifest_resources


def column_page(client, env: Environment, unique_id: str, column: str):
    response = client.get(reverse("catalog-column", args=[env.pk, unique_id, column]))
    assert response.status_code == 200
    return response


@pytest.mark.django_db
def test_it_shows_the_definition_types_and_tests(demo: Environment, client) -> None:
    raw = MANIFEST["nodes"]["model.bikeshare.fct_trips"]["columns"]["trip_id"]
    html = column_page(client, demo, "model.bikeshare.fct_trips", "trip_id").content.decode()
    assert raw["data_type"] in html
    tests = [
        n
        for n in MANIFEST["nodes"].values()
        if n["resource_type"] == "test"
        and n.get("attached_node") == "model.bikeshare.fct_trips"
        and n.get("column_name") == "trip_id"
    ]
    assert tests
    for test in tests:
        assert reverse("catalog-node", args=[demo.pk, test["unique_id"]]) in html


@pytest.mark.django_db
def test_it_lists_every_other_column_of_the_same_name_grouped_by_description(
    demo: Environment, client
) -> None:
    name = "rider_id"
    expected = {
        uid
        for uid, n in manifest_resources(MANIFEST).items()
        if n["resource_type"] not in ("test", "unit_test")
        and any(c.lower() == name for c in (n.get("columns") or {}))
    }
    # the warehouse may know columns the YAML does not declare
    expected |= set(
        Column.objects.filter(name__iexact=name)
        .exclude(node__resource_type__in=["test", "unit_test"])
        .values_list("node__unique_id", flat=True)
    )
    expected.discard("model.bikeshare.fct_trips")
    response = column_page(client, demo, "model.bikeshare.fct_trips", name)
    same = response.context["same_name"]
    shown = {c.unique_id for _, columns in same.groups for c in columns}
    assert shown == expected
    assert same.total == len(expected)
    descriptions = {d for d, _ in same.groups}
    html = response.content.decode()
    if len(descriptions) > 1:
        assert f"{len(descriptions)} different descriptions" in html


@pytest.mark.django_db
def test_column_names_match_whatever_their_case(demo: Environment, client) -> None:
    exact = column_page(client, demo, "model.bikeshare.fct_trips", "trip_id")
    upper = column_page(client, demo, "model.bikeshare.fct_trips", "TRIP_ID")
    assert exact.context["column"].pk == upper.context["column"].pk


@pytest.mark.django_db
def test_a_column_name_with_a_slash_has_a_page(jaffle, client, settings) -> None:
    from tests.conftest import read_json, run_ingest, write_json

    settings.ANONYMOUS_READ = True
    manifest = read_json(jaffle / "manifest.json")
    manifest["nodes"]["model.jaffle_shop.orders"]["columns"]["a/b c"] = {
        "name": "a/b c",
        "description": "odd",
    }
    write_json(jaffle / "manifest.json", manifest)
    run_ingest(str(jaffle), "--environment", "prod")
    env = Environment.objects.get()
    url = reverse("catalog-column", args=[env.pk, "model.jaffle_shop.orders", "a/b c"])
    response = client.get(url)
    assert response.status_code == 200
    assert response.context["column"].name == "a/b c"


@pytest.mark.django_db
def test_the_column_page_takes_a_bounded_number_of_queries(
    demo: Environment, client, django_assert_max_num_queries
) -> None:
    # 10 before column lineage; it adds two walks (recursive CTEs, whatever the depth), the
    # node's parse status, its column and the exposures downstream.
    with django_assert_max_num_queries(13):
        column_page(client, demo, "model.bikeshare.fct_trips", "rider_id")


NAMES = [
    ("model.p.orders", "order_id"),
    ("model.p.orders", "Order Id"),  # a space, capitals
    ("model.p.orders", "a/b"),  # a slash: the column is a path
    ("model.p.orders", "100%"),
    ("model.p.orders", "what?#frag"),
    ("model.p.orders", "it's & <that>"),
    ("model.p.orders", "prix_€_été"),
    ("model.p.orders", "~:@!$&'()*+,;="),
    ("model.p.orders", "line\nbreak"),  # no URL
    ("model.p.a/b", "x"),  # a slash in a unique_id: no URL (see below)
    ("model.p.v2", ""),
    ("", "x"),
]


@pytest.mark.parametrize(("unique_id", "column"), NAMES)
@pytest.mark.parametrize("script_prefix", ["/", "/lantern/"])
def test_column_links_built_in_bulk_are_the_urls_reverse_gives(
    unique_id: str, column: str, script_prefix: str
) -> None:
    from django.urls import NoReverseMatch, clear_script_prefix, resolve, set_script_prefix

    from catalog.links import column_href

    set_script_prefix(script_prefix)
    try:
        try:
            expected = reverse("catalog-column", args=[7, unique_id, column])
        except NoReverseMatch:
            expected = ""
        if expected and "/" in unique_id:
            # reverse() writes one, but it opens another column: "model.p.a"'s "b/x"
            resolved = resolve(expected.removeprefix(script_prefix[:-1])).kwargs
            assert (resolved["unique_id"], resolved["column"]) != (unique_id, column)
            expected = ""
        assert column_href(7, unique_id, column) == expected
    finally:
        clear_script_prefix()
