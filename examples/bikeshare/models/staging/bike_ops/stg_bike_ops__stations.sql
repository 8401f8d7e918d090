with source as (

    select * from {{ source('bike_ops', 'stations') }}

),

renamed as (

    select
        station_id,
        trim(name) as station_name,
        upper(zone_code) as zone_code,
        lat as latitude,
        lon as longitude,
        dock_count,
        installed_on,
        is_active
    from source

)

select * from renamed
