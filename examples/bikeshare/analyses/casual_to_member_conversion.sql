-- Exploratory: how many casual riders bought a subscription after their first trips?
-- Not materialised; compile with `dbt compile --select casual_to_member_conversion`.
with first_trip as (

    select rider_id, min(started_at) as first_trip_at
    from {{ ref('fct_trips') }}
    group by 1

),

first_subscription as (

    select rider_id, min(started_at) as first_subscription_at
    from {{ ref('stg_billing__subscriptions') }}
    group by 1

)

select
    count(*) as riders_with_trips,
    count(*) filter (where first_subscription_at > first_trip_at) as converted_after_first_trip,
    round(avg(date_diff('day', first_trip_at, first_subscription_at))
        filter (where first_subscription_at > first_trip_at), 1) as avg_days_to_convert
from first_trip
left join first_subscription using (rider_id)
