{{ config(group='operations', access='private') }}

with departures as (

    select start_station_id as station_id, trip_date as activity_date, count(*) as departures
    from {{ ref('int_trips_enriched') }}
    group by 1, 2

),

arrivals as (

    select end_station_id as station_id, cast(ended_at as date) as activity_date, count(*) as arrivals
    from {{ ref('int_trips_enriched') }}
    group by 1, 2

)

select
    coalesce(departures.station_id, arrivals.station_id) as station_id,
    coalesce(departures.activity_date, arrivals.activity_date) as activity_date,
    coalesce(departures.departures, 0) as departures,
    coalesce(arrivals.arrivals, 0) as arrivals,
    coalesce(arrivals.arrivals, 0) - coalesce(departures.departures, 0) as net_inflow
from departures
full outer join arrivals
    on departures.station_id = arrivals.station_id
    and departures.activity_date = arrivals.activity_date
