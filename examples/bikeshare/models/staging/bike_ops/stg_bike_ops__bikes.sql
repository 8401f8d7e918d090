{{ config(tags=['fleet']) }}

with source as (

    select * from {{ source('bike_ops', 'bikes') }}

),

renamed as (

    select
        bike_id,
        model_name,
        lower(bike_type) as bike_type,
        commissioned_on,
        status as bike_status,
        home_station_id,
        updated_at
        {%- if var('break_bikes', false) %},
        -- the fleet platform renamed this column in its v5 API; Airbyte has not picked it up yet
        frame_serial_number
        {%- endif %}
    from source

)

select * from renamed
