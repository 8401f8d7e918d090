"""Rebalancing priority per station, for the van crews' morning route.

A Python model: dbt-duckdb hands DuckDB relations in and takes one back, so this
runs without pandas. The score is the average daily net inflow over the last 28
days of data, relative to the station's dock count: strongly positive means the
station fills up (collect bikes), strongly negative means it empties (deliver bikes).
"""

LOOKBACK_DAYS = 28
THRESHOLD = 0.02


def model(dbt, session):
    dbt.config(
        materialized="table",
        tags=["ml_feature"],
        meta={"owner": "routing-ml@lanternbikes.example", "consumer": "van routing optimiser"},
    )

    # Give the upstream relations stable names, then aggregate in SQL.
    session.register("rebalance_activity", dbt.ref("fct_station_daily_activity"))
    session.register("rebalance_stations", dbt.ref("dim_stations"))

    return session.sql(
        f"""
        with window_end as (select max(activity_date) as d from rebalance_activity),

        recent as (
            select a.*
            from rebalance_activity as a, window_end
            where a.activity_date > window_end.d - interval {LOOKBACK_DAYS} day
        )

        select
            s.station_id,
            s.station_name,
            s.zone_code,
            s.dock_count,
            round(avg(r.net_inflow), 2) as avg_daily_net_inflow,
            round(avg(r.net_inflow) / nullif(s.dock_count, 0), 3) as rebalancing_score,
            case
                when avg(r.net_inflow) / nullif(s.dock_count, 0) >= {THRESHOLD} then 'collect'
                when avg(r.net_inflow) / nullif(s.dock_count, 0) <= -{THRESHOLD} then 'deliver'
                else 'none'
            end as recommended_action
        from rebalance_stations as s
        join recent as r on r.station_id = s.station_id
        where s.is_active
        group by s.station_id, s.station_name, s.zone_code, s.dock_count
        order by rebalancing_score desc
        """
    )
