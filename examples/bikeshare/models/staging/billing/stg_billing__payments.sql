with source as (

    select * from {{ source('billing', 'payments') }}

)

select
    id as payment_id,
    customer_id as rider_id,
    ride_id as trip_id,
    subscription_id,
    case
        when ride_id is not null then 'pay_per_ride'
        when subscription_id is not null then 'subscription'
        else 'other'
    end as payment_kind,
    cast(amount_cents / 100.0 as decimal(10, 2)) as amount_usd,
    upper(currency) as currency,
    method as payment_method,
    status as payment_status,
    created_at as paid_at
from source
