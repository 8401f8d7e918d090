"""Lists per resource type: filters, sorting and pagination, all in the URL."""

from __future__ import annotations

import pytest
from django.urls import reverse

from catalog.models import Environment, Node
from tests.catalog.conftest import MANIFEST, manifest_resources

MODELS = [n for n in MANIFEST["nodes"].values() if n["resource_type"] == "model"]


def listed(client, env: Environment, **params: str) -> list[str]:
    """unique_ids on the page, in order."""
    response = client.get(reverse("catalog-list", args=[env.pk]), params)
    assert response.status_code == 200
    return [n.unique_id for n in response.context["page"]]


def config(node: dict, key: str):
    return node.get(key) or (node.get("config") or {}).get(key)


@pytest.mark.django_db
def test_it_lists_every_resource_of_a_type(demo: Environment, client) -> None:
    assert sorted(listed(client, demo, type="model")) == sorted(m["unique_id"] for m in MODELS)
    sources = listed(client, demo, type="source")
    assert sorted(sources) == sorted(MANIFEST["sources"])


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("param", "value", "expected"),
    [
        ("access", "public", lambda n: config(n, "access") == "public"),
        ("materialized", "table", lambda n: n["config"]["materialized"] == "table"),
        ("group", "finance", lambda n: config(n, "group") == "finance"),
        ("tag", "riders", lambda n: "riders" in set(n.get("tags", []) + n["config"]["tags"])),
        ("folder", "bikeshare/marts", lambda n: n["fqn"][1] == "marts"),
        ("layer", "staging", lambda n: n["fqn"][1] == "staging"),
        ("schema", "main", lambda n: n["schema"] == "main"),
        ("q", "riders", lambda n: "riders" in n["name"]),
    ],
)
def test_each_filter_keeps_exactly_the_matching_models(
    demo: Environment, client, param: str, value: str, expected
) -> None:
    want = sorted(m["unique_id"] for m in MODELS if expected(m))
    assert want, "the example project must exercise this filter"
    assert sorted(listed(client, demo, type="model", **{param: value})) == want


@pytest.mark.django_db
def test_the_owner_filter_matches_meta_owners_and_group_owners(demo: Environment, client) -> None:
    owner = "finance-data@lanternbikes.example"
    groups = {g["name"]: g["owner"].get("email") for g in MANIFEST["groups"].values()}

    def owner_of(n: dict) -> str:
        meta = {**(n.get("meta") or {}), **(n["config"].get("meta") or {})}
        if meta.get("owner"):
            return meta["owner"]
        return groups.get(config(n, "group") or "", "") or ""

    want = sorted(m["unique_id"] for m in MODELS if owner_of(m) == owner)
    assert want
    assert sorted(listed(client, demo, type="model", owner=owner)) == want


@pytest.mark.django_db
def test_the_status_filter_uses_the_last_run(demo: Environment, client) -> None:
    statuses = dict(
        Node.objects.filter(resource_type="model").values_list(
            "unique_id", "last_execution__status"
        )
    )
    for status in {s for s in statuses.values() if s}:
        want = sorted(uid for uid, s in statuses.items() if s == status)
        assert sorted(listed(client, demo, type="model", status=status)) == want
    never = sorted(uid for uid, s in statuses.items() if s is None)
    assert sorted(listed(client, demo, type="model", status="none")) == never


@pytest.mark.django_db
def test_filters_combine(demo: Environment, client) -> None:
    want = sorted(
        m["unique_id"]
        for m in MODELS
        if config(m, "access") == "public" and m["config"]["materialized"] == "table"
    )
    got = listed(client, demo, type="model", access="public", materialized="table")
    assert sorted(got) == want


@pytest.mark.django_db
def test_it_sorts_by_name_rows_and_owner_both_ways(demo: Environment, client) -> None:
    name_of = dict(Node.objects.values_list("unique_id", "name"))
    names = [name_of[u] for u in listed(client, demo, type="model", sort="name")]
    assert names == sorted(names, key=str.lower)
    assert listed(client, demo, type="model", sort="-name") == list(
        reversed(listed(client, demo, type="model", sort="name"))
    )

    rows = dict(Node.objects.values_list("unique_id", "catalog_rows"))
    ascending = [rows[u] for u in listed(client, demo, type="model", sort="rows")]
    present = [r for r in ascending if r is not None]
    assert present == sorted(present)
    assert ascending[: len(present)] == present, "rows unknown sort last"
    descending = [rows[u] for u in listed(client, demo, type="model", sort="-rows")]
    present = [r for r in descending if r is not None]
    assert present == sorted(present, reverse=True)


@pytest.mark.django_db
def test_unknown_sorts_and_filter_values_do_not_fail(demo: Environment, client) -> None:
    assert listed(client, demo, type="model", sort="nope")
    assert listed(client, demo, type="model", access="nope") == []
    assert listed(client, demo, type="nope") == []
    response = client.get(reverse("catalog-list", args=[demo.pk]), {"page": "999"})
    assert response.status_code == 200


@pytest.mark.django_db
def test_it_pages_long_lists_and_keeps_filters_in_page_links(demo: Environment, client) -> None:
    macros = [u for u, n in manifest_resources(MANIFEST).items() if n["resource_type"] == "macro"]
    seen: list[str] = []
    page = 1
    while True:
        response = client.get(
            reverse("catalog-list", args=[demo.pk]), {"type": "macro", "page": str(page)}
        )
        seen += [n.unique_id for n in response.context["page"]]
        if not response.context["page"].has_next():
            break
        assert f"type=macro&amp;page={page + 1}" in response.content.decode()
        page += 1
    assert page == (len(macros) + 99) // 100
    assert sorted(seen) == sorted(macros)


@pytest.mark.django_db
def test_active_filters_show_as_removable_chips(demo: Environment, client) -> None:
    html = client.get(
        reverse("catalog-list", args=[demo.pk]), {"type": "model", "access": "public"}
    ).content.decode()
    assert 'class="chip" href="?type=model"' in html
    assert "access: public" in html


@pytest.mark.django_db
def test_the_number_of_queries_does_not_grow_with_the_page(
    demo: Environment, client, django_assert_max_num_queries
) -> None:
    url = reverse("catalog-list", args=[demo.pk])
    client.get(url, {"type": "macro"})  # facets are computed once per snapshot
    with django_assert_max_num_queries(5):
        response = client.get(url, {"type": "macro"})
    assert len(response.context["page"]) == 100
