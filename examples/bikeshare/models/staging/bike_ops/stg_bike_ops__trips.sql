{{ config(tags=['fleet', 'high_volume']) }}

with source as (

    select * from {{ source('bike_ops', 'trips') }}

),

renamed as (

    select
        ride_id as trip_id,
        bike_id,
        customer_id as rider_id,
        start_station_id,
        end_station_id,
        started_at,
        ended_at,
        {{ duration_minutes('started_at', 'ended_at') }} as duration_minutes,
        {{ meters_to_km('distance_m') }} as distance_km
    from source
    -- a ride without ended_at never docked (lost/stolen bike): not a trip
    where ended_at is not null

)

select * from renamed
