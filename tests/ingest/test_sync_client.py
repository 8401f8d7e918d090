"""The Discovery client's own rules: the endpoint's host, the request budget, and pages that
end oddly (an empty last page, a repeated cursor) against a live server."""

from __future__ import annotations

import io
from typing import Any

import pytest

from catalog.models import Node
from ingest.sources.discovery import TokenBucket, metadata_url
from ingest.sources.discovery.client import DiscoveryError
from ingest.sources.discovery.read import relation_name
from tests.ingest.test_sync_faults import Fault, proxied, second_page, sync  # noqa: F401


@pytest.mark.parametrize(
    ("access_url", "region", "expected"),
    [
        # cell-based multi-tenant: {prefix}.{region}.dbt.com
        ("https://ab123.us1.dbt.com", "", "https://ab123.metadata.us1.dbt.com/graphql"),
        ("ab123.eu2.dbt.com/", "", "https://ab123.metadata.eu2.dbt.com/graphql"),
        # legacy multi-tenant hosts
        ("https://cloud.getdbt.com", "", "https://metadata.cloud.getdbt.com/graphql"),
        ("https://emea.dbt.com", "", "https://metadata.emea.dbt.com/graphql"),
        ("https://au.dbt.com", "", "https://metadata.au.dbt.com/graphql"),
        # an account host without its region in it, and the region given apart
        ("https://ab123.dbt.com", "jp1", "https://ab123.metadata.jp1.dbt.com/graphql"),
        # any other host (single tenant, vanity)
        ("https://dbt.acme.internal", "", "https://metadata.dbt.acme.internal/graphql"),
        # already a metadata host
        ("https://ab123.metadata.us1.dbt.com", "", "https://ab123.metadata.us1.dbt.com/graphql"),
        # only a legacy region
        ("", "emea", "https://metadata.emea.dbt.com/graphql"),
    ],
)
def test_it_derives_the_metadata_host(access_url: str, region: str, expected: str) -> None:
    assert metadata_url(access_url=access_url, region=region) == expected


@pytest.mark.parametrize(
    ("adapter", "parts", "expected"),
    [
        ("duckdb", ("bikeshare", "raw_ops", "bikes"), '"bikeshare"."raw_ops"."bikes"'),
        ("postgres", ("analytics", "raw", "orders"), '"analytics"."raw"."orders"'),
        ("bigquery", ("proj", "ds", "t"), "`proj`.`ds`.`t`"),
        ("databricks", ("main", "raw", "t"), "`main`.`raw`.`t`"),
        ("spark", ("", "raw", "t"), "`raw`.`t`"),  # no database: two parts, as dbt writes
        ("snowflake", ("RAW", "JAFFLE", "ORDERS"), "RAW.JAFFLE.ORDERS"),  # quoting off
        ("", ("db", "s", "t"), '"db"."s"."t"'),
    ],
)
def test_it_spells_relation_names_as_dbt_does(
    adapter: str, parts: tuple[str, ...], expected: str
) -> None:
    # The API carries relationName for models only; sources, seeds and snapshots get theirs
    # from database, schema and identifier (column lineage finds parents by it).
    assert relation_name(adapter, *parts) == expected


def test_it_needs_an_access_url_or_a_region() -> None:
    with pytest.raises(DiscoveryError, match="access URL or a region"):
        metadata_url(access_url="", region="")


def test_the_budget_keeps_under_500_requests_a_minute() -> None:
    now = [0.0]

    def sleep(seconds: float) -> None:
        now[0] += seconds

    bucket = TokenBucket(clock=lambda: now[0], sleep=sleep)
    for _ in range(2000):
        bucket.take()
    # 2000 requests: a burst of 20, then 450 a minute.
    assert now[0] == pytest.approx((2000 - 20) / 450 * 60)
    assert 2000 / (now[0] / 60) < 500


@pytest.mark.slow
def test_an_empty_last_page_ends_the_list(proxied: Any) -> None:  # noqa: F811
    served, proxy = proxied

    def empty(request: Any, body: Any) -> Any:
        page = body["data"]["environment"]["definition"]["macros"]
        page["edges"], page["pageInfo"]["hasNextPage"] = [], True
        return body

    proxy.faults.append(
        Fault(when=lambda r: second_page(r) and "Macros" in r["query"], rewrite=empty)
    )

    ingest = sync(served)

    assert ingest.status == "succeeded"
    assert Node.objects.filter(environment=served.mirror, resource_type="macro").count() == 100
    macro_pages = [r for r in proxy.requests if "Macros" in r["query"]]
    assert len(macro_pages) == 2, "no page asked for after the empty one"


@pytest.mark.slow
def test_a_repeated_cursor_ends_the_list(proxied: Any) -> None:  # noqa: F811
    served, proxy = proxied

    def repeat(request: Any, body: Any) -> Any:
        info = body["data"]["environment"]["definition"]["macros"]["pageInfo"]
        info["endCursor"], info["hasNextPage"] = request["variables"]["after"], True
        return body

    proxy.faults.append(
        Fault(when=lambda r: second_page(r) and "Macros" in r["query"], rewrite=repeat)
    )

    ingest = sync(served)

    assert ingest.status == "succeeded"
    assert Node.objects.filter(environment=served.mirror, resource_type="macro").count() == 200
    assert len([r for r in proxy.requests if "Macros" in r["query"]]) == 2


@pytest.mark.django_db
def test_environment_add_derives_the_discovery_url_from_the_access_url() -> None:
    from django.core.management import CommandError, call_command

    from catalog.models import Environment

    call_command(
        "environment",
        *("add", "prod", "--access-url", "https://ab123.us1.dbt.com"),
        *("--dbt-environment-id", "5", "--token-env", "DBT_CLOUD_TOKEN"),
        stdout=io.StringIO(),
    )

    env = Environment.objects.get(name="prod")
    assert env.discovery_url == "https://ab123.metadata.us1.dbt.com/graphql"
    assert env.feed == "dbt_cloud"
    with pytest.raises(CommandError, match="not an access URL"):
        call_command("environment", "add", "x", "--access-url", "https://", stdout=io.StringIO())
    assert not Environment.objects.filter(name="x").exists()
