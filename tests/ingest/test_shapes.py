"""Files that tools other than dbt wrote, or people edited: any key of any resource may hold a
value of the wrong shape. Lantern reads what it can and never crashes on it."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest

from catalog.models import Environment, Node
from ingest.load import snapshot_load
from ingest.sources.artifacts import ArtifactError, read_snapshot
from tests.conftest import FIXTURES, read_json, write_json

ODD_VALUES = [None, "oops", 7, ["a", 1, None], {"k": {"nested": []}}]
SECTIONS = ("nodes", "sources", "exposures", "metrics", "semantic_models", "unit_tests", "groups")


@pytest.fixture(scope="module")
def manifest() -> dict:
    """The dbt 1.12 compat manifest with its 500 dbt macros cut to 5 (speed)."""
    data = read_json(FIXTURES / "compat" / "1.12" / "manifest.json.gz")
    data["macros"] = dict(list(data["macros"].items())[:5])
    return data


def resource_keys(manifest: dict) -> list[str]:
    keys: set[str] = set()
    for section in SECTIONS:
        for node in manifest[section].values():
            keys.update(node)
    return sorted(keys - {"unique_id"})


@pytest.mark.django_db
def test_it_reads_odd_values_in_every_key_without_crashing(manifest: dict, tmp_path: Path) -> None:
    env = Environment.objects.create(name="odd")
    keys = resource_keys(manifest)
    assert len(keys) > 40
    path = tmp_path / "manifest.json"
    for key in keys:
        for odd in ODD_VALUES:
            data = copy.deepcopy(manifest)
            for section in SECTIONS:
                for node in data[section].values():
                    node[key] = copy.deepcopy(odd)
            write_json(path, data)
            try:
                snapshot = read_snapshot([path], max_bytes=10**8)
                snapshot_load(environment=env, project_name="compat", snapshot=snapshot)
            except ArtifactError:
                pass  # a clear refusal is fine; a crash is not
            except Exception as e:  # noqa: BLE001 - the test reports which shape broke it
                pytest.fail(f"{key} = {odd!r}: {type(e).__name__}: {e}")
    # the last load (groups etc. set to a nested object) still stored the project's nodes
    assert Node.objects.filter(environment=env).count() > 20


@pytest.mark.django_db
@pytest.mark.parametrize("section", [*SECTIONS, "metadata", "parent_map", "child_map", "macros"])
def test_it_reads_a_section_of_the_wrong_shape_as_missing(
    manifest: dict, tmp_path: Path, section: str
) -> None:
    env = Environment.objects.create(name="odd")
    for odd in ODD_VALUES:
        data = copy.deepcopy(manifest)
        data[section] = odd
        if section == "metadata":  # without it nothing says this is a manifest: refused
            with pytest.raises(ArtifactError, match="not a dbt artifact"):
                read_snapshot([write_json(tmp_path / "manifest.json", data)], max_bytes=10**8)
            continue
        snapshot = read_snapshot([write_json(tmp_path / "manifest.json", data)], max_bytes=10**8)
        snapshot_load(environment=env, project_name="compat", snapshot=snapshot)


@pytest.mark.django_db
def test_it_stores_overlong_ids_names_and_types(manifest: dict, tmp_path: Path) -> None:
    """PostgreSQL refuses a varchar above its limit and cannot index ~2,700 bytes."""
    data = copy.deepcopy(manifest)
    child, model = next(
        (n, parent)
        for n in data["nodes"].values()
        for parent in n.get("depends_on", {}).get("nodes", [])
        if parent.startswith("model.")
    )
    long_id = "model.compat." + "é" * 3000
    node = data["nodes"].pop(model)
    node.update(unique_id=long_id, name="n" * 5000, alias="a" * 5000)
    node["columns"] = {"c": {"name": "c" * 3000, "data_type": "STRUCT<" + "x INT64, " * 900 + ">"}}
    data["nodes"][long_id] = node
    child["depends_on"]["nodes"] = [long_id]
    env = Environment.objects.create(name="long")

    def stored(name: str) -> dict[str, str]:
        return dict(Node.objects.filter(environment=env).values_list("unique_id", "content_hash"))

    path = write_json(tmp_path / "manifest.json", data)
    for _ in range(2):  # and loading it again finds it unchanged
        snapshot = read_snapshot([path], max_bytes=10**8, stored_hashes=stored)
        snapshot_load(environment=env, project_name="compat", snapshot=snapshot)

    stored = Node.objects.get(environment=env, alias="a" * 5000)
    assert stored.unique_id.startswith("~")
    assert len(stored.unique_id) < 100
    assert stored.columns.get().data_type.startswith("STRUCT<x INT64")
    assert (
        Node.objects.get(environment=env, unique_id=child["unique_id"])
        .parent_edges.filter(parent_unique_id=stored.unique_id)
        .exists()
    )
    assert len(snapshot.unchanged) == Node.objects.filter(environment=env).count()
