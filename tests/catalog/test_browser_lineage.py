"""Lineage graphs in a real browser (Debian's Chromium, driven by Playwright)."""

from __future__ import annotations

from pathlib import Path

import pytest

from catalog.models import Environment
from tests.catalog.conftest import MANIFEST
from tests.conftest import EXAMPLE, run_ingest

FOCUS = "model.bikeshare.fct_trips"


@pytest.fixture
def demo_live(transactional_db, settings) -> Environment:
    settings.ANONYMOUS_READ = True
    run_ingest(str(EXAMPLE), "--environment", "demo")
    return Environment.objects.get(name="demo")


def drawn(page) -> set[str]:
    return set(page.eval_on_selector_all(".lineage-svg .node", "els => els.map(e => e.dataset.id)"))


def neighbours(uid: str) -> set[str]:
    ids = set(MANIFEST["parent_map"][uid]) | set(MANIFEST["child_map"][uid]) | {uid}
    return {u for u in ids if u.split(".")[0] not in ("test", "unit_test")}


def test_a_model_page_draws_its_neighbours_and_a_click_expands_a_level(
    demo_live: Environment, live_server, page
) -> None:
    page.goto(f"{live_server.url}/env/{demo_live.pk}/nodes/{FOCUS}")
    page.locator(".lineage-svg .node").first.wait_for()
    assert drawn(page) == neighbours(FOCUS)

    # int_trips_enriched has parents that are not drawn: its "+" handle shows them
    parent = "model.bikeshare.int_trips_enriched"
    handle = page.locator(f'.lineage-svg .node[data-id="{parent}"] .handle.up.more')
    handle.click()
    page.wait_for_function(
        "n => document.querySelectorAll('.lineage-svg .node').length > n",
        arg=len(neighbours(FOCUS)),
    )
    expected = neighbours(FOCUS) | {
        u for u in MANIFEST["parent_map"][parent] if not u.startswith("test.")
    }
    assert drawn(page) == expected
    assert f"expand=%2B{parent}" in page.url or f"expand=+{parent}" in page.url

    # the state is in the URL: a reload draws the same graph
    page.reload()
    page.locator(".lineage-svg .node").first.wait_for()
    assert drawn(page) == expected

    # clicking a node opens its page
    page.locator(f'.lineage-svg .node[data-id="{parent}"] .box').click()
    page.wait_for_url(f"**/nodes/{parent}")


def test_the_explorer_honours_select_from_the_url_and_exports(
    demo_live: Environment, live_server, page
) -> None:
    page.goto(f"{live_server.url}/env/{demo_live.pk}/lineage?select=%2Bexposure:rider_app_profile")
    page.locator(".lineage-svg .node").first.wait_for()
    case = "+exposure:rider_app_profile"
    from tests.catalog.test_views_lineage import CORPUS

    expected = next(c for c in CORPUS if c["select"] == case)["expected"]
    assert drawn(page) == {u for u in expected if u.split(".")[0] not in ("test", "unit_test")}

    with page.expect_download() as svg_download:
        page.locator("[data-action='svg']").click()
    content = Path(svg_download.value.path()).read_text(encoding="utf-8")
    assert content.startswith("<svg")
    assert "rider_app_profile" in content

    with page.expect_download() as png_download:
        page.locator("[data-action='png']").click()
    assert Path(png_download.value.path()).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_toggles_colour_and_path_change_the_graph_and_the_url(
    demo_live: Environment, live_server, page
) -> None:
    page.goto(f"{live_server.url}/env/{demo_live.pk}/lineage?select=%2Bfct_trips%2B")
    page.locator(".lineage-svg .node").first.wait_for()
    before = drawn(page)
    page.locator("[data-param='sources']").uncheck()
    page.wait_for_function("() => !document.querySelector('.lineage-svg .node.t-source')")
    assert "sources=0" in page.url
    assert drawn(page) == {u for u in before if not u.startswith("source.")}

    page.locator("[data-param='color']").select_option("status")
    assert page.locator("[data-lineage]").get_attribute("data-color") == "status"
    assert "color=status" in page.url

    page.locator('.lineage-svg .node[data-id="model.bikeshare.int_trips_enriched"] .box').click(
        modifiers=["Shift"]
    )
    page.locator('.lineage-svg .node[data-id="model.bikeshare.dim_stations"] .box').click(
        modifiers=["Shift"]
    )
    page.wait_for_function(
        "() => document.querySelectorAll('.lineage-svg .node.on-path').length >= 3"
    )
    on_path = set(
        page.eval_on_selector_all(".lineage-svg .node.on-path", "els => els.map(e => e.dataset.id)")
    )
    assert on_path == {
        "model.bikeshare.int_trips_enriched",
        "model.bikeshare.fct_trips",
        "model.bikeshare.dim_stations",
    }
