{{ config(tags=['trips']) }}

select
    cast(trip_id as bigint) as trip_id,
    cast(bike_id as varchar) as bike_id,
    cast(rider_id as bigint) as rider_id,
    cast(start_station_id as integer) as start_station_id,
    cast(end_station_id as integer) as end_station_id,
    cast(started_at as timestamp) as started_at,
    cast(ended_at as timestamp) as ended_at,
    cast(trip_date as date) as trip_date,
    cast(duration_minutes as decimal(10, 2)) as duration_minutes,
    cast(distance_km as decimal(10, 2)) as distance_km,
    cast(bike_type as varchar) as bike_type,
    cast(rider_type as varchar) as rider_type,
    cast(start_zone_code as varchar) as start_zone_code,
    cast(end_zone_code as varchar) as end_zone_code,
    cast(is_round_trip as boolean) as is_round_trip,
    cast(is_peak_hour as boolean) as is_peak_hour
from {{ ref('int_trips_enriched') }}
