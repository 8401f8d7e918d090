"""Data health tiles: HTML to frame, an SVG badge and JSON, readable per the tiles setting,
and framed on another origin in a real browser."""

from __future__ import annotations

import http.server
import threading

import pytest
from django.urls import reverse

from catalog.health import compute
from catalog.models import Environment
from tests.catalog.conftest import MANIFEST
from tests.catalog.test_health import ancestors, latest_results
from tests.conftest import EXAMPLE, read_json, run_ingest

EXPOSURE = "exposure.bikeshare.fleet_operations_dashboard"


@pytest.mark.django_db
def test_the_json_tile_rolls_up_health_sources_and_failing_tests(demo: Environment, client) -> None:
    data = client.get(reverse("catalog-tile-json", args=[demo.pk, EXPOSURE])).json()
    health = compute(demo)[EXPOSURE]
    assert data["health"] == health.state
    assert data["reasons"] == list(health.reasons)
    upstream = ancestors(EXPOSURE)
    freshness = {
        r["unique_id"]: r["status"] for r in read_json(EXAMPLE / "sources.json")["results"]
    }
    sources = {s["unique_id"]: s["status"] for s in data["sources"]}
    assert set(sources) == {u for u in upstream if u.startswith("source.")}
    for uid, status in sources.items():
        assert status == freshness.get(uid, "")
    latest = latest_results()
    models = {u for u in upstream if u.startswith("model.")}
    failing = {
        uid
        for uid, n in MANIFEST["nodes"].items()
        if n["resource_type"] == "test"
        and n.get("attached_node") in models
        and latest.get(uid, ("",))[0] in ("fail", "error", "warn")
    }
    assert {t["unique_id"] for t in data["failing_tests"]} == failing


@pytest.mark.django_db
def test_the_svg_badge_and_the_html_tile(demo: Environment, client) -> None:
    state = compute(demo)[EXPOSURE].state
    svg = client.get(reverse("catalog-tile-svg", args=[demo.pk, EXPOSURE]))
    assert svg["Content-Type"] == "image/svg+xml"
    assert f">{state}</text>" in svg.content.decode()
    page = client.get(reverse("catalog-tile", args=[demo.pk, EXPOSURE]))
    assert f'data-state="{state}"' in page.content.decode()
    assert (
        client.get(reverse("catalog-tile", args=[demo.pk, "model.bikeshare.fct_trips"])).status_code
        == 404
    )


@pytest.mark.django_db
def test_only_tiles_may_be_framed(demo: Environment, client) -> None:
    tile = client.get(reverse("catalog-tile", args=[demo.pk, EXPOSURE]))
    assert "X-Frame-Options" not in tile
    assert tile["Content-Security-Policy"] == "frame-ancestors *"
    page = client.get(reverse("catalog-node", args=[demo.pk, EXPOSURE]))
    assert page["X-Frame-Options"] == "DENY"


@pytest.mark.django_db
def test_tiles_follow_their_own_access_setting(db, client, settings) -> None:
    run_ingest(str(EXAMPLE), "--environment", "demo")
    env = Environment.objects.get()
    url = reverse("catalog-tile-json", args=[env.pk, EXPOSURE])
    settings.ANONYMOUS_READ = False
    settings.LANTERN_TILES_PUBLIC = False
    refused = client.get(url)
    assert refused.status_code == 401
    assert b"LANTERN_TILES_PUBLIC" in refused.content
    settings.LANTERN_TILES_PUBLIC = True
    assert client.get(url).status_code == 200
    # the rest of the site keeps its login
    assert client.get(reverse("catalog-node", args=[env.pk, EXPOSURE])).status_code == 302


@pytest.fixture
def other_origin(live_server):
    """A page on another origin (another port) that frames the tile."""
    html: dict[str, bytes] = {}

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - the standard library's name
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.end_headers()
            self.wfile.write(html["page"])

        def log_message(self, *args) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield html, f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()


@pytest.mark.django_db(transaction=True)
def test_a_dashboard_on_another_origin_frames_the_tile(
    live_server, browser, other_origin, settings
) -> None:
    settings.LANTERN_TILES_PUBLIC = True
    run_ingest(str(EXAMPLE), "--environment", "demo")
    env = Environment.objects.get()
    state = compute(env)[EXPOSURE].state
    html, dashboard = other_origin
    tile = f"{live_server.url}{reverse('catalog-tile', args=[env.pk, EXPOSURE])}"
    node = f"{live_server.url}{reverse('catalog-node', args=[env.pk, EXPOSURE])}"
    html["page"] = (
        f'<h1>Fleet dashboard</h1><iframe id="tile" src="{tile}" width="420" height="300"></iframe>'
        f'<iframe id="page" src="{node}" width="420" height="300"></iframe>'
    ).encode()
    context = browser.new_context()
    page = context.new_page()
    messages: list[str] = []
    page.on("console", lambda m: messages.append(m.text))
    try:
        page.goto(dashboard)
        frame = page.frame_locator("#tile")
        assert frame.locator(".tile").get_attribute("data-state") == state
        assert frame.locator(".state").inner_text() == state.capitalize()
        # a page that is not a tile is refused in a frame: the browser says so
        # (some Chromium builds log the refusal twice, hence the set)
        page.wait_for_timeout(300)
        refusals = {m for m in messages if "Refused to display" in m}
        assert len(refusals) == 1, refusals
        assert "X-Frame-Options" in refusals.pop()
        refused = page.frame_locator("#page").owner.element_handle().content_frame()
        assert refused is not None
        assert not refused.url.startswith(live_server.url), refused.url
    finally:
        context.close()
