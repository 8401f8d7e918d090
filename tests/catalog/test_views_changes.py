"""What changed between two loads: exact for a pair of manifests that differ in known ways."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
from django.urls import reverse

from catalog.models import Environment, Ingest
from tests.conftest import read_json, run_ingest, write_json

ORDERS = "model.jaffle_shop.orders"
CUSTOMERS = "model.jaffle_shop.customers"
REPORT = "model.jaffle_shop.report"
SUMMARY = "model.jaffle_shop.orders_summary"


def second_snapshot(folder: Path) -> None:
    manifest = read_json(folder / "manifest.json")
    catalog = read_json(folder / "catalog.json")
    orders = manifest["nodes"][ORDERS]
    orders["raw_code"] += "\n-- a comment that changes the checksum\n"
    orders["checksum"] = {"name": "sha256", "checksum": "0" * 64}
    orders["access"] = orders["config"]["access"] = "public"
    orders["contract"] = orders["config"]["contract"] = {"enforced": True, "alias_types": True}
    orders["config"]["meta"] = {"owner": "dana@example.com"}
    orders["columns"]["loyalty_points"] = {"name": "loyalty_points", "description": "New."}
    orders["columns"]["order_total"]["data_type"] = "numeric(12, 2)"
    orders["columns"]["customer_id"]["description"] = "Who placed the order (rewritten)."
    orders["columns"].pop("is_drink_order", None)
    catalog["nodes"][ORDERS]["columns"].pop("is_drink_order", None)
    manifest["nodes"][CUSTOMERS]["description"] = "Customers, described again."
    del manifest["nodes"][REPORT]
    summary = copy.deepcopy(manifest["nodes"]["model.jaffle_shop.stg_orders"])
    summary.update(unique_id=SUMMARY, name="orders_summary", fqn=["jaffle_shop", "orders_summary"])
    manifest["nodes"][SUMMARY] = summary
    write_json(folder / "manifest.json", manifest)
    write_json(folder / "catalog.json", catalog)


@pytest.mark.django_db
def test_the_diff_of_two_loads_is_exactly_what_changed(jaffle: Path, client, settings) -> None:
    settings.ANONYMOUS_READ = True
    run_ingest(str(jaffle), "--environment", "prod")
    first_columns = set(read_json(jaffle / "manifest.json")["nodes"][ORDERS]["columns"])
    second_snapshot(jaffle)
    run_ingest(str(jaffle), "--environment", "prod")
    env = Environment.objects.get()

    response = client.get(reverse("catalog-changes", args=[env.pk]))
    assert response.status_code == 200
    context = response.context
    assert [c.unique_id for c in context["added"]] == [SUMMARY]
    assert [c.unique_id for c in context["removed"]] == [REPORT]
    modified = {c.unique_id: c for c in context["modified"]}
    assert set(modified) == {ORDERS, CUSTOMERS}

    orders = modified[ORDERS]
    assert orders.code_changed
    assert "+-- a comment that changes the checksum" in orders.code_diff()
    assert not orders.description_changed
    fields = {label: (before, after) for label, before, after in orders.fields}
    assert fields == {
        "access": ("protected", "public"),
        "contract enforced": (False, True),
        "owner": ("", "dana@example.com"),
    }
    columns = {(c.name, c.change) for c in orders.columns}
    assert columns == {
        ("loyalty_points", "added"),
        ("is_drink_order", "removed"),
        ("order_total", "type"),
        ("customer_id", "description"),
    }
    assert "is_drink_order" in first_columns
    order_total = next(c for c in orders.columns if c.name == "order_total")
    assert order_total.after == "numeric(12, 2)"

    customers = modified[CUSTOMERS]
    assert customers.description_changed
    assert not customers.code_changed
    assert customers.fields == []
    assert customers.columns == []

    # the page for one node shows before and after, and the code as a diff
    detail = client.get(reverse("catalog-changes", args=[env.pk]), {"node": ORDERS})
    html = detail.content.decode()
    assert '<span class="add">+-- a comment that changes the checksum</span>' in html
    assert "dana@example.com" in html


@pytest.mark.django_db
def test_changes_over_several_loads_are_netted(jaffle: Path, client, settings) -> None:
    settings.ANONYMOUS_READ = True
    run_ingest(str(jaffle), "--environment", "prod")
    original = read_json(jaffle / "manifest.json")
    second_snapshot(jaffle)
    run_ingest(str(jaffle), "--environment", "prod")
    # a third load goes back to the original manifest: from the first load, nothing changed
    write_json(jaffle / "manifest.json", original)
    run_ingest(str(jaffle), "--environment", "prod")
    env = Environment.objects.get()
    loads = list(Ingest.objects.order_by("started_at", "id"))
    response = client.get(
        reverse("catalog-changes", args=[env.pk]), {"from": loads[0].pk, "to": loads[2].pk}
    )
    context = response.context
    # the catalog.json of the second snapshot stays, so only is_drink_order's warehouse
    # column is gone for good
    modified = {c.unique_id for c in context["modified"]}
    assert context["added"] == []
    assert context["removed"] == []
    assert modified == {ORDERS}
    # between the second and third loads: the reverse of the first diff
    back = client.get(
        reverse("catalog-changes", args=[env.pk]), {"from": loads[1].pk, "to": loads[2].pk}
    ).context
    assert [c.unique_id for c in back["added"]] == [REPORT]
    assert [c.unique_id for c in back["removed"]] == [SUMMARY]


@pytest.mark.django_db
def test_an_environment_loaded_once_has_nothing_to_compare(env: Environment, client) -> None:
    response = client.get(reverse("catalog-changes", args=[env.pk]))
    assert response.status_code == 200
    assert b"Nothing to compare yet" in response.content
