"""Load Lantern Bikes' raw CSVs into DuckDB, as the ingestion tools would have.

Usage:
    python load_raw.py DUCKDB_PATH            # (re)create every raw table
    python load_raw.py DUCKDB_PATH --bump-bikes
        # simulate the next Airbyte sync of raw_ops.bikes: a few bikes change
        # status, so the `bikes_snapshot` snapshot records new versions.

Each table gets the sync-timestamp column of its loader (`_airbyte_extracted_at`,
`_fivetran_synced`, `_loaded_at`), set relative to *now* so that
`dbt source freshness` reports a mix of pass / warn / error:

| table                        | last sync     | freshness thresholds (see _bike_ops__sources.yml) | result |
| ---------------------------- | ------------- | ------------------------------------------------- | ------ |
| raw_ops.trips                | 40 min ago    | warn 2 h, error 12 h                              | pass   |
| raw_ops.bikes                | 2 h ago       | warn 6 h, error 24 h (source default)             | pass   |
| raw_ops.maintenance_events   | 9 days ago    | warn 2 days, error 5 days                         | error  |
| raw_billing.customers        | 5 h ago       | warn 24 h, error 72 h (source default)            | pass   |
| raw_billing.payments         | 30 h ago      | warn 24 h, error 72 h                             | warn   |
| raw_billing.subscriptions    | 5 h ago       | warn 24 h, error 72 h                             | pass   |
"""
import datetime as dt
import pathlib
import sys

import duckdb

HERE = pathlib.Path(__file__).resolve().parent

# (schema, table, csv file, sync column, lag behind now)
TABLES = [
    ("raw_ops", "stations", "bike_ops/stations.csv", "_airbyte_extracted_at", dt.timedelta(hours=2)),
    ("raw_ops", "bikes", "bike_ops/bikes.csv", "_airbyte_extracted_at", dt.timedelta(hours=2)),
    ("raw_ops", "trips", "bike_ops/trips.csv", "_airbyte_extracted_at", dt.timedelta(minutes=40)),
    ("raw_ops", "maintenance_events", "bike_ops/maintenance_events.csv", "_airbyte_extracted_at", dt.timedelta(days=9)),
    ("raw_billing", "customers", "payments/customers.csv", "_fivetran_synced", dt.timedelta(hours=5)),
    ("raw_billing", "payments", "payments/payments.csv", "_fivetran_synced", dt.timedelta(hours=30)),
    ("raw_billing", "subscriptions", "payments/subscriptions.csv", "_fivetran_synced", dt.timedelta(hours=5)),
    ("raw_weather", "daily_weather", "weather/daily_weather.csv", "_loaded_at", dt.timedelta(hours=7)),
]


def utc_now() -> dt.datetime:
    # dbt treats naive timestamps as UTC when it computes freshness.
    return dt.datetime.now(dt.timezone.utc).replace(tzinfo=None, microsecond=0)


def load_all(con: duckdb.DuckDBPyConnection) -> None:
    now = utc_now()
    for schema, table, csv_file, sync_col, lag in TABLES:
        con.execute(f"create schema if not exists {schema}")
        path = (HERE / csv_file).as_posix()
        synced = now - lag
        # older rows were synced earlier: spread them over the previous 30 minutes
        con.execute(
            f"""
            create or replace table {schema}.{table} as
            select
                src.*,
                ?::timestamp - to_seconds((count(*) over () - row_number() over ()) % 1800) as {sync_col}
            from read_csv('{path}', header = true, auto_detect = true) as src
            """,
            [synced],
        )
        rows = con.execute(f"select count(*) from {schema}.{table}").fetchone()[0]
        print(f"  {schema + '.' + table:<28} {rows:>5} rows, last sync {synced:%Y-%m-%d %H:%M} UTC")


def bump_bikes(con: duckdb.DuckDBPyConnection) -> None:
    now = utc_now()
    con.execute(
        """
        update raw_ops.bikes
        set status = case status when 'active' then 'in_repair' else 'active' end,
            updated_at = ?::timestamp - interval 20 minute,
            _airbyte_extracted_at = ?::timestamp
        where bike_id in ('LB-1003', 'LB-1010', 'LB-1024')
        """,
        [now, now],
    )
    print("  raw_ops.bikes: 3 bikes changed status")


def main(argv: list[str]) -> int:
    if len(argv) < 2:
        print(__doc__)
        return 2
    con = duckdb.connect(argv[1])
    try:
        if "--bump-bikes" in argv[2:]:
            bump_bikes(con)
        else:
            load_all(con)
    finally:
        con.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
