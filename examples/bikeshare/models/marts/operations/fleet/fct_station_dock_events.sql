-- One row per dock event: a bike leaving (departure) or reaching (arrival) a
-- station, with the station's running net inflow of bikes and, for each event,
-- the bike seen before it at the same station.
with trip_events as (

    select
        trip_id,
        bike_id,
        start_station_id as station_id,
        started_at as "eventAt",
        'departure' as event_type,
        -1 as dock_delta
    from {{ ref('fct_trips') }}

    union all

    select
        trip_id,
        bike_id,
        end_station_id,
        ended_at,
        'arrival',
        1
    from {{ ref('fct_trips') }}

)

select
    events.trip_id,
    events."BIKE_ID" as bike_id,
    events.station_id,
    stations.zone_code,
    events."eventAt" as event_at,
    events.event_type,
    row_number() over (partition by events.station_id order by events."eventAt") as "stationEventSeq",
    sum(events.dock_delta) over (
        partition by events.station_id
        order by events."eventAt"
        rows between unbounded preceding and current row
    ) as running_net_inflow,
    lag(events.bike_id) over (
        partition by events.station_id order by events."eventAt"
    ) as previous_bike_id
from (

    select * from trip_events where station_id is not null

) as events
inner join {{ ref('dim_stations') }} as stations on events.station_id = stations.station_id
