"""Bad input gets a clear one-line error, a non-zero exit, and loses nothing already stored."""

from __future__ import annotations

import gzip
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError

from catalog.models import Column, Edge, Ingest, Node
from tests.conftest import read_json, run_ingest, write_json

ROOT = Path(__file__).resolve().parents[2]


def snapshot_of_catalog() -> dict:
    return {
        "nodes": list(Node.objects.order_by("id").values()),
        "columns": list(Column.objects.order_by("id").values()),
        "edges": list(Edge.objects.order_by("id").values()),
    }


@pytest.fixture
def loaded(jaffle: Path) -> dict:
    """An environment "prod" holding the jaffle_shop sample; returns its rows."""
    run_ingest(str(jaffle), "--environment", "prod")
    return snapshot_of_catalog()


def assert_rejected(paths: list[Path], message: str, *extra: str) -> None:
    with pytest.raises(CommandError) as raised:
        run_ingest(*(str(p) for p in paths), "--environment", "prod", *extra)
    text = str(raised.value)
    assert message in text
    assert "\n" not in text, "the error must be one line"
    failed = Ingest.objects.order_by("-id").first()
    assert failed.status == "failed"
    assert message in failed.error


@pytest.mark.django_db
def test_it_rejects_malformed_json(loaded: dict, tmp_path: Path) -> None:
    bad = tmp_path / "manifest.json"
    bad.write_text('{"metadata": {"dbt_schema_version": ')
    assert_rejected([bad], "manifest.json: not valid JSON")
    assert snapshot_of_catalog() == loaded


@pytest.mark.django_db
def test_it_rejects_a_truncated_manifest(loaded: dict, jaffle: Path, tmp_path: Path) -> None:
    whole = (jaffle / "manifest.json").read_bytes()
    truncated = tmp_path / "target" / "manifest.json"
    truncated.parent.mkdir()
    truncated.write_bytes(whole[: len(whole) // 2])
    assert_rejected([truncated.parent], "manifest.json: not valid JSON (truncated or corrupted?)")
    assert snapshot_of_catalog() == loaded


@pytest.mark.django_db
def test_it_rejects_json_that_is_not_a_dbt_artifact(loaded: dict, tmp_path: Path) -> None:
    other = write_json(tmp_path / "package.json", {"name": "left-pad", "version": "1.3.0"})
    assert_rejected([other], "package.json: not a dbt artifact")
    listing = write_json(tmp_path / "list.json", [1, 2, 3])
    assert_rejected([listing], "list.json: not a dbt artifact")
    assert snapshot_of_catalog() == loaded


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("version", "message"),
    [
        ("v8", "manifest v8 is older than Lantern reads (manifest v9–v12"),
        ("v13", "manifest v13 is newer than Lantern reads (manifest v9–v12"),
    ],
)
def test_it_rejects_an_unknown_schema_version(
    loaded: dict, jaffle: Path, version: str, message: str
) -> None:
    manifest = read_json(jaffle / "manifest.json")
    manifest["metadata"]["dbt_schema_version"] = (
        f"https://schemas.getdbt.com/dbt/manifest/{version}.json"
    )
    write_json(jaffle / "manifest.json", manifest)
    assert_rejected([jaffle], message)
    assert snapshot_of_catalog() == loaded


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        # dbt before 0.19 wrote no dbt_schema_version; these are the keys such files hold.
        (
            "manifest.json",
            {
                "nodes": {},
                "sources": {},
                "macros": {},
                "parent_map": {},
                "generated_at": "2020-01-01T00:00:00Z",
                "metadata": {"adapter_type": "postgres"},
            },
            "manifest.json: a manifest written by dbt before 0.19 (it has no "
            "metadata.dbt_schema_version), older than Lantern reads (manifest v9–v12",
        ),
        (
            "catalog.json",
            {"nodes": {}, "sources": {}, "generated_at": "2020-01-01T00:00:00Z"},
            "catalog.json: a catalog written by dbt before 0.19",
        ),
        (
            "run_results.json",
            {"results": [], "elapsed_time": 1.5, "generated_at": "2020-01-01T00:00:00Z"},
            "run_results.json: a run_results written by dbt before 0.19",
        ),
    ],
)
def test_it_names_an_artifact_older_than_schema_versions(
    loaded: dict, tmp_path: Path, name: str, content: dict, message: str
) -> None:
    old = write_json(tmp_path / name, content)
    assert_rejected([old], message)
    assert snapshot_of_catalog() == loaded


@pytest.mark.django_db
def test_it_rejects_an_artifact_kind_it_does_not_read(loaded: dict, tmp_path: Path) -> None:
    odd = write_json(
        tmp_path / "graph.json",
        {"metadata": {"dbt_schema_version": "https://schemas.getdbt.com/dbt/graph/v1.json"}},
    )
    assert_rejected([odd], "graph.json: a dbt graph artifact, which Lantern does not read")


@pytest.mark.django_db
def test_it_rejects_a_folder_without_a_manifest(loaded: dict, jaffle: Path) -> None:
    (jaffle / "manifest.json").unlink()
    assert_rejected([jaffle], "no manifest.json in this folder")
    assert snapshot_of_catalog() == loaded


@pytest.mark.django_db
def test_it_rejects_a_path_that_does_not_exist(loaded: dict, tmp_path: Path) -> None:
    assert_rejected([tmp_path / "nowhere"], "no such file or folder")


@pytest.mark.django_db
def test_it_rejects_an_empty_file(loaded: dict, tmp_path: Path) -> None:
    empty = tmp_path / "manifest.json"
    empty.write_text("")
    assert_rejected([empty], "manifest.json: the file is empty")


@pytest.mark.django_db
def test_it_refuses_a_file_above_the_size_limit(loaded: dict, jaffle: Path, settings) -> None:
    settings.LANTERN_MAX_ARTIFACT_BYTES = 1024 * 1024  # the jaffle manifest is 1.3 MB
    assert_rejected([jaffle], "above the 1 MB limit per file (setting LANTERN_MAX_ARTIFACT_MB)")
    assert snapshot_of_catalog() == loaded


@pytest.mark.django_db
def test_it_refuses_a_gzip_that_inflates_above_the_limit(
    loaded: dict, tmp_path: Path, settings
) -> None:
    settings.LANTERN_MAX_ARTIFACT_BYTES = 1024 * 1024
    bomb = tmp_path / "manifest.json.gz"
    with gzip.open(bomb, "wb") as f:  # 20 MB of spaces in a few KB
        f.write(b'{"metadata": {}, "pad": "' + b" " * (20 * 1024 * 1024) + b'"}')
    assert bomb.stat().st_size < 100_000
    assert_rejected([bomb], "inflates to more than the 1 MB limit")
    assert snapshot_of_catalog() == loaded


@pytest.mark.django_db
def test_it_rejects_a_manifest_that_does_not_name_its_project(
    jaffle: Path,
) -> None:
    manifest = read_json(jaffle / "manifest.json")
    del manifest["metadata"]["project_name"]
    manifest["metadata"]["project_id"] = "0" * 32
    write_json(jaffle / "manifest.json", manifest)
    assert_rejected([jaffle], "the manifest does not name its project; pass --project NAME")
    # Naming it is enough.
    run_ingest(str(jaffle), "--environment", "prod", "--project", "jaffle")
    assert Node.objects.filter(project__name="jaffle").exists()


@pytest.mark.django_db
def test_it_skips_a_catalog_from_another_project_with_a_warning(
    jaffle: Path, finance: Path
) -> None:
    (jaffle / "catalog.json").unlink()
    (jaffle / "catalog.json").write_bytes((finance / "catalog.json").read_bytes())

    out = run_ingest(str(jaffle), "--environment", "prod")

    assert "warning: catalog.json: skipped, none of its nodes are in the manifest" in out
    ingest = Ingest.objects.get()
    assert ingest.status == "succeeded"
    assert ingest.warnings == [
        "catalog.json: skipped, none of its nodes are in the manifest (another project?)"
    ]
    assert not Node.objects.filter(has_catalog=True).exists()
    assert Node.objects.filter(resource_type="model").count() == 22


@pytest.mark.django_db
def test_it_skips_run_results_from_another_project_with_a_warning(
    jaffle: Path, tmp_path: Path
) -> None:
    results = {
        "metadata": {
            "dbt_schema_version": "https://schemas.getdbt.com/dbt/run-results/v6.json",
            "dbt_version": "1.10.6",
            "generated_at": "2026-01-05T08:30:00Z",
            "invocation_id": "11111111-2222-3333-4444-555555555555",
        },
        "results": [
            {
                "unique_id": "model.other_project.orders",
                "status": "success",
                "timing": [],
                "thread_id": "Thread-1",
                "execution_time": 1.0,
                "adapter_response": {},
                "message": None,
                "failures": None,
            }
        ],
        "elapsed_time": 1.0,
        "args": {"which": "run"},
    }
    write_json(jaffle / "run_results.json", results)

    out = run_ingest(str(jaffle), "--environment", "prod")

    assert "warning: run_results.json: skipped, none of its results are nodes" in out
    assert Ingest.objects.get().status == "succeeded"


@pytest.mark.django_db
def test_it_rejects_run_results_alone_in_an_empty_environment(tmp_path: Path) -> None:
    results = write_json(
        tmp_path / "run_results.json",
        {
            "metadata": {
                "dbt_schema_version": "https://schemas.getdbt.com/dbt/run-results/v6.json",
                "generated_at": "2026-01-05T08:30:00Z",
                "invocation_id": "x",
            },
            "results": [],
            "elapsed_time": 1.0,
            "args": {},
        },
    )
    assert_rejected([results], 'environment "prod" has no manifest loaded yet')


def test_the_command_exits_non_zero_with_one_line_on_stderr(tmp_path: Path) -> None:
    bad = tmp_path / "manifest.json"
    bad.write_text("{")
    database = tmp_path / "cli.sqlite3"
    env = {"DATABASE_URL": f"sqlite:///{database}", "PATH": "/usr/bin:/bin"}
    subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True)

    done = subprocess.run(
        [sys.executable, "manage.py", "ingest", str(bad)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )

    assert done.returncode == 1
    errors = [line for line in done.stderr.splitlines() if "Error" in line]
    assert errors == [
        "CommandError: manifest.json: not valid JSON (truncated or corrupted?): "
        "unexpected end of data: line 1 column 2 (char 1)"
    ]


@pytest.mark.django_db
def test_hostile_strings_are_stored_as_text(jaffle: Path) -> None:
    manifest = read_json(jaffle / "manifest.json")
    hostile = "<script>alert(1)</script>'; DROP TABLE catalog_node; -- \u0000\ud7ff 💥"
    node = manifest["nodes"]["model.jaffle_shop.orders"]
    node["description"] = hostile
    node["meta"] = {"owner": hostile, "nested": {"k": [hostile]}}
    write_json(jaffle / "manifest.json", manifest)

    run_ingest(str(jaffle), "--environment", "prod")

    # NUL is the one character dropped: PostgreSQL cannot store it in text or jsonb.
    kept = hostile.replace("\u0000", "")
    stored = Node.objects.get(unique_id="model.jaffle_shop.orders")
    assert stored.description == kept
    assert stored.meta["nested"] == {"k": [kept]}
    assert stored.owner_name == kept
