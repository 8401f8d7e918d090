{{ config(tags=['usage']) }}

with trips as (

    select
        rider_id,
        date_trunc('month', trip_date) as usage_month,
        count(*) as trips,
        sum(duration_minutes) as ride_minutes,
        count(*) filter (where bike_type = 'electric') as ebike_trips,
        count(*) filter (where is_peak_hour) as peak_hour_trips
    from {{ ref('fct_trips') }}
    group by 1, 2

)

select
    trips.rider_id,
    cast(trips.usage_month as date) as usage_month,
    riders.is_member,
    riders.current_plan_code,
    trips.trips,
    trips.ride_minutes,
    trips.ebike_trips,
    trips.peak_hour_trips
from trips
left join {{ ref('dim_riders') }} as riders on trips.rider_id = riders.rider_id
