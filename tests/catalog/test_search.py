"""Search: query parsing, ranking tiers, facets and filters, snippets, suggestions, and an index
that follows every load (and every failed one) on both backends."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from django.db import connection

from catalog.models import Column, Environment, Node
from catalog.search import Hit, SearchResults, parse_query, search, suggest
from ingest import load
from tests.conftest import EXAMPLE, read_json, run_ingest, write_json

ORDERS = "model.jaffle_shop.orders"
CUSTOMERS = "model.jaffle_shop.customers"
# Inputs that mean something to FTS5 or to_tsquery, or to nothing at all.
HOSTILE = [
    '"',
    '""',
    '"""',
    "-",
    "--",
    "- -",
    '-"',
    "*",
    "**",
    ":",
    "(",
    ")",
    "'",
    "''",
    "NEAR",
    "NEAR(a b)",
    "AND",
    "a OR b",
    "NOT",
    "a AND NOT b",
    "^start",
    "col:name",
    "{name}: x",
    "a & b | !c",
    "x:*",
    "'a':*A",
    "a <-> b",
    "\\",
    "%_",
    "'; DROP TABLE catalog_node; --",
    "\x00",
    "é",
    "ÉCOLE",
    "日本語",
    "🚲 bike",
    "a" * 5000,
    " ".join(f"w{i}" for i in range(100)),
]


def everything(environment: Environment, q: str, **filters: str) -> SearchResults:
    return search(environment=environment, q=q, filters=filters, per_page=10_000)


def key(hit: Hit) -> tuple[str, int, str]:
    return (hit.kind, hit.node_id, hit.column_name)


@pytest.fixture
def demo(settings) -> Environment:
    """The bundled example project (bikeshare: models, sources, metrics, 600 dbt macros)."""
    run_ingest(str(EXAMPLE), "--environment", "demo")
    return Environment.objects.get(name="demo")


@pytest.fixture
def shop(jaffle: Path) -> Environment:
    run_ingest(str(jaffle), "--environment", "shop")
    return Environment.objects.get(name="shop")


# --------------------------------------------------------------------------------------------
# The query


@pytest.mark.parametrize(
    ("q", "terms", "phrases", "excluded"),
    [
        ("orders", ("orders",), (), ()),
        ("  Stg_Orders  ", ("stg_orders",), (), ()),
        ("customer id", ("customer", "id"), (), ()),
        ('"daily weather" rider', ("rider",), (("daily", "weather"),), ()),
        ('"Daily  Weather', (), (("daily", "weather"),), ()),
        ("trips -stg", ("trips",), (), ("stg",)),
        ('trips -"daily weather"', ("trips",), (), ("daily weather",)),
        ("(stg_orders), orders.", ("stg_orders", "orders"), (), ()),
        ("orders orders ORDERS", ("orders",), (), ()),
        ("first-touch", ("first-touch",), (), ()),
        ("Café", ("café",), (), ()),
        ("NEAR AND", ("near", "and"), (), ()),
        ('"', (), (), ()),
        ("- -- *", (), (), ()),
    ],
)
def test_it_parses_words_phrases_and_exclusions(q, terms, phrases, excluded) -> None:
    query = parse_query(q)
    assert (query.terms, query.phrases, query.excluded) == (terms, phrases, excluded)
    assert query.raw == q


@pytest.mark.parametrize("q", ['"', "-", "- -", "-foo", '-"a b"', "*", "()", "", "   "])
def test_it_has_nothing_to_look_for_without_a_word_to_find(q: str) -> None:
    assert parse_query(q).is_empty()


@pytest.mark.parametrize("q", HOSTILE)
def test_it_never_raises_on_odd_input(q: str) -> None:
    query = parse_query(q)
    for word in query.terms + query.excluded + tuple(w for p in query.phrases for w in p):
        assert '"' not in word
        assert word == word.lower()


@pytest.mark.django_db
def test_it_searches_odd_input_without_errors_or_injection(demo: Environment) -> None:
    nodes = Node.objects.count()
    for q in HOSTILE:
        results = search(environment=demo, q=q)
        assert results.total >= len(results.hits), q
        suggest(environment=demo, q=q)
    assert Node.objects.count() == nodes
    # Operators are words like any other: "NOT" finds the generic not_null tests.
    assert any(h.name.startswith("not_null_") for h in search(environment=demo, q="NOT").hits)


# --------------------------------------------------------------------------------------------
# Ranking


@pytest.mark.django_db
def test_it_ranks_a_model_named_exactly_like_the_query_first(demo: Environment) -> None:
    for name in ("fct_trips", "dim_stations", "FCT_TRIPS"):
        first = search(environment=demo, q=name).hits[0]
        assert (first.kind, first.resource_type, first.name.lower(), first.tier) == (
            "node",
            "model",
            name.lower(),
            0,
        )
        assert first.matched == "name"


@pytest.mark.django_db
def test_it_matches_names_case_insensitively(shop: Environment) -> None:
    first = search(environment=shop, q="stg_customers").hits[0]
    assert (first.unique_id, first.tier) == ("model.jaffle_shop.STG_CUSTOMERS", 0)


@pytest.mark.django_db
def test_it_ranks_columns_named_like_the_query_above_mentions_in_descriptions(
    jaffle: Path,
) -> None:
    # given a model and a column whose descriptions only mention customer_id
    manifest = read_json(jaffle / "manifest.json")
    manifest["nodes"]["model.jaffle_shop.stg_orders"]["description"] = "Joined on customer_id."
    items = manifest["nodes"]["model.jaffle_shop.order_items"]
    items["columns"]["order_id"]["description"] = "The order (look up its customer_id)."
    write_json(jaffle / "manifest.json", manifest)
    run_ingest(str(jaffle), "--environment", "shop")
    env = Environment.objects.get()

    hits = everything(env, "customer_id").hits

    named = [i for i, h in enumerate(hits) if h.column_name == "customer_id"]
    mentions = [i for i, h in enumerate(hits) if h.matched == "description"]
    assert len(named) >= 4
    assert {hits[i].name for i in mentions} >= {"stg_orders", "order_items"}
    assert max(named) < min(mentions)
    assert all(hits[i].tier == 0 and hits[i].matched == "column" for i in named)
    assert hits[named[0]].snippet == "<mark>customer_id</mark>"


@pytest.mark.django_db
def test_it_finds_word_prefixes_and_names_that_start_with_the_query(demo: Environment) -> None:
    hits = everything(demo, "stat").hits
    names = {(h.kind, h.name, h.column_name) for h in hits}
    assert ("node", "stations", "") in names
    assert ("node", "dim_stations", "") in names  # a word of the name
    assert ("column", "dim_stations", "station_id") in names
    assert all(h.tier == 1 for h in hits if h.kind == "node" and h.name.endswith("stations"))
    # names that start with the query come first in their tier (before other packages' macros)
    tier1 = [h for h in hits if h.tier == 1 and h.package_name == "bikeshare"]
    starts = [(h.column_name or h.name).lower().startswith("stat") for h in tier1]
    assert starts == sorted(starts, reverse=True)
    assert starts.count(True) > 3


@pytest.mark.django_db
def test_it_splits_words_at_underscores_dots_dashes_and_slashes(demo: Environment) -> None:
    assert "fct_trips" in {h.name for h in everything(demo, "trips").hits}
    assert "stg_bike_ops__trips" in {h.name for h in everything(demo, "ops trips").hits}
    assert "stg_bike_ops__trips" in {h.name for h in everything(demo, "bike-ops/trips").hits}


@pytest.mark.django_db
def test_it_matches_phrases_as_adjacent_words_in_order(demo: Environment) -> None:
    def named(q: str) -> set[str]:
        return {h.name for h in everything(demo, q).hits if h.kind == "node" and h.tier == 1}

    assert "stg_bike_ops__trips" in named('"bike ops"')
    assert "stg_bike_ops__trips" in named('"bike ops trips"')
    assert "stg_bike_ops__trips" not in named('"ops bike"')
    assert "stg_bike_ops__trips" not in named('"bike trips"')
    assert "stg_bike_ops__trips" in named("bike trips")


@pytest.mark.django_db
def test_it_drops_results_with_an_excluded_word(demo: Environment) -> None:
    trips = {h.name for h in everything(demo, "trips").hits}
    without = everything(demo, "trips -stg").hits
    assert {"stg_bike_ops__trips", "int_trips_enriched"} <= trips
    nodes = {h.name for h in without if h.kind == "node"}
    assert "stg_bike_ops__trips" not in nodes
    # Its SQL refs stg_bike_ops__trips: code mentions everything upstream, it is not text.
    assert "stg" in Node.objects.get(name="int_trips_enriched").raw_code
    assert "int_trips_enriched" in nodes
    # a column is a result of its own: its text is its name and description
    assert "stg_bike_ops__trips" in {h.name for h in without if h.kind == "column"}
    for hit in without:
        if hit.tier < 3:
            assert "stg" not in (hit.column_name or hit.name).lower().split("_")
    no_phrase = everything(demo, 'trips -"bike ops"').hits
    assert no_phrase
    assert "stg_bike_ops__trips" not in {h.name for h in no_phrase if h.kind == "node"}
    assert "stg_bike_ops__trips" in {h.name for h in everything(demo, 'trips -"ops bike"').hits}


@pytest.mark.django_db
def test_it_ranks_matches_in_code_only_last(demo: Environment) -> None:
    hits = everything(demo, "stg_weather__daily_weather").hits
    tiers = [h.tier for h in hits]
    assert tiers == sorted(tiers)
    assert hits[0].name == "stg_weather__daily_weather"
    code = [h for h in hits if h.tier == 3]
    assert [h.name for h in code] == ["fct_station_daily_activity"]  # refs it in its SQL
    assert all(h.matched == "code" and h.kind == "node" for h in code)
    assert all("<mark>" in h.snippet for h in code)
    # a word that only code has
    only = everything(demo, "coalesce").hits
    assert only
    assert all(h.tier == 3 for h in only)


@pytest.mark.django_db
def test_it_ranks_other_packages_macros_after_the_project_own_nodes(demo: Environment) -> None:
    hits = everything(demo, "date").hits
    for tier in {h.tier for h in hits}:
        in_tier = [h for h in hits if h.tier == tier]
        others = [h.resource_type == "macro" and h.package_name != "bikeshare" for h in in_tier]
        assert others == sorted(others), tier


@pytest.mark.django_db
def test_it_ranks_names_before_descriptions_before_tags(jaffle: Path) -> None:
    manifest = read_json(jaffle / "manifest.json")
    nodes = manifest["nodes"]
    nodes["model.jaffle_shop.locations"]["description"] = "Where the zebra lives."
    nodes["model.jaffle_shop.products"]["tags"] = ["zebra"]
    nodes["model.jaffle_shop.products"]["config"]["tags"] = ["zebra"]
    nodes["model.jaffle_shop.supplies"]["name"] = "zebra_supplies"
    write_json(jaffle / "manifest.json", manifest)
    run_ingest(str(jaffle), "--environment", "shop")

    hits = search(environment=Environment.objects.get(), q="zebra").hits

    assert [(h.name, h.matched) for h in hits] == [
        ("zebra_supplies", "name"),
        ("locations", "description"),
        ("products", "tags"),
    ]
    assert [h.tier for h in hits] == [1, 2, 2]


# --------------------------------------------------------------------------------------------
# Facets, filters, pages


def expected_facets(environment: Environment, hits: list[Hit]) -> dict[str, Counter[str]]:
    """The facets of `hits`, counted from the catalog without the search code."""
    nodes = {
        n["id"]: n
        for n in Node.objects.filter(environment=environment).values(
            "id", "resource_type", "package_name", "access", "owner_email", "owner_name", "tags"
        )
    }
    facets: dict[str, Counter[str]] = {k: Counter() for k in ("type", "package", "tag")}
    facets.update(access=Counter(), owner=Counter())
    for hit in hits:
        node = nodes[hit.node_id]
        facets["type"][hit.resource_type if hit.kind == "node" else "column"] += 1
        facets["package"][node["package_name"]] += 1
        facets["tag"].update(set(node["tags"]))
        if node["access"]:
            facets["access"][node["access"]] += 1
        if owner := node["owner_email"] or node["owner_name"]:
            facets["owner"][owner] += 1
    return facets


@pytest.mark.django_db
def test_it_counts_facets_over_all_results(demo: Environment) -> None:
    results = everything(demo, "rider")
    assert results.total == len(results.hits) > 40

    expected = expected_facets(demo, results.hits)
    for name, counter in expected.items():
        assert dict(results.facets[name]) == dict(counter), name
        values = results.facets[name]
        assert values == sorted(values, key=lambda v: (-v[1], v[0])), name
    assert {"column", "model", "test"} <= {v for v, _ in results.facets["type"]}
    assert results.facets["owner"]
    assert results.facets["tag"]
    assert results.facets["access"]


@pytest.mark.django_db
def test_it_narrows_by_filters_and_counts_each_facet_without_its_own(demo: Environment) -> None:
    everything_ = everything(demo, "rider")
    tag = everything_.facets["tag"][0][0]

    by_type = everything(demo, "rider", type="column")
    assert by_type.total == dict(everything_.facets["type"])["column"] == len(by_type.hits)
    assert {h.kind for h in by_type.hits} == {"column"}
    # the type facet still offers the other types, counted as before
    assert by_type.facets["type"] == everything_.facets["type"]
    assert dict(by_type.facets["tag"]) == dict(expected_facets(demo, by_type.hits)["tag"])

    both = everything(demo, "rider", type="model", tag=tag)
    assert both.hits
    assert all(h.resource_type == "model" and h.kind == "node" for h in both.hits)
    tags = dict(Node.objects.filter(environment=demo).values_list("id", "tags"))
    assert all(tag in tags[h.node_id] for h in both.hits)
    assert both.total == len(both.hits)

    owner = everything_.facets["owner"][0][0]
    owned = everything(demo, "rider", owner=owner)
    assert owned.total == dict(everything_.facets["owner"])[owner]

    assert everything(demo, "rider", type="nothing").total == 0
    assert everything(demo, "rider", unknown="x").total == everything_.total


@pytest.mark.django_db
def test_it_pages_without_gaps_or_duplicates(demo: Environment) -> None:
    whole = everything(demo, "station")
    seen: list[tuple[str, int, str]] = []
    page = 1
    while True:
        results = search(environment=demo, q="station", page=page, per_page=7)
        assert results.total == whole.total
        if not results.hits:
            break
        assert len(results.hits) <= 7
        seen += [key(h) for h in results.hits]
        page += 1
    assert len(seen) == len(set(seen)) == whole.total
    assert seen == [key(h) for h in whole.hits]
    assert search(environment=demo, q="station", page=999).hits == []


@pytest.mark.django_db
def test_it_bounds_its_queries(demo: Environment, django_assert_max_num_queries) -> None:
    with django_assert_max_num_queries(3):
        results = search(environment=demo, q="rider", filters={"type": "model"}, page=2, per_page=5)
    assert results.hits
    with django_assert_max_num_queries(2):
        assert suggest(environment=demo, q="st")
    with django_assert_max_num_queries(0):
        search(environment=demo, q='"')


# --------------------------------------------------------------------------------------------
# Snippets


@pytest.mark.django_db
def test_it_marks_the_match_and_escapes_everything_else(jaffle: Path) -> None:
    manifest = read_json(jaffle / "manifest.json")
    manifest["nodes"][ORDERS]["description"] = (
        "<script>alert('x')</script> Every <b>order</b> & its zebra, " + "filler " * 60 + "end."
    )
    manifest["nodes"][CUSTOMERS]["description"] = "filler " * 60 + "then the zebra comes."
    write_json(jaffle / "manifest.json", manifest)
    run_ingest(str(jaffle), "--environment", "shop")
    env = Environment.objects.get()

    hits = {h.unique_id: h for h in search(environment=env, q="zebra").hits}

    orders = hits[ORDERS].snippet
    assert "<script>" not in orders
    assert "<b>" not in orders
    # the snippet is what a reader sees of the markdown: the script and its content are gone
    assert "script" not in orders
    assert "alert" not in orders
    assert orders.startswith("Every order &amp; its <mark>zebra</mark>,")
    assert orders.endswith("…")
    assert len(orders) < 300
    customers = hits[CUSTOMERS].snippet
    assert customers.startswith("…")
    assert "the <mark>zebra</mark> comes." in customers
    assert hits[ORDERS].description.startswith("<script>")  # the raw markdown, for the view


# --------------------------------------------------------------------------------------------
# Suggestions


@pytest.mark.django_db
def test_it_suggests_names_that_start_with_what_was_typed(demo: Environment) -> None:
    found = suggest(environment=demo, q="fct_tr")
    assert [(s.kind, s.name) for s in found] == [("node", "fct_trips")]
    assert found[0].unique_id == "model.bikeshare.fct_trips"

    trips = suggest(environment=demo, q="TRIPS", limit=20)
    exact = [s for s in trips if (s.column_name or s.name) == "trips"]
    assert exact == trips[: len(exact)]
    assert [s.kind for s in exact] == sorted(s.kind for s in exact)[::-1]  # nodes first
    assert {s.column_name for s in trips if s.kind == "column"} >= {"trips"}
    # one suggestion per column name
    columns = [s.column_name for s in trips if s.kind == "column"]
    assert len(columns) == len(set(columns))

    assert len(suggest(environment=demo, q="s", limit=3)) == 3
    assert suggest(environment=demo, q="zzz") == []
    assert suggest(environment=demo, q="  ") == []


@pytest.mark.django_db
def test_it_suggests_other_packages_macros_only_by_their_exact_name(demo: Environment) -> None:
    assert "dateadd" not in {s.name for s in suggest(environment=demo, q="datead")}
    assert [s.name for s in suggest(environment=demo, q="dateadd")][:1] == ["dateadd"]


# --------------------------------------------------------------------------------------------
# The index follows the catalog


def edited(folder: Path) -> dict:
    """The jaffle manifest with customers gone and a new model, orders_v2."""
    manifest = read_json(folder / "manifest.json")
    del manifest["nodes"][CUSTOMERS]
    new = dict(manifest["nodes"][ORDERS])
    new.update(unique_id="model.jaffle_shop.orders_v2", name="orders_v2", description="Zebra.")
    manifest["nodes"]["model.jaffle_shop.orders_v2"] = new
    return manifest


def found(environment: Environment, q: str) -> set[str]:
    return {h.unique_id for h in everything(environment, q).hits}


@pytest.mark.django_db
def test_it_reflects_a_second_load(shop: Environment, jaffle: Path) -> None:
    assert CUSTOMERS in found(shop, "customers")
    write_json(jaffle / "manifest.json", edited(jaffle))

    run_ingest(str(jaffle), "--environment", "shop")

    assert CUSTOMERS not in found(shop, "customers")
    assert "model.jaffle_shop.orders_v2" in found(shop, "zebra")
    assert "model.jaffle_shop.orders_v2" in found(shop, "orders_v2")
    # the columns went and came with their nodes
    assert not any(h.name == "customers" for h in everything(shop, "customer_id").hits)
    assert any(h.name == "orders_v2" for h in everything(shop, "order_total").hits)


@pytest.mark.django_db
def test_it_keeps_the_previous_snapshot_when_a_load_fails_halfway(
    shop: Environment, jaffle: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = [key(h) for h in everything(shop, "order").hits]
    write_json(jaffle / "manifest.json", edited(jaffle))
    real_insert = load.insert_rows

    def failing_insert(model, fields, rows):
        if model is Column:
            raise RuntimeError("disk full (injected)")
        return real_insert(model, fields, rows)

    monkeypatch.setattr(load, "insert_rows", failing_insert)
    with pytest.raises(RuntimeError, match="disk full"):
        run_ingest(str(jaffle), "--environment", "shop")

    assert [key(h) for h in everything(shop, "order").hits] == before
    assert CUSTOMERS in found(shop, "customers")
    assert found(shop, "zebra") == set()


@pytest.mark.django_db
def test_it_never_shows_another_environment(jaffle: Path, finance: Path) -> None:
    run_ingest(str(jaffle), "--environment", "shop")
    run_ingest(str(finance), "--environment", "finance")
    shop, finance_env = (
        Environment.objects.get(name="shop"),
        Environment.objects.get(name="finance"),
    )
    for env in (shop, finance_env):
        ids = set(Node.objects.filter(environment=env).values_list("id", flat=True))
        for q in ("customer", "order", "id", "macro", "dbt"):
            results = everything(env, q)
            assert {h.node_id for h in results.hits} <= ids, (env, q)
        for s in suggest(environment=env, q="c", limit=50):
            assert Node.objects.filter(environment=env, unique_id=s.unique_id).exists()

    finance_env.delete()
    assert everything(shop, "customer").hits
    assert _index_rows() == _catalog_rows()


@pytest.mark.django_db
def test_it_follows_orm_updates_and_deletes(shop: Environment) -> None:
    Node.objects.filter(unique_id=ORDERS).update(description="Now with okapis.")
    Column.objects.filter(node__unique_id=CUSTOMERS, name="customer_name").update(
        name="full_name", description="What the okapi is called."
    )
    okapi = everything(shop, "okapi").hits
    assert {(h.name, h.column_name) for h in okapi} == {
        ("orders", ""),
        ("customers", "full_name"),
    }
    assert everything(shop, "customer_name").total < 10

    Node.objects.filter(unique_id=ORDERS).delete()
    assert {h.name for h in everything(shop, "okapi").hits} == {"customers"}
    assert _index_rows() == _catalog_rows()


def _catalog_rows() -> tuple[int, int]:
    return Node.objects.count(), Column.objects.count()


def _index_rows() -> tuple[int, int]:
    """Rows in the search index, nodes and columns (a broken trigger shows here)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT count(*) FILTER (WHERE kind = 0), count(*) FILTER (WHERE kind = 1) "
                "FROM catalog_search_document"
            )
            nodes, columns = cursor.fetchone()
        else:
            cursor.execute("SELECT count(*) FROM catalog_node_fts_docsize")
            (nodes,) = cursor.fetchone()
            cursor.execute("SELECT count(*) FROM catalog_column_fts_docsize")
            (columns,) = cursor.fetchone()
    return nodes, columns


@pytest.mark.django_db
def test_it_has_its_index_triggers(shop: Environment) -> None:
    """A later migration that rebuilds catalog_node or catalog_column on SQLite drops them."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT count(DISTINCT tgname) FROM pg_trigger WHERE tgname LIKE 'catalog_search_%'"
            )
            assert cursor.fetchone()[0] == 8
        else:
            cursor.execute(
                "SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND name LIKE '%_fts_%'"
            )
            assert cursor.fetchone()[0] == 7
    assert _index_rows() == _catalog_rows()
