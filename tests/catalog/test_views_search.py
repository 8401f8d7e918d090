"""The search page and the suggestions endpoint (catalog.search is tested in test_search.py)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from catalog.models import Environment


def search_page(client, env: Environment, **params: str):
    response = client.get(reverse("catalog-search", args=[env.pk]), params)
    assert response.status_code == 200
    return response


@pytest.mark.django_db
def test_an_empty_query_shows_the_form_only(demo: Environment, client) -> None:
    response = search_page(client, demo)
    assert response.context["results"] is None
    assert 'name="q"' in response.content.decode()


@pytest.mark.django_db
def test_results_link_to_node_and_column_pages(demo: Environment, client) -> None:
    response = search_page(client, demo, q="rider_id")
    hits = response.context["results"].hits
    html = response.content.decode()
    assert hits
    for hit in hits:
        if hit.kind == "column":
            url = reverse("catalog-column", args=[demo.pk, hit.unique_id, hit.column_name])
        else:
            url = reverse("catalog-node", args=[demo.pk, hit.unique_id])
        assert f'href="{url}"' in html
    assert any(h.kind == "column" and h.column_name == "rider_id" for h in hits)


@pytest.mark.django_db
def test_facet_links_narrow_and_widen_the_results(demo: Environment, client) -> None:
    results = search_page(client, demo, q="rider").context["results"]
    types = dict(results.facets["type"])
    assert types.get("column")
    html = search_page(client, demo, q="rider").content.decode()
    assert 'href="?q=rider&amp;type=column"' in html

    narrowed = search_page(client, demo, q="rider", type="column")
    assert narrowed.context["results"].total == types["column"]
    assert all(h.kind == "column" for h in narrowed.context["results"].hits)
    # the chosen value links back to the unfiltered results
    assert 'href="?q=rider" title="Remove"' in narrowed.content.decode()


@pytest.mark.django_db
def test_pages_of_results_do_not_repeat(demo: Environment, client) -> None:
    first = search_page(client, demo, q="id")
    total = first.context["results"].total
    assert total > 20
    seen: list[tuple[str, str]] = []
    page = 1
    while True:
        results = search_page(client, demo, q="id", page=str(page)).context["results"]
        seen += [(h.unique_id, h.column_name) for h in results.hits]
        if page * 20 >= total:
            break
        page += 1
    assert len(seen) == len(set(seen)) == total


@pytest.mark.django_db
def test_odd_queries_and_page_numbers_do_not_fail(demo: Environment, client) -> None:
    for q in ('"', "-", "*", "(", "NEAR(a b)", "a:b", "'; DROP TABLE catalog_node; --", "ü"):
        search_page(client, demo, q=q)
    search_page(client, demo, q="rider", page="nope")
    search_page(client, demo, q="rider", page="999")


@pytest.mark.django_db
def test_suggestions_answer_json_with_urls(demo: Environment, client) -> None:
    response = client.get(reverse("catalog-suggest", args=[demo.pk]), {"q": "fct_tri"})
    assert response.status_code == 200
    results = response.json()["results"]
    assert results[0]["name"] == "fct_trips"
    assert results[0]["url"] == reverse("catalog-node", args=[demo.pk, "model.bikeshare.fct_trips"])
    empty = client.get(reverse("catalog-suggest", args=[demo.pk]), {"q": ""}).json()
    assert empty["results"] == []


@pytest.mark.django_db
def test_the_search_page_takes_a_bounded_number_of_queries(
    demo: Environment, client, django_assert_max_num_queries
) -> None:
    with django_assert_max_num_queries(12):
        search_page(client, demo, q="rider")
    with django_assert_max_num_queries(12):
        search_page(client, demo, q="rider", type="model", page="2")
