"""A known column lineage of the example project, written straight into lineage's tables.

The read side (walks, pages, GraphQL) is tested against it: what a parser would store for a
few models, with one partial and one failed model, so that every answer can be checked edge
by edge whatever the parser of the day gives on the whole project.
"""

from __future__ import annotations

from django.utils import timezone

from catalog.models import Environment
from lineage.models import ColumnEdge, ColumnLineage, NodeLineage

SRC = "source.bikeshare.bike_ops.trips"
STG = "model.bikeshare.stg_bike_ops__trips"
INT = "model.bikeshare.int_trips_enriched"
FCT = "model.bikeshare.fct_trips"
USAGE = "model.bikeshare.fct_rider_monthly_usage"
BIKES = "model.bikeshare.dim_bikes"

# (child node, child column, parent node, parent column, kind)
EDGES = [
    (STG, "trip_id", SRC, "ride_id", "rename"),
    (STG, "bike_id", SRC, "bike_id", "passthrough"),
    (STG, "rider_id", SRC, "customer_id", "rename"),
    (INT, "trip_id", STG, "trip_id", "passthrough"),
    (INT, "bike_id", STG, "bike_id", "passthrough"),
    (FCT, "trip_id", INT, "trip_id", "passthrough"),
    (FCT, "bike_id", INT, "bike_id", "passthrough"),
    (USAGE, "trips", FCT, "trip_id", "aggregated"),
    (USAGE, "ebike_trips", FCT, "trip_id", "aggregated"),
    (USAGE, "ebike_trips", FCT, "bike_id", "aggregated"),
]
# fct_trips.trip_date could not be traced; dim_bikes failed whole.
UNTRACED = (FCT, "trip_date", "a function the parser does not know: strftime_x", "unsupported")
FAILED = (BIKES, "parse_error", "Invalid expression / Unexpected token: line 3, col 7")


def write_known_lineage(env: Environment) -> None:
    for model in (NodeLineage, ColumnLineage, ColumnEdge):
        model.objects.filter(environment=env).delete()
    now = timezone.now()
    columns: dict[str, list[tuple[str, str]]] = {}
    for child, column, _, _, kind in EDGES:
        if (column, kind) not in columns.setdefault(child, []):
            columns[child].append((column, kind))
    for uid, cols in columns.items():
        partial = uid == FCT
        total = len(cols) + (1 if partial else 0)
        NodeLineage.objects.create(
            environment=env,
            unique_id=uid,
            status="partial" if partial else "parsed",
            category="",
            reason="1 column could not be traced" if partial else "",
            input_hash="0" * 32,
            columns_total=total,
            columns_traced=len(cols),
            parsed_at=now,
        )
        for i, (column, kind) in enumerate(cols):
            ColumnLineage.objects.create(
                environment=env, unique_id=uid, column=column, position=i, kind=kind
            )
    uid, column, error, category = UNTRACED
    ColumnLineage.objects.create(
        environment=env,
        unique_id=uid,
        column=column,
        position=99,
        error=error,
        error_category=category,
    )
    NodeLineage.objects.create(
        environment=env,
        unique_id=FAILED[0],
        status="failed",
        category=FAILED[1],
        reason=FAILED[2],
        input_hash="0" * 32,
        parsed_at=now,
    )
    ColumnEdge.objects.bulk_create(
        ColumnEdge(
            environment=env,
            child_unique_id=c,
            child_column=cc,
            parent_unique_id=p,
            parent_column=pc,
            kind=k,
        )
        for c, cc, p, pc, k in EDGES
    )
