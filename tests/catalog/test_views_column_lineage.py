"""Column lineage on the pages: column pages (graph, lists, impact, CSV), model pages (status
and traced columns), inherited descriptions, the coverage table."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse

from catalog.models import Column, Environment
from lineage.columns.compute import column_lineage_compute
from lineage.models import ColumnEdge, NodeLineage
from tests.lineage.stored import BIKES, FAILED, FCT, INT, SRC, STG, USAGE, write_known_lineage

pytestmark = pytest.mark.django_db


@pytest.fixture
def known(demo: Environment) -> Environment:
    write_known_lineage(demo)
    return demo


def get(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def column_url(env: Environment, uid: str, column: str) -> str:
    return reverse("catalog-column", args=[env.pk, uid, column])


def test_a_column_page_draws_its_lineage_and_lists_each_edge_with_its_kind(
    known: Environment, client
) -> None:
    html = get(client, column_url(known, FCT, "trip_id"))

    assert 'data-lineage-status="traced"' in html
    assert '<svg class="column-lineage-graph"' in html
    # one box per column of the walk, each a link to its column page
    for uid, column in ((INT, "trip_id"), (STG, "trip_id"), (SRC, "ride_id"), (USAGE, "trips")):
        assert f'href="{column_url(known, uid, column)}"' in html, (uid, column)
    upstream = html.split('data-direction="upstream"')[1].split("</table>")[0]
    assert "int_trips_enriched.trip_id" in upstream
    assert "passthrough" in upstream
    assert "rename" in upstream
    downstream = html.split('data-direction="downstream"')[1].split("</table>")[0]
    assert "fct_rider_monthly_usage.trips" in downstream
    assert "aggregated" in downstream
    # the impact: downstream models, exposures on them, owners
    assert "fleet_operations_dashboard" in html
    assert "1 model" in html


def test_the_csv_holds_the_same_edges(known: Environment, client) -> None:
    response = client.get(column_url(known, FCT, "trip_id") + "?format=csv")
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    got = {
        (r["Direction"], r["Column node"], r["Made from node"], r["Transformation"]) for r in rows
    }
    assert got == {
        ("upstream", FCT, INT, "passthrough"),
        ("upstream", INT, STG, "passthrough"),
        ("upstream", STG, SRC, "renamed"),
        ("downstream", USAGE, FCT, "aggregated"),
    }
    assert len(rows) == 5  # two downstream columns of fct_rider_monthly_usage


def test_an_untraced_column_says_so_where_its_lineage_would_be(known: Environment, client) -> None:
    html = get(client, column_url(known, FCT, "trip_date"))
    assert 'data-lineage-status="untraced"' in html
    assert "strftime_x" in html
    assert "unknown, not empty" in html
    assert 'data-direction="upstream"' not in html
    assert "No upstream columns" not in html


def test_a_column_of_a_failed_model_shows_the_failure_not_an_empty_lineage(
    known: Environment, client
) -> None:
    html = get(client, column_url(known, BIKES, "bike_id"))
    assert 'data-lineage-status="failed"' in html
    assert FAILED[2] in html
    assert "No upstream columns" not in html
    assert '<svg class="column-lineage-graph"' not in html


def test_a_model_not_computed_yet_says_so(known: Environment, client) -> None:
    html = get(client, column_url(known, "model.bikeshare.dim_stations", "station_id"))
    assert 'data-lineage-status="pending"' in html
    assert "No upstream columns" not in html


def test_a_source_column_is_where_lineage_starts(known: Environment, client) -> None:
    html = get(client, column_url(known, SRC, "ride_id"))
    assert 'data-lineage-status="root"' in html
    assert "stg_bike_ops__trips.trip_id" in html.split('data-direction="downstream"')[1]


def test_model_pages_show_the_status_with_its_reason_and_the_traced_columns(
    known: Environment, client
) -> None:
    html = get(client, reverse("catalog-node", args=[known.pk, FCT]))
    assert 'data-lineage-status="partial"' in html
    assert "<code" in html.split('data-lineage-status="partial"')[1].split("</p>")[0]
    assert "trip_date" in html.split('data-lineage-status="partial"')[1].split("</p>")[0]
    row = html.split('id="column-trip_id"')[1].split("</tr>")[0]
    assert 'title="Traced: passthrough"' in row
    row = html.split('id="column-trip_date"')[1].split("</tr>")[0]
    assert "not traced" in row

    failed = get(client, reverse("catalog-node", args=[known.pk, BIKES]))
    assert 'data-lineage-status="failed"' in failed
    assert FAILED[2] in failed
    assert 'title="Traced:' not in failed

    parsed = get(client, reverse("catalog-node", args=[known.pk, STG]))
    assert 'data-lineage-status="parsed"' in parsed

    # a seed is not parsed: no status at all
    seed = get(client, reverse("catalog-node", args=[known.pk, "seed.bikeshare.bike_models"]))
    assert "data-lineage-status" not in seed


def test_an_undescribed_passthrough_column_inherits_its_description_marked(
    known: Environment, client
) -> None:
    Column.objects.filter(node__unique_id__in=[FCT, INT], name="trip_id").update(description="")
    stg = Column.objects.get(node__unique_id=STG, name="trip_id")

    html = get(client, column_url(known, FCT, "trip_id"))
    assert "inherited from" in html
    assert f'href="{column_url(known, STG, "trip_id")}">stg_bike_ops__trips.trip_id</a>' in html
    assert stg.description.split()[0] in html.split('class="description"')[1]

    model = get(client, reverse("catalog-node", args=[known.pk, FCT]))
    row = model.split('id="column-trip_id"')[1].split("</tr>")[0]
    assert "inherited from" in row


def test_the_coverage_page_lists_every_model_with_status_reason_and_counts(
    demo: Environment, client
) -> None:
    column_lineage_compute(environment=demo)
    url = reverse("catalog-column-lineage", args=[demo.pk])
    html = get(client, url)
    rows = NodeLineage.objects.filter(environment=demo)
    for status in ("parsed", "partial", "failed"):
        count = rows.filter(status=status).count()
        assert f'data-status="{status}">{count} {status}</a>' in html
    response = client.get(url + "?format=csv")
    table = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert len(table) == rows.count()
    by_id = {r.unique_id: r for r in rows}
    for line in table:
        row = by_id[line["Model"]]
        assert (line["Status"], line["Reason"]) == (row.status, row.reason)
        assert int(line["Traced"]) == row.columns_traced


def test_bad_hop_counts_fall_back_to_sane_ones(known: Environment, client) -> None:
    html = get(client, column_url(known, FCT, "trip_id") + "?up=abc&down=-4")
    assert 'name="up" min="0" max="20" value="3"' in html
    assert 'name="down" min="0" max="20" value="0"' in html
    assert 'data-direction="downstream"' not in html
    html = get(client, column_url(known, FCT, "trip_id") + "?up=999")
    assert 'name="up" min="0" max="20" value="20"' in html


def test_an_edge_to_a_column_without_a_name_does_not_break_the_page(
    known: Environment, client
) -> None:
    # An unaliased expression (`count(id)`) has no name in the SQL; the warehouse names it.
    # If column lineage stores such an edge with an empty name, the column it reads must still
    # render, the unnamed end as text: no column page can have an empty name.
    ColumnEdge.objects.create(
        environment=known,
        child_unique_id=USAGE,
        child_column="",
        parent_unique_id=FCT,
        parent_column="trip_id",
        kind="aggregated",
    )

    html = get(client, column_url(known, FCT, "trip_id"))

    downstream = html.split('data-direction="downstream"')[1].split("</table>")[0]
    assert "fct_rider_monthly_usage." in downstream
    assert f'href="{column_url(known, USAGE, "trips")}"' in downstream
