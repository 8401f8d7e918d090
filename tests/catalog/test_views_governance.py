"""Governance: per owner and group, public models without contracts, deprecations, versions,
undocumented and untested models. Expected rows are computed from the manifest here."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta

import pytest
from django.urls import reverse

from catalog.models import Environment
from tests.catalog.conftest import MANIFEST, manifest_resources

MODELS = {u: n for u, n in MANIFEST["nodes"].items() if n["resource_type"] == "model"}
GROUP_OWNERS = {g["name"]: g["owner"].get("email") for g in MANIFEST["groups"].values()}
TESTED = {
    n.get("attached_node") or (n.get("depends_on") or {}).get("nodes", [None])[0]
    for n in list(MANIFEST["nodes"].values()) + list(MANIFEST["unit_tests"].values())
    if n["resource_type"] in ("test", "unit_test")
}


def access(n: dict) -> str:
    return n.get("access") or n["config"].get("access") or "protected"


def owner(n: dict) -> str:
    meta = {**(n.get("meta") or {}), **(n["config"].get("meta") or {})}
    return meta.get("owner") or GROUP_OWNERS.get(n.get("group") or "", "") or "(no owner)"


def users_of(unique_id: str) -> set[str]:
    return {
        uid
        for uid, n in manifest_resources(MANIFEST).items()
        if unique_id in (n.get("depends_on") or {}).get("nodes", [])
        and n["resource_type"] not in ("test", "unit_test")
    }


def report(client, env: Environment, view: str, **params: str):
    response = client.get(reverse("catalog-governance", args=[env.pk]), {"view": view, **params})
    assert response.status_code == 200
    return response.context["table"]


@pytest.mark.django_db
def test_models_by_owner(demo: Environment, client) -> None:
    table = report(client, demo, "owners")
    rows = {r["owner"]: r for r in table.rows}
    expected: dict[str, list[dict]] = {}
    for n in MODELS.values():
        expected.setdefault(owner(n), []).append(n)
    assert set(rows) == set(expected)
    for name, models in expected.items():
        row = rows[name]
        assert row["models"] == len(models)
        assert row["public"] == sum(access(m) == "public" for m in models)
        assert row["private"] == sum(access(m) == "private" for m in models)
        contracted = sum(bool((m["config"].get("contract") or {}).get("enforced")) for m in models)
        assert row["contracted"] == pytest.approx(100 * contracted / len(models))
        documented = sum(bool(m["description"].strip()) for m in models)
        assert row["documented"] == pytest.approx(100 * documented / len(models))
        tested = sum(m["unique_id"] in TESTED for m in models)
        assert row["tested"] == pytest.approx(100 * tested / len(models))


@pytest.mark.django_db
def test_models_by_group_name_the_group_owner(demo: Environment, client) -> None:
    rows = {r["group"]: r for r in report(client, demo, "groups").rows}
    for group, email in GROUP_OWNERS.items():
        members = [m for m in MODELS.values() if m.get("group") == group]
        if members:
            assert rows[group]["models"] == len(members)
            assert rows[group]["group_owner"] == email


@pytest.mark.django_db
def test_public_models_without_a_contract(demo: Environment, client) -> None:
    table = report(client, demo, "public-without-contract")
    expected = {
        u
        for u, n in MODELS.items()
        if access(n) == "public" and not (n["config"].get("contract") or {}).get("enforced")
    }
    assert {r["model"]["unique_id"] for r in table.rows} == expected
    for row in table.rows:
        assert {u["unique_id"] for u in row["users"]} == users_of(row["model"]["unique_id"])


@pytest.mark.django_db
def test_deprecations_past_or_near_with_their_users(demo: Environment, client) -> None:
    table = report(client, demo, "deprecations")
    soon = datetime.now(UTC) + timedelta(days=30)
    expected = {
        u
        for u, n in MODELS.items()
        if n.get("deprecation_date")
        and datetime.fromisoformat(n["deprecation_date"]).replace(tzinfo=UTC) <= soon
    }
    assert expected, "the example project has a deprecated version"
    assert {r["model"]["unique_id"] for r in table.rows} == expected
    for row in table.rows:
        assert {u["unique_id"] for u in row["users"]} == users_of(row["model"]["unique_id"])


@pytest.mark.django_db
def test_versions_and_who_references_each(demo: Environment, client) -> None:
    table = report(client, demo, "versions")
    versioned = {u: n for u, n in MODELS.items() if n.get("version") is not None}
    assert {r["model"]["unique_id"] for r in table.rows} == set(versioned)
    states = {r["model"]["unique_id"]: r["state"] for r in table.rows}
    for u, n in versioned.items():
        version, latest = float(n["version"]), float(n["latest_version"])
        want = "latest" if version == latest else "prerelease" if version > latest else "old"
        assert states[u] == want
    for row in table.rows:
        assert {u["unique_id"] for u in row["users"]} == users_of(row["model"]["unique_id"])


@pytest.mark.django_db
def test_undocumented_and_untested_models(demo: Environment, client) -> None:
    undocumented = {r["model"]["unique_id"] for r in report(client, demo, "undocumented").rows}
    assert undocumented == {u for u, n in MODELS.items() if not n["description"].strip()}
    untested = {r["model"]["unique_id"] for r in report(client, demo, "untested").rows}
    assert untested == {u for u in MODELS if u not in TESTED}


@pytest.mark.django_db
def test_tables_sort_and_filter_from_the_url(demo: Environment, client) -> None:
    ascending = [r["models"] for r in report(client, demo, "owners", sort="models").rows]
    assert ascending == sorted(ascending)
    descending = [r["models"] for r in report(client, demo, "owners", sort="-models").rows]
    assert descending == sorted(descending, reverse=True)

    filtered = report(client, demo, "owners", q="finance")
    assert filtered.rows
    assert all("finance" in r["owner"] for r in filtered.rows)
    assert filtered.total == len(report(client, demo, "owners").rows)


@pytest.mark.django_db
def test_every_table_exports_as_csv(demo: Environment, client) -> None:
    for view in (
        "owners",
        "groups",
        "public-without-contract",
        "deprecations",
        "versions",
        "undocumented",
        "untested",
    ):
        response = client.get(
            reverse("catalog-governance", args=[demo.pk]), {"view": view, "format": "csv"}
        )
        assert response["Content-Type"].startswith("text/csv")
        assert "attachment" in response["Content-Disposition"]
        rows = list(csv.reader(io.StringIO(response.content.decode())))
        table = report(client, demo, view)
        assert rows[0] == [c.label for c in table.columns]
        assert len(rows) == len(table.rows) + 1


@pytest.mark.django_db
def test_csv_cells_cannot_become_spreadsheet_formulas(jaffle, client, settings) -> None:
    from tests.conftest import read_json, run_ingest, write_json

    settings.ANONYMOUS_READ = True
    manifest = read_json(jaffle / "manifest.json")
    manifest["nodes"]["model.jaffle_shop.orders"]["config"]["meta"] = {
        "owner": '=HYPERLINK("http://evil.example","x")'
    }
    write_json(jaffle / "manifest.json", manifest)
    run_ingest(str(jaffle), "--environment", "prod")
    env = Environment.objects.get()
    response = client.get(
        reverse("catalog-governance", args=[env.pk]), {"view": "owners", "format": "csv"}
    )
    cells = [c for row in csv.reader(io.StringIO(response.content.decode())) for c in row]
    assert '\'=HYPERLINK("http://evil.example","x")' in cells
    assert not any(c.startswith("=") for c in cells)


@pytest.mark.django_db
def test_governance_pages_take_a_bounded_number_of_queries(
    demo: Environment, client, django_assert_max_num_queries
) -> None:
    url = reverse("catalog-governance", args=[demo.pk])
    with django_assert_max_num_queries(25):
        client.get(url, {"view": "versions"})
    with django_assert_max_num_queries(4):
        client.get(url, {"view": "versions"})
