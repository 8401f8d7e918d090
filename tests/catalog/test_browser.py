"""The first pages in a real browser: Debian's Chromium, driven by Playwright."""

from __future__ import annotations

import pytest

from catalog.models import Environment, Node
from tests.conftest import EXAMPLE, run_ingest


@pytest.fixture
def demo(transactional_db, settings) -> Environment:
    settings.ANONYMOUS_READ = True
    run_ingest(str(EXAMPLE), "--environment", "demo")
    return Environment.objects.get(name="demo")


def test_an_analyst_browses_from_the_counts_to_a_model(
    demo: Environment, live_server, page
) -> None:
    page.goto(live_server.url + "/")

    assert page.url == f"{live_server.url}/env/{demo.pk}/"
    models = Node.objects.filter(environment=demo, resource_type="model").count()
    page.get_by_role("link", name=f"model {models}").click()
    assert page.url.endswith("?type=model")
    assert page.locator("table.nodes tbody tr").count() == models

    page.get_by_role("link", name="fct_trips", exact=True).click()

    assert page.locator("h1").inner_text() == "fct_trips"
    trips = Node.objects.get(environment=demo, name="fct_trips")
    assert page.locator("table.columns tbody tr").count() == trips.columns.count()
    assert page.get_by_text(trips.relation).is_visible()
    # the stylesheet is served (whitenoise, no CDN) and applied
    assert page.locator("header.topbar").evaluate("e => getComputedStyle(e).display") == "flex"
