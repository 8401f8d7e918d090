with stations as (

    select * from {{ ref('stg_bike_ops__stations') }}

),

zones as (

    select * from {{ ref('station_zones') }}

),

usage as (

    select
        start_station_id as station_id,
        count(*) as trips_started_90d,
        min(started_at) as first_trip_at,
        max(started_at) as last_trip_at
    from {{ ref('fct_trips') }}
    group by 1

)

select
    stations.station_id,
    stations.station_name,
    stations.zone_code,
    zones.zone_name,
    zones.district,
    zones.is_downtown,
    stations.latitude,
    stations.longitude,
    stations.dock_count,
    stations.installed_on,
    stations.is_active,
    coalesce(usage.trips_started_90d, 0) as trips_started_90d,
    usage.last_trip_at
from stations
left join zones on stations.zone_code = zones.zone_code
left join usage on stations.station_id = usage.station_id
