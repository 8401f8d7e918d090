"""Browsing by project folder (fqn) and by database/schema."""

from __future__ import annotations

from collections import Counter

import pytest
from django.urls import reverse

from catalog.models import Environment, Node
from tests.catalog.conftest import MANIFEST


def tree_of(client, env: Environment, **params: str) -> dict[str, int]:
    response = client.get(reverse("catalog-browse", args=[env.pk]), params)
    assert response.status_code == 200
    counts: dict[str, int] = {}

    def walk(folders) -> None:
        for folder in folders:
            counts[folder.path] = folder.count
            walk(folder.children)

    walk(response.context["tree"])
    return counts


@pytest.mark.django_db
def test_the_folder_tree_counts_models_by_fqn(demo: Environment, client) -> None:
    counts = tree_of(client, demo, type="model")
    models = [n for n in MANIFEST["nodes"].values() if n["resource_type"] == "model"]
    expected: Counter[str] = Counter()
    for m in models:
        parts = m["fqn"][:-1]
        if m.get("version") is not None and m["fqn"][-1] == f"v{m['version']}":
            parts = parts[:-1]
        for depth in range(1, len(parts) + 1):
            expected["/".join(parts[:depth])] += 1
    assert counts == dict(expected)


@pytest.mark.django_db
def test_a_folder_links_to_the_list_of_what_it_holds(demo: Environment, client) -> None:
    counts = tree_of(client, demo, type="model")
    for path, count in counts.items():
        response = client.get(
            reverse("catalog-list", args=[demo.pk]), {"type": "model", "folder": path}
        )
        assert response.context["page"].paginator.count == count, path


@pytest.mark.django_db
def test_the_database_tree_counts_relations_per_schema(demo: Environment, client) -> None:
    counts = tree_of(client, demo, by="databases")
    relations = Node.objects.exclude(schema="").exclude(resource_type__in=["test", "unit_test"])
    expected: Counter[str] = Counter()
    for database, schema in relations.values_list("database", "schema"):
        expected[database] += 1
        expected[f"{database}/{schema}"] += 1
    assert counts == dict(expected)
    html = client.get(reverse("catalog-browse", args=[demo.pk]), {"by": "databases"})
    assert "database=bikeshare&amp;schema=main" in html.content.decode()


@pytest.mark.django_db
def test_open_folders_come_from_the_url(demo: Environment, client) -> None:
    html = client.get(
        reverse("catalog-browse", args=[demo.pk]), {"open": "bikeshare/marts/finance"}
    ).content.decode()
    assert '<details data-path="bikeshare" open>' in html
    assert '<details data-path="bikeshare/marts" open>' in html
    assert '<details data-path="bikeshare/staging">' in html


@pytest.mark.django_db
def test_trees_take_a_bounded_number_of_queries(
    demo: Environment, client, django_assert_max_num_queries
) -> None:
    url = reverse("catalog-browse", args=[demo.pk])
    with django_assert_max_num_queries(6):
        client.get(url)
    with django_assert_max_num_queries(6):
        client.get(url, {"by": "databases"})
