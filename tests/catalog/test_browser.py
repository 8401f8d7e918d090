"""The pages in a real browser: Debian's Chromium, driven by Playwright."""

from __future__ import annotations

import pytest

from catalog.models import Column, Environment, Node
from tests.conftest import EXAMPLE, run_ingest


@pytest.fixture
def demo_live(transactional_db, settings) -> Environment:
    settings.ANONYMOUS_READ = True
    run_ingest(str(EXAMPLE), "--environment", "demo")
    return Environment.objects.get(name="demo")


def test_an_analyst_goes_from_home_through_search_to_a_model_and_a_column(
    demo_live: Environment, live_server, page
) -> None:
    # home redirects to the environment's overview
    page.goto(live_server.url + "/")
    assert page.url == f"{live_server.url}/env/{demo_live.pk}/"
    models = Node.objects.filter(environment=demo_live, resource_type="model").count()
    assert page.locator('[data-type="model"] .count').inner_text() == str(models)

    # typing in the global search box offers suggestions; Enter searches
    box = page.locator("#global-search")
    box.click()
    box.type("fct_tri", delay=30)
    suggestion = page.locator("#suggestions li a", has_text="fct_trips").first
    suggestion.wait_for()
    box.fill("fct_trips")
    box.press("Enter")
    page.wait_for_url("**/search?q=fct_trips")
    first = page.locator("ol.results li.hit").first
    assert first.locator("a.title").inner_text() == "fct_trips"

    # the model page: header, description, every column
    first.locator("a.title").click()
    assert page.locator("h1").inner_text() == "fct_trips"
    trips = Node.objects.get(environment=demo_live, name="fct_trips")
    assert page.locator("#columns tbody tr").count() == trips.columns.count()
    assert page.get_by_text(trips.relation, exact=True).is_visible()
    assert page.locator("section.description strong").first.inner_text()

    # the column filter narrows the table without a round trip
    page.locator("input[data-filter-table]").fill("station")
    visible = page.locator("#columns tbody tr:visible")
    expected = [c for c in trips.columns.values_list("name", flat=True) if "station" in c]
    assert visible.count() >= len(expected) > 0

    # a column page, and the other tables that share the column's name
    page.locator("input[data-filter-table]").fill("")
    page.locator("#columns a", has_text="rider_id").first.click()
    assert page.locator("h1").inner_text() == "fct_trips.rider_id"
    others = (
        Column.objects.filter(node__environment=demo_live, name="rider_id")
        .exclude(node=trips)
        .exclude(node__resource_type__in=["test", "unit_test"])
        .count()
    )
    assert (
        f"Other columns named rider_id {others}"
        in page.locator("h2", has_text="Other").inner_text()
    )


def test_suggestions_work_with_the_keyboard(demo_live: Environment, live_server, page) -> None:
    page.goto(f"{live_server.url}/env/{demo_live.pk}/")
    page.keyboard.press("/")  # focuses the search box
    page.keyboard.type("dim_st", delay=30)
    page.locator("#suggestions li a", has_text="dim_stations").first.wait_for()
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    page.wait_for_url("**/nodes/**")
    assert page.locator("h1").inner_text().startswith("dim_stations")


def test_the_code_tab_copies_the_relation_and_highlights_sql(
    demo_live: Environment, live_server, page
) -> None:
    page.goto(f"{live_server.url}/env/{demo_live.pk}/nodes/model.bikeshare.fct_trips?tab=code")
    assert page.locator("#raw-code span").count() > 10  # highlighted tokens
    page.locator("button[data-copy='#raw-code']").click()
    page.locator("button.copy.done").wait_for()
