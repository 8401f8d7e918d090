"""Runs, a run's timing chart with its critical path, and performance over a window."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from django.urls import reverse

from catalog.models import Environment, Run
from tests.catalog.conftest import MANIFEST
from tests.conftest import EXAMPLE, read_json


def at(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def run_of(path) -> tuple[Run, dict]:
    data = read_json(path)
    return Run.objects.get(invocation_id=data["metadata"]["invocation_id"]), data


@pytest.mark.django_db
def test_the_runs_page_lists_every_run_newest_first(demo: Environment, client) -> None:
    files = sorted(EXAMPLE.glob("run_results*.json")) + [EXAMPLE / "sources.json"]
    response = client.get(reverse("catalog-runs", args=[demo.pk]))
    runs = list(response.context["page"])
    assert len(runs) == len(files)
    assert [r.generated_at for r in runs] == sorted((r.generated_at for r in runs), reverse=True)
    html = response.content.decode()
    for run in runs:
        assert reverse("catalog-run", args=[demo.pk, run.pk]) in html


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["run_results_01_build.json", "run_results_02_build.json"])
def test_the_gantt_matches_the_run_results_timings(demo: Environment, client, name: str) -> None:
    run, data = run_of(EXAMPLE / name)
    response = client.get(reverse("catalog-run", args=[demo.pk, run.pk]))
    timings = {t.unique_id: t for t in response.context["timings"]}
    expected = {}
    for result in data["results"]:
        steps = {s["name"]: s for s in result["timing"]}
        if "compile" in steps or "execute" in steps:
            start = (steps.get("compile") or steps["execute"])["started_at"]
            end = (steps.get("execute") or steps["compile"])["completed_at"]
            expected[result["unique_id"]] = (at(start), at(end), result["thread_id"])
    assert set(timings) == set(expected)
    for uid, (start, end, thread) in expected.items():
        assert timings[uid].start == start, uid
        assert timings[uid].end == max(end, start), uid
        assert timings[uid].thread == thread, uid
    # the chart has a bar per timed node, and one lane per thread
    svg = str(response.context["gantt"])
    assert svg.count("<rect ") == len(expected)
    for thread in {t for _, _, t in expected.values()}:
        assert f">{thread}</text>" in svg


@pytest.mark.django_db
def test_the_critical_path_is_the_chain_that_finished_last(demo: Environment, client) -> None:
    run, data = run_of(EXAMPLE / "run_results_01_build.json")
    response = client.get(reverse("catalog-run", args=[demo.pk, run.pk]))
    path = response.context["path"]
    times = {}
    for result in data["results"]:
        steps = {s["name"]: s for s in result["timing"]}
        if steps:
            start = (steps.get("compile") or steps["execute"])["started_at"]
            end = (steps.get("execute") or steps["compile"])["completed_at"]
            times[result["unique_id"]] = (at(start), at(end))
    # it ends with the node that finished last
    assert path[-1] == max(times, key=lambda u: (times[u][1], u))
    # each step is a parent of the next, in the manifest, that finished before it started
    for parent, child in zip(path, path[1:], strict=False):
        assert parent in MANIFEST["parent_map"][child]
        assert times[parent][1] <= times[child][0] + timedelta(milliseconds=500)
    # it starts with a node none of whose parents ran in this run
    assert not [p for p in MANIFEST["parent_map"].get(path[0], []) if p in times]
    # the chart outlines exactly those bars
    assert str(response.context["gantt"]).count('class="bar critical"') == len(path)


@pytest.mark.django_db
def test_performance_ranks_models_over_the_window(demo: Environment, client) -> None:
    durations: dict[str, list[float]] = {}
    failures: dict[str, int] = {}
    for path in EXAMPLE.glob("run_results*.json"):
        for result in read_json(path)["results"]:
            if result["unique_id"].startswith("model.") and result["status"] != "skipped":
                durations.setdefault(result["unique_id"], []).append(result["execution_time"])
                if result["status"] == "error":
                    failures[result["unique_id"]] = failures.get(result["unique_id"], 0) + 1
    response = client.get(reverse("catalog-performance", args=[demo.pk]), {"days": "0"})
    table = response.context["table"]
    rows = {r["model"]["unique_id"]: r for r in table.rows}
    assert set(rows) == set(durations)
    for uid, values in durations.items():
        assert rows[uid]["runs"] == len(values)
        assert rows[uid]["average"] == pytest.approx(sum(values) / len(values))
        assert rows[uid]["longest"] == pytest.approx(max(values))
    averages = [r["average"] for r in table.rows]
    assert averages == sorted(averages, reverse=True)
    failing = client.get(
        reverse("catalog-performance", args=[demo.pk]), {"days": "0", "view": "failing"}
    ).context["table"]
    assert {r["model"]["unique_id"]: r["failures"] for r in failing.rows} == failures


@pytest.mark.django_db
def test_a_model_s_time_series_and_the_run_time_chart(demo: Environment, client) -> None:
    uid = "model.bikeshare.fct_trips"
    response = client.get(
        reverse("catalog-performance", args=[demo.pk]), {"days": "0", "model": uid}
    )
    points = response.context["model_points"]
    expected = sorted(
        (at(d["metadata"]["generated_at"]), r["execution_time"])
        for path in EXAMPLE.glob("run_results*.json")
        for d in [read_json(path)]
        for r in d["results"]
        if r["unique_id"] == uid and r["status"] != "skipped"
    )
    assert [(p.at, p.value) for p in points] == expected
    assert str(response.context["model_chart"]).count("<circle") == len(expected)
    runs = response.context["runs"]
    assert len(runs) == len(list(EXAMPLE.glob("run_results*.json")))
    # no chart library: the page is plain SVG and HTML
    assert "<script src=" not in response.content.decode().replace(
        '<script src="/static/js/lantern.js"', ""
    )
