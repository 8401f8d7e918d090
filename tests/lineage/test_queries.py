"""dag_get: the Dag comes from the catalog in a few queries, once per load of an environment."""

from __future__ import annotations

import sys
import threading
import time
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from catalog.models import Edge, Environment, Node
from lineage import queries
from lineage.graph import Dag
from lineage.queries import dag_build, dag_get, dag_warm
from tests.conftest import EXAMPLE, read_json, run_ingest, write_json

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))

from synth import generate  # noqa: E402

ORDERS = "model.jaffle_shop.orders"
BUILD_QUERIES = 3  # the generation, the nodes (with project and last status), the edges


def environment(name: str) -> Environment:
    return Environment.objects.get(name=name)


@pytest.mark.django_db
def test_it_builds_the_dag_of_an_environment_from_the_catalog() -> None:
    run_ingest(str(EXAMPLE), "--environment", "demo")
    env = environment("demo")

    dag = dag_get(env)

    in_graph = Node.objects.filter(environment=env).exclude(resource_type__in=["macro", "group"])
    assert set(dag) == set(in_graph.values_list("unique_id", flat=True))
    assert dag.placeholders == frozenset()
    assert dag.projects == {"bikeshare"}
    edges = Edge.objects.filter(environment=env, kind="node")
    assert set(dag.graph.edges) == set(edges.values_list("parent_unique_id", "child_unique_id"))
    trips = dag.infos["model.bikeshare.fct_trips"]
    assert trips.resource_type == "model"
    assert trips.fqn == ("bikeshare", "marts", "operations", "fct_trips")
    assert "contracted" in trips.tags
    assert trips.config["materialized"] == "table"
    assert trips.config["contract"]["enforced"] is True
    assert "alias" not in trips.config  # None: dropped
    assert trips.access == "public"
    assert trips.group == "operations"
    assert trips.status == "success"
    assert trips.owner == "fleet-data@lanternbikes.example"
    assert trips.modeling_layer == "marts"
    assert dag.infos["model.bikeshare.dim_riders.v3"].version == "3"
    assert dag.infos["model.bikeshare.dim_riders.v3"].latest_version == "2"
    assert "model.bikeshare.fct_trips" in dag.upstream(["exposure.bikeshare.rider_app_profile"])


@pytest.mark.django_db
def test_it_is_cached_until_a_load_changes_something(
    jaffle: Path, django_assert_num_queries
) -> None:
    run_ingest(str(jaffle), "--environment", "prod")
    env = environment("prod")
    with django_assert_num_queries(BUILD_QUERIES):
        first = dag_get(env)
    with django_assert_num_queries(0):
        assert dag_get(env) is first

    # The same artifacts again: nothing changes, the generation stays, so does the Dag.
    run_ingest(str(jaffle), "--environment", "prod")
    assert dag_get(environment("prod")) is first

    # A model goes (its tests stay): the load bumps the generation, the next request rebuilds.
    manifest = read_json(jaffle / "manifest.json")
    del manifest["nodes"]["model.jaffle_shop.customers"]
    write_json(jaffle / "manifest.json", manifest)
    run_ingest(str(jaffle), "--environment", "prod")
    env = environment("prod")

    rebuilt = dag_get(env)

    assert rebuilt is not first
    assert not first.infos["model.jaffle_shop.customers"].placeholder
    assert rebuilt.infos["model.jaffle_shop.customers"].placeholder
    # Only the newest generation is kept.
    assert queries._cache[env.pk][1] == env.generation
    assert queries._cache[env.pk][2] is rebuilt


@pytest.mark.django_db
def test_an_environment_object_older_than_the_cache_gets_the_newer_dag(jaffle: Path) -> None:
    run_ingest(str(jaffle), "--environment", "prod")
    stale = environment("prod")
    manifest = read_json(jaffle / "manifest.json")
    manifest["nodes"][ORDERS]["description"] = "Changed."
    write_json(jaffle / "manifest.json", manifest)
    run_ingest(str(jaffle), "--environment", "prod")

    newer = dag_warm(environment("prod"))

    assert dag_get(stale) is newer


@pytest.mark.django_db
def test_dag_warm_reads_the_generation_from_the_database(jaffle: Path) -> None:
    run_ingest(str(jaffle), "--environment", "prod")
    env = environment("prod")
    first = dag_get(env)
    manifest = read_json(jaffle / "manifest.json")
    manifest["nodes"][ORDERS]["description"] = "Changed."
    write_json(jaffle / "manifest.json", manifest)
    run_ingest(str(jaffle), "--environment", "prod")

    warmed = dag_warm(env)  # `env` was read before the second load

    assert warmed is not first
    assert env.generation == environment("prod").generation


@pytest.mark.django_db
def test_a_new_environment_with_a_reused_id_is_not_served_an_old_dag(jaffle: Path) -> None:
    run_ingest(str(jaffle), "--environment", "prod")
    env = environment("prod")
    old = dag_get(env)
    twin = SimpleNamespace(pk=env.pk, generation=env.generation, created_at=object())

    assert queries._cached(twin) is None  # type: ignore[arg-type]
    assert old is dag_get(env)


@pytest.mark.django_db
def test_parents_missing_from_the_environment_become_placeholders(jaffle: Path) -> None:
    manifest = read_json(jaffle / "manifest.json")
    manifest["nodes"][ORDERS]["depends_on"]["nodes"].append("model.platform.dim_dates.v2")
    write_json(jaffle / "manifest.json", manifest)
    run_ingest(str(jaffle), "--environment", "prod")

    dag = dag_get(environment("prod"))

    assert dag.placeholders == {"model.platform.dim_dates.v2"}
    placeholder = dag.infos["model.platform.dim_dates.v2"]
    assert (placeholder.resource_type, placeholder.package_name) == ("model", "platform")
    assert (placeholder.name, placeholder.version) == ("dim_dates", "2")
    assert "model.platform.dim_dates.v2" in dag.upstream([ORDERS])


@pytest.mark.django_db
def test_macros_and_groups_are_not_in_the_dag() -> None:
    run_ingest(str(EXAMPLE), "--environment", "demo")

    dag = dag_get(environment("demo"))

    assert not [uid for uid in dag if uid.startswith(("macro.", "group."))]
    assert Node.objects.filter(resource_type="macro").exists()
    assert Edge.objects.filter(kind="macro").exists()


@pytest.mark.django_db
def test_the_number_of_queries_does_not_grow_with_the_project(tmp_path: Path) -> None:
    generate(tmp_path / "small", models=20, runs=1, seed=1)
    generate(tmp_path / "large", models=300, runs=1, seed=1)
    sizes = {}
    for name in ("small", "large"):
        run_ingest(str(tmp_path / name), "--environment", name)
        env = environment(name)
        with CaptureQueriesContext(connection) as captured:
            generation, dag = dag_build(env.pk)
        assert generation == env.generation
        sizes[name] = (len(dag), len(captured.captured_queries))

    assert sizes["large"][0] > 10 * sizes["small"][0]
    assert sizes["small"][1] == sizes["large"][1] == BUILD_QUERIES


def test_concurrent_first_requests_build_once(monkeypatch: pytest.MonkeyPatch) -> None:
    builds = []

    def slow_build(environment_id: int) -> tuple[int, Dag]:
        builds.append(environment_id)
        time.sleep(0.05)
        return 7, Dag.build([], [])

    monkeypatch.setattr(queries, "dag_build", slow_build)
    monkeypatch.setattr(queries, "_cache", {})
    env = SimpleNamespace(pk=99, generation=7, created_at="then")
    got: list[Dag] = []
    threads = [
        threading.Thread(target=lambda: got.append(dag_get(env)))  # type: ignore[arg-type]
        for _ in range(8)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert builds == [99]
    assert len(got) == 8
    assert all(dag is got[0] for dag in got)
