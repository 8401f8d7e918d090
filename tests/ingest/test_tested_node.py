"""Which node a test tests, when the manifest has no attached_node to say it."""

from __future__ import annotations

from pathlib import Path

import pytest

from catalog.models import Node
from tests.conftest import run_ingest, small_manifest, write_json


def source(table: str) -> dict:
    return {
        "resource_type": "source",
        "unique_id": f"source.shop.raw.{table}",
        "name": table,
        "source_name": "raw",
        "package_name": "shop",
        "fqn": ["shop", "raw", table],
        "path": "models/sources.yml",
        "original_file_path": "models/sources.yml",
        "database": "db",
        "schema": "raw",
        "identifier": table,
        "columns": {},
    }


def relationships_test(uid: str, model_arg: str, depends: list[str]) -> dict:
    # dbt-core leaves attached_node null on the tests of sources.
    return {
        "resource_type": "test",
        "unique_id": uid,
        "name": uid.split(".")[-1],
        "package_name": "shop",
        "fqn": ["shop", uid.split(".")[-1]],
        "path": uid.split(".")[-1] + ".sql",
        "original_file_path": "models/sources.yml",
        "file_key_name": "sources.raw",
        "attached_node": None,
        "column_name": "customer_id",
        "test_metadata": {
            "name": "relationships",
            "kwargs": {
                "column_name": "customer_id",
                "to": "source('raw', 'customers')",
                "field": "id",
                "model": model_arg,
            },
        },
        "depends_on": {"macros": [], "nodes": depends},
        "config": {"enabled": True, "severity": "ERROR"},
        "columns": {},
    }


def manifest() -> dict:
    orders, customers = "source.shop.raw.orders", "source.shop.raw.customers"
    return small_manifest(
        {
            "dbt_schema_version": "https://schemas.getdbt.com/dbt/manifest/v12.json",
            "dbt_version": "1.9.4",
            "generated_at": "2026-01-05T08:00:00Z",
            "invocation_id": "inv-1",
            "project_name": "shop",
            "adapter_type": "postgres",
        },
        {
            "test.shop.rel_orders_customer_id.1": relationships_test(
                "test.shop.rel_orders_customer_id.1",
                "{{ get_where_subquery(source('raw', 'orders')) }}",
                # dbt lists the `to` relation first
                [customers, orders],
            ),
            "test.shop.rel_orders_customer_id_spaced.2": relationships_test(
                "test.shop.rel_orders_customer_id_spaced.2",
                '{{ get_where_subquery(source( "raw" , "orders" )) }}',
                [customers, orders],
            ),
        },
        {orders: source("orders"), customers: source("customers")},
    )


@pytest.mark.django_db
def test_it_attaches_a_source_test_with_two_parents_to_the_source_it_tests(
    tmp_path: Path,
) -> None:
    target = write_json(tmp_path / "target" / "manifest.json", manifest()).parent

    run_ingest(str(target), "--environment", "prod")

    tests = Node.objects.filter(resource_type="test").order_by("unique_id")
    assert [(t.tested_unique_id, t.column_name) for t in tests] == [
        ("source.shop.raw.orders", "customer_id"),
        ("source.shop.raw.orders", "customer_id"),
    ]
