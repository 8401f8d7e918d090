with customers as (

    select * from {{ ref('stg_billing__customers') }}

),

current_subscription as (

    select
        subscriptions.rider_id,
        subscriptions.plan_code,
        plans.plan_name,
        row_number() over (partition by subscriptions.rider_id order by subscriptions.started_at desc) as rn
    from {{ ref('stg_billing__subscriptions') }} as subscriptions
    left join {{ ref('membership_plans') }} as plans on subscriptions.plan_code = plans.plan_code
    where subscriptions.ended_at is null

),

trips as (

    select
        rider_id,
        count(*) as lifetime_trips,
        min(started_at) as first_trip_at,
        max(started_at) as last_trip_at
    from {{ ref('fct_trips') }}
    group by 1

),

spend as (

    select rider_id, sum(gross_revenue_usd - refunded_usd) as lifetime_spend_usd
    from {{ ref('fct_payments') }}
    group by 1

)

select
    customers.rider_id,
    customers.first_name,
    customers.last_name,
    customers.email,
    customers.signed_up_at,
    customers.home_zone_code,
    current_subscription.plan_code as current_plan_code,
    current_subscription.plan_name as current_plan_name,
    current_subscription.plan_code is not null as is_member,
    coalesce(trips.lifetime_trips, 0) as lifetime_trips,
    coalesce(spend.lifetime_spend_usd, 0) as lifetime_spend_usd,
    trips.first_trip_at,
    trips.last_trip_at
from customers
left join current_subscription
    on customers.rider_id = current_subscription.rider_id and current_subscription.rn = 1
left join trips on customers.rider_id = trips.rider_id
left join spend on customers.rider_id = spend.rider_id
