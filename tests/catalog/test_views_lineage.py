"""Lineage on the pages: the graph around a node, the explorer, the JSON the script reads,
and the impact tab. Expected nodes are computed from the manifest or from dbt itself."""

from __future__ import annotations

import csv
import io
import json
from collections import deque

import pytest
from django.urls import reverse

from catalog.models import Environment
from lineage import explore as explore_module
from tests.catalog.conftest import MANIFEST, manifest_resources
from tests.conftest import FIXTURES

CORPUS = json.loads((FIXTURES.parent / "selectors" / "bikeshare.json").read_text())["cases"]
RESOURCES = manifest_resources(MANIFEST)
HIDDEN = ("test", "unit_test", "macro", "group")


def children(uid: str) -> set[str]:
    return {c for c in MANIFEST["child_map"].get(uid, []) if c in RESOURCES}


def parents(uid: str) -> set[str]:
    return set(MANIFEST["parent_map"].get(uid, []))


def shown(graph: dict) -> set[str]:
    return {n["id"] for n in graph["nodes"]}


def node_graph(client, env: Environment, uid: str, **params: str) -> dict:
    response = client.get(reverse("catalog-node", args=[env.pk, uid]), params)
    assert response.status_code == 200
    return response.context["graph"]


def visible(ids: set[str]) -> set[str]:
    return {u for u in ids if u.split(".")[0] not in HIDDEN}


@pytest.mark.django_db
def test_a_node_page_graph_shows_exactly_its_parents_and_children(
    demo: Environment, client
) -> None:
    for uid in (
        "model.bikeshare.fct_trips",
        "model.bikeshare.int_trips_enriched",
        "source.bikeshare.bike_ops.trips",
        "exposure.bikeshare.fleet_operations_dashboard",
    ):
        graph = node_graph(client, demo, uid)
        assert shown(graph) == visible({uid} | parents(uid) | children(uid)), uid
        focus = [n for n in graph["nodes"] if n.get("focus")]
        assert [n["id"] for n in focus] == [uid]


@pytest.mark.django_db
def test_the_node_graph_counts_the_neighbours_it_does_not_show(demo: Environment, client) -> None:
    uid = "model.bikeshare.fct_trips"
    graph = node_graph(client, demo, uid)
    shown_ids = shown(graph)
    for node in graph["nodes"]:
        hidden_parents = visible(parents(node["id"])) - shown_ids
        hidden_children = visible(children(node["id"])) - shown_ids
        assert node.get("hidden_parents", 0) == len(hidden_parents), node["id"]
        assert node.get("hidden_children", 0) == len(hidden_children), node["id"]


@pytest.mark.django_db
def test_expanding_a_node_adds_one_level_of_its_parents(demo: Environment, client) -> None:
    uid = "model.bikeshare.fct_trips"
    parent = "model.bikeshare.int_trips_enriched"
    graph = node_graph(client, demo, uid, expand=f"+{parent}")
    assert visible(parents(parent)) <= shown(graph)
    deeper = node_graph(client, demo, uid, up="2")
    assert shown(deeper) >= shown(graph) - visible(children(uid))
    tests = node_graph(client, demo, uid, tests="1")
    assert {u for u in children(uid) if u.startswith("test.")} <= shown(tests)


@pytest.mark.django_db
def test_the_json_endpoint_answers_the_same_graph(demo: Environment, client) -> None:
    uid = "model.bikeshare.fct_trips"
    page = node_graph(client, demo, uid, expand=f"{uid}+")
    response = client.get(
        reverse("catalog-lineage-json", args=[demo.pk]), {"focus": uid, "expand": f"{uid}+"}
    )
    assert response.status_code == 200
    assert shown(response.json()) == shown(page)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "case",
    [
        c
        for c in CORPUS
        if c["select"]
        in (
            "+fct_trips+",
            "tag:mart",
            "source:bike_ops+",
            "@stg_bike_ops__bikes",
            "+exposure:rider_app_profile",
            "group:finance+",
        )
    ],
    ids=lambda c: c["select"],
)
def test_the_explorer_shows_what_dbt_selects(demo: Environment, client, case: dict) -> None:
    response = client.get(
        reverse("catalog-lineage", args=[demo.pk]),
        {"select": case["select"], "exclude": case["exclude"]},
    )
    assert response.status_code == 200
    assert shown(response.context["graph"]) == visible(set(case["expected"]))


@pytest.mark.django_db
def test_the_explorer_explains_a_bad_selector(demo: Environment, client) -> None:
    response = client.get(reverse("catalog-lineage", args=[demo.pk]), {"select": "@fct_trips+"})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'class="banner bad selector-error"' in html
    assert "@fct_trips+" in html


@pytest.mark.django_db
def test_the_explorer_refuses_a_graph_too_big_to_draw(
    demo: Environment, client, monkeypatch
) -> None:
    monkeypatch.setattr(explore_module, "MAX_NODES", 10)
    response = client.get(reverse("catalog-lineage", args=[demo.pk]), {"select": "+fct_trips+"})
    graph = response.context["graph"]
    assert graph["tooBig"]
    assert graph["nodes"] == []
    assert f"This selection has {graph['total']} resources" in response.content.decode()


def downstream(uid: str) -> dict[str, int]:
    distance: dict[str, int] = {}
    queue = deque([(uid, 0)])
    while queue:
        at, d = queue.popleft()
        for child in children(at):
            if child not in distance and child != uid:
                distance[child] = d + 1
                queue.append((child, d + 1))
    return {u: d for u, d in distance.items() if u.split(".")[0] not in HIDDEN}


@pytest.mark.django_db
def test_the_impact_tab_lists_everything_downstream_by_distance(demo: Environment, client) -> None:
    uid = "model.bikeshare.stg_bike_ops__trips"
    response = client.get(reverse("catalog-node", args=[demo.pk, uid]), {"tab": "impact"})
    table = response.context["table"]
    got = {r["node"]["unique_id"]: r["distance"] for r in table.rows}
    assert got == downstream(uid)
    exposures = {u for u in got if u.startswith("exposure.")}
    assert exposures
    html = response.content.decode()
    for exposure in exposures:
        owner = MANIFEST["exposures"][exposure]["owner"]
        assert (owner.get("name") or owner["email"]) in html
    # the table is the tab's content, after the tabs, not inside one of their links
    tabs = html[
        html.index('<nav class="tabs"') : html.index("</nav>", html.index('<nav class="tabs"'))
    ]
    assert "<table" not in tabs
    assert '<a href="?tab=impact" aria-current="page">Impact</a>' in tabs
    assert html.index("</nav>", html.index('<nav class="tabs"')) < html.index('<table class="data')

    export = client.get(
        reverse("catalog-node", args=[demo.pk, uid]), {"tab": "impact", "format": "csv"}
    )
    rows = list(csv.reader(io.StringIO(export.content.decode())))
    assert rows[0][:2] == ["Distance", "Resource"]
    assert {r[1] for r in rows[1:]} == set(got)


@pytest.mark.django_db
def test_lineage_pages_take_a_bounded_number_of_queries(
    demo: Environment, client, django_assert_max_num_queries
) -> None:
    node_graph(client, demo, "model.bikeshare.fct_trips")  # health signals, once per load
    with django_assert_max_num_queries(16):
        node_graph(
            client, demo, "model.bikeshare.fct_trips", expand="+model.bikeshare.int_trips_enriched"
        )
    client.get(reverse("catalog-lineage", args=[demo.pk]), {"select": "+fct_trips+"})
    with django_assert_max_num_queries(4):  # the environment's Dag is cached per load
        client.get(reverse("catalog-lineage", args=[demo.pk]), {"select": "+fct_trips+"})


@pytest.mark.django_db
def test_every_node_links_to_the_explorer_with_a_selector_that_finds_it(
    demo: Environment, client
) -> None:
    from lineage.queries import dag_get
    from lineage.selection import select

    dag = dag_get(demo)
    for uid in [u for u in RESOURCES if u.split(".")[0] not in HIDDEN]:
        response = client.get(reverse("catalog-node", args=[demo.pk, uid]), {"tab": "tests"})
        selector = response.context["explorer_select"]
        assert uid in select(dag, selector), (uid, selector)
