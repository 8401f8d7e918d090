"""A column page's lineage in a real browser (Debian's Chromium, driven by Playwright)."""

from __future__ import annotations

import pytest

from catalog.models import Environment
from tests.conftest import EXAMPLE, run_ingest
from tests.lineage.stored import FCT, SRC, write_known_lineage


@pytest.fixture
def known_live(transactional_db, settings) -> Environment:
    settings.ANONYMOUS_READ = True
    run_ingest(str(EXAMPLE), "--environment", "demo")
    env = Environment.objects.get(name="demo")
    write_known_lineage(env)
    return env


def test_a_column_page_shows_its_lineage_graph_and_list(
    known_live: Environment, live_server, page
) -> None:
    page.goto(f"{live_server.url}/env/{known_live.pk}/columns/{FCT}/trip_id")

    graph = page.locator("svg.column-lineage-graph")
    graph.wait_for()
    assert graph.is_visible()
    box = graph.bounding_box()
    assert box is not None
    assert box["width"] > 400  # four columns of boxes, left to right
    labels = page.eval_on_selector_all(
        "svg.column-lineage-graph .box text.col", "els => els.map(e => e.textContent)"
    )
    assert sorted(labels) == sorted(
        ["ride_id", "trip_id", "trip_id", "trip_id", "trips", "ebike_trips"]
    )
    assert page.locator("svg.column-lineage-graph .box.focus").count() == 1
    upstream = page.locator('table[data-direction="upstream"] tbody tr')
    assert upstream.count() == 3
    assert "rename" in page.locator('table[data-direction="upstream"]').inner_text()

    # a box is a link to that column's page, which shows its own lineage
    page.locator("svg.column-lineage-graph a", has_text="ride_id").click()
    page.wait_for_url(f"**/columns/{SRC}/ride_id")
    assert page.locator('[data-lineage-status="root"]').is_visible()
    downstream = page.locator('table[data-direction="downstream"]').inner_text()
    for name in ("stg_bike_ops__trips.trip_id", "int_trips_enriched.trip_id"):
        assert name in downstream
    # three hops by default: fct_rider_monthly_usage is the fourth; asking for it shows it
    assert "fct_rider_monthly_usage" not in downstream
    page.fill('input[name="down"]', "4")
    page.click('form.lineage-depth button[type="submit"]')
    page.wait_for_url("**down=4**")
    downstream = page.locator('table[data-direction="downstream"]').inner_text()
    assert "fct_rider_monthly_usage.trips" in downstream
