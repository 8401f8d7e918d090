{{
    config(
        materialized='incremental',
        unique_key=['station_id', 'activity_date'],
        incremental_strategy='delete+insert',
        on_schema_change='append_new_columns',
    )
}}

with flows as (

    select * from {{ ref('int_station_daily_flows') }}
    {% if is_incremental() %}
    -- late-docking trips can move arrivals by a day: reprocess the last 3 days
    where activity_date >= (select max(activity_date) - interval 3 day from {{ this }})
    {% endif %}

),

weather as (

    select * from {{ ref('stg_weather__daily_weather') }}

)

select
    flows.station_id,
    flows.activity_date,
    flows.departures,
    flows.arrivals,
    flows.net_inflow,
    weather.conditions as weather_conditions,
    weather.is_wet_day
from flows
left join weather on flows.activity_date = weather.weather_date
where flows.station_id is not null
