"""The sync page in a real browser (Debian's Chromium): its progress bar follows the sync."""

from __future__ import annotations

from django.utils import timezone

from catalog.models import Ingest
from ingest.services import environment_create


def test_the_progress_bar_follows_a_sync_to_its_end(transactional_db, settings, live_server, page):
    settings.ANONYMOUS_READ = True
    env = environment_create(
        name="cloud", discovery_url="https://x.example/graphql", dbt_environment_id=1
    )
    ingest = Ingest.objects.create(
        environment=env, source="discovery", status="queued", started_at=timezone.now(),
        progress={"phase": "queued", "done": 0, "total": 0},
    )  # fmt: skip
    page.goto(f"{live_server.url}/env/{env.pk}/syncs/{ingest.pk}")
    bar = page.locator("[data-sync-bar]")
    assert bar.evaluate("b => b.value") == 0
    assert page.locator('[data-sync-field="status"]').text_content() == "queued"

    Ingest.objects.filter(pk=ingest.pk).update(
        status="running", progress={"phase": "models", "done": 250, "total": 1000, "pages": 3}
    )
    page.wait_for_function("() => document.querySelector('[data-sync-bar]').value === 25")
    assert page.locator('[data-sync-field="phase"]').text_content() == "models"
    assert page.locator('[data-sync-field="pages"]').text_content() == "3"

    Ingest.objects.filter(pk=ingest.pk).update(
        status="succeeded",
        progress={"phase": "done", "done": 1000, "total": 1000, "pages": 9},
        counts={"model": 1000},
        duration=12.5,
    )
    page.wait_for_function("() => document.querySelector('[data-sync-bar]').value === 100")
    assert page.locator('[data-sync-field="status"]').text_content() == "succeeded"
    assert page.locator('[data-sync-field="duration"]').text_content() == "12.5 s"
    assert "model" in page.locator("[data-sync-counts]").text_content()

    # the list links to it
    page.goto(f"{live_server.url}/env/{env.pk}/syncs")
    page.locator(f'a[href="/env/{env.pk}/syncs/{ingest.pk}"]').click()
    page.wait_for_url(f"**/syncs/{ingest.pk}")
