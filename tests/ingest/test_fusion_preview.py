"""dbt Fusion's early previews stamped manifests "v20", a version never published."""

from __future__ import annotations

from pathlib import Path

import pytest

from catalog.models import Column, Node, Project
from tests.conftest import run_ingest, small_manifest, write_json

V20 = "https://schemas.getdbt.com/dbt/manifest/v20.json"


def fusion_preview_manifest() -> dict:
    """A small manifest in the shape of dbt 2.0.0-beta (2025): v12 keys, empty ones left out,
    and tests without attached_node, test_metadata or column_name."""
    return small_manifest(
        {
            "dbt_schema_version": V20,
            "dbt_version": "2.0.0-beta.40",
            "generated_at": "2025-08-01T13:24:08.738968065Z",
            "invocation_id": "0198a1b2-0000-7000-8000-000000000001",
            "project_name": "shop",
            "adapter_type": "bigquery",
        },
        {
            "model.shop.orders": {
                "resource_type": "model",
                "unique_id": "model.shop.orders",
                "name": "orders",
                "package_name": "shop",
                "fqn": ["shop", "marts", "orders"],
                "path": "marts/orders.sql",
                "original_file_path": "models/marts/orders.sql",
                "database": "proj",
                "schema": "shop",
                "alias": "orders",
                "raw_code": "select 1 as order_id",
                "config": {"materialized": "table", "enabled": True},
                "columns": {"order_id": {"name": "order_id", "data_type": "INT64"}},
                "depends_on": {"macros": [], "nodes": []},
                "checksum": {"name": "SHA256", "checksum": "a"},
            },
            "test.shop.not_null_orders_order_id": {
                "resource_type": "test",
                "unique_id": "test.shop.not_null_orders_order_id",
                "name": "not_null_orders_order_id",
                "package_name": "shop",
                "fqn": ["shop", "not_null_orders_order_id"],
                "path": "generic_tests/not_null_orders_order_id.sql",
                "original_file_path": "target/generic_tests/not_null_orders_order_id.sql",
                "database": "proj",
                "schema": "shop_dbt_test__audit",
                "raw_code": "",
                "config": {"enabled": True, "severity": "ERROR"},
                "columns": {},
                "depends_on": {"macros": [], "nodes": ["model.shop.orders"]},
                "checksum": {"name": "SHA256", "checksum": "b"},
            },
        },
    )


@pytest.mark.django_db
def test_it_reads_a_fusion_preview_v20_manifest_as_v12(tmp_path: Path) -> None:
    manifest = write_json(tmp_path / "target" / "manifest.json", fusion_preview_manifest())

    run_ingest(str(manifest.parent), "--environment", "prod")

    project = Project.objects.get()
    # The version the file states is kept: it says which dbt wrote it.
    assert (project.name, project.manifest_schema_version) == ("shop", "v20")
    orders = Node.objects.get(unique_id="model.shop.orders")
    assert orders.materialized == "table"
    assert list(Column.objects.filter(node=orders).values_list("name", "data_type")) == [
        ("order_id", "INT64")
    ]
    # Without attached_node, the test's only parent is what it tests.
    test = Node.objects.get(resource_type="test")
    assert test.tested_unique_id == "model.shop.orders"
