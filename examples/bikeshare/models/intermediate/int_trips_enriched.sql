{{
    config(
        materialized='ephemeral',
        group='operations',
        access='private',
    )
}}

with trips as (

    select * from {{ ref('stg_bike_ops__trips') }}

),

bikes as (

    select bike_id, bike_type, model_name from {{ ref('stg_bike_ops__bikes') }}

),

stations as (

    select station_id, zone_code from {{ ref('stg_bike_ops__stations') }}

),

subscriptions as (

    select rider_id, started_at, coalesce(ended_at, timestamp '9999-12-31') as ended_at
    from {{ ref('stg_billing__subscriptions') }}

),

member_trips as (

    select distinct trips.trip_id
    from trips
    inner join subscriptions
        on trips.rider_id = subscriptions.rider_id
        and trips.started_at >= subscriptions.started_at
        and trips.started_at < subscriptions.ended_at

)

select
    trips.trip_id,
    trips.bike_id,
    trips.rider_id,
    trips.start_station_id,
    trips.end_station_id,
    trips.started_at,
    trips.ended_at,
    cast(trips.started_at as date) as trip_date,
    trips.duration_minutes,
    trips.distance_km,
    coalesce(bikes.bike_type, 'unknown') as bike_type,
    bikes.model_name as bike_model,
    start_station.zone_code as start_zone_code,
    end_station.zone_code as end_zone_code,
    trips.start_station_id = trips.end_station_id as is_round_trip,
    {{ is_peak_hour('trips.started_at') }} as is_peak_hour,
    case when member_trips.trip_id is not null then 'member' else 'casual' end as rider_type
from trips
left join bikes on trips.bike_id = bikes.bike_id
left join stations as start_station on trips.start_station_id = start_station.station_id
left join stations as end_station on trips.end_station_id = end_station.station_id
left join member_trips on trips.trip_id = member_trips.trip_id
