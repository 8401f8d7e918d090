"""Health signals of the example project, with dbt Explorer's rules applied here, independently,
to the artifacts themselves (manifest, every run_results file, sources.json)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from catalog.health import compute
from catalog.models import Environment
from tests.catalog.conftest import MANIFEST, manifest_resources
from tests.conftest import EXAMPLE, read_json

RESOURCES = manifest_resources(MANIFEST)


def latest_results() -> dict[str, tuple[str, datetime]]:
    """unique_id -> (status, generated_at) of its latest result across the run_results files."""
    latest: dict[str, tuple[str, datetime]] = {}
    for path in sorted(EXAMPLE.glob("run_results*.json")):
        data = read_json(path)
        at = datetime.fromisoformat(data["metadata"]["generated_at"].replace("Z", "+00:00"))
        for result in data["results"]:
            if result["unique_id"] not in latest or latest[result["unique_id"]][1] <= at:
                latest[result["unique_id"]] = (result["status"].lower(), at)
    return latest


def freshness() -> dict[str, tuple[str, datetime]]:
    data = read_json(EXAMPLE / "sources.json")
    at = datetime.fromisoformat(data["metadata"]["generated_at"].replace("Z", "+00:00"))
    return {r["unique_id"]: (r["status"].lower(), at) for r in data["results"]}


def configured(source: dict) -> bool:
    f = source.get("freshness") or source["config"].get("freshness") or {}
    return any((f.get(k) or {}).get("count") is not None for k in ("warn_after", "error_after"))


def ancestors(uid: str) -> set[str]:
    seen: set[str] = set()
    stack = list(MANIFEST["parent_map"].get(uid, []))
    while stack:
        at = stack.pop()
        if at not in seen:
            seen.add(at)
            stack.extend(MANIFEST["parent_map"].get(at, []))
    return seen


def expected(now: datetime) -> dict[str, str]:
    since = now - timedelta(days=30)
    results, fresh = latest_results(), freshness()
    tests: dict[str, list[str]] = {}
    for uid, node in RESOURCES.items():
        if node["resource_type"] in ("test", "unit_test"):
            tested = node.get("attached_node") or next(
                (p for p in node["depends_on"]["nodes"] if p.startswith("model.")), None
            )
            if tested:
                tests.setdefault(tested, []).append(results.get(uid, ("", now))[0])

    def source_broken(uid: str) -> bool:
        status, at = fresh.get(uid, ("", None))
        return configured(RESOURCES[uid]) and (status == "error" or at is None or at < since)

    def source_warn(uid: str) -> bool:
        return configured(RESOURCES[uid]) and fresh.get(uid, ("",))[0] == "warn"

    states: dict[str, str] = {}
    for uid, node in RESOURCES.items():
        kind = node["resource_type"]
        up_sources = {a for a in ancestors(uid) if a.startswith("source.")}
        if kind == "model":
            status, at = results.get(uid, ("", None))
            if not status:
                states[uid] = "unknown"
                continue
            mine = tests.get(uid, [])
            degraded = (
                status == "error"
                or any(t in ("fail", "error") for t in mine)
                or any(source_broken(s) for s in up_sources)
            )
            caution = (
                status == "skipped"
                or at < since
                or not mine
                or "warn" in mine
                or any(source_warn(s) for s in up_sources)
                or not node["description"].strip()
            )
            states[uid] = "degraded" if degraded else "caution" if caution else "healthy"
        elif kind == "source":
            status, at = fresh.get(uid, ("", None))
            if status == "error":
                states[uid] = "degraded"
            elif (
                not configured(node)
                or not status
                or at < since
                or status == "warn"
                or not node["description"].strip()
            ):
                states[uid] = "caution"
            else:
                states[uid] = "healthy"
        elif kind == "exposure":
            models = {a for a in ancestors(uid) if a.startswith("model.")}
            ran = [results[m][0] for m in models if m in results]
            model_tests = [t for m in models for t in tests.get(m, [])]
            if not ran:
                states[uid] = "unknown"
            elif (
                any(source_broken(s) for s in up_sources)
                or any(r == "error" for r in ran)
                or any(t in ("fail", "error") for t in model_tests)
            ):
                states[uid] = "degraded"
            elif (
                any(source_warn(s) for s in up_sources)
                or any(r == "skipped" for r in ran)
                or "warn" in model_tests
            ):
                states[uid] = "caution"
            else:
                states[uid] = "healthy"
    return states


@pytest.mark.django_db
def test_every_model_source_and_exposure_gets_the_state_the_rules_give(demo: Environment) -> None:
    now = timezone.now()
    got = {uid: h.state for uid, h in compute(demo, now=now).items()}
    want = expected(now)
    assert got == want
    # the example exercises every state a project can be in
    assert {"healthy", "caution", "degraded"} <= set(got.values())


@pytest.mark.django_db
def test_the_example_s_known_problems_show(demo: Environment) -> None:
    now = datetime(2026, 12, 4, tzinfo=UTC)  # the day after the example ran
    states = compute(demo, now=now)
    assert states["source.bikeshare.bike_ops.maintenance_events"].state == "degraded"
    assert states["source.bikeshare.billing.payments"].state == "caution"
    assert "freshness check warned" in states["source.bikeshare.billing.payments"].reasons
    # the model whose test fails (orphan maintenance jobs) is degraded, and says why
    failing = next(
        n
        for n in RESOURCES.values()
        if n["resource_type"] == "test" and latest_results().get(n["unique_id"], ("",))[0] == "fail"
    )
    tested = failing["attached_node"]
    assert states[tested].state == "degraded"
    assert any("tests failing" in r for r in states[tested].reasons)
    # stg_bike_ops__bikes errored in the second run and built again in the third
    assert states["model.bikeshare.stg_bike_ops__bikes"].state != "unknown"
    assert not any(
        "failed to build" in r for r in states["model.bikeshare.stg_bike_ops__bikes"].reasons
    )


@pytest.mark.django_db
def test_thirty_days_later_everything_is_stale(demo: Environment) -> None:
    later = datetime(2027, 2, 1, tzinfo=UTC)
    states = compute(demo, now=later)
    healthy = [uid for uid, h in states.items() if h.state == "healthy"]
    assert healthy == []
    trips = states["model.bikeshare.fct_trips"]
    assert any("not built in the last 30 days" in r for r in trips.reasons)


@pytest.mark.django_db
def test_health_shows_on_node_pages_lists_and_lineage(demo: Environment, client) -> None:
    states = compute(demo)
    uid = "source.bikeshare.bike_ops.maintenance_events"
    html = client.get(reverse("catalog-node", args=[demo.pk, uid])).content.decode()
    assert f'class="health h-{states[uid].state}"' in html
    for reason in states[uid].reasons:
        assert reason in html
    listing = client.get(reverse("catalog-list", args=[demo.pk]), {"type": "source"})
    assert listing.content.decode().count('class="health-badge h-') == len(MANIFEST["sources"])
    graph = client.get(
        reverse("catalog-lineage-json", args=[demo.pk]), {"select": "+exposure:*"}
    ).json()
    for node in graph["nodes"]:
        if node["resource_type"] in ("model", "source", "exposure"):
            assert node["health"] == states[node["id"]].state
