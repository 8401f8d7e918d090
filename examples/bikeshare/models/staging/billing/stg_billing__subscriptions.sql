with source as (

    select * from {{ source('billing', 'subscriptions') }}

)

select
    subscription_id,
    customer_id as rider_id,
    plan_code,
    started_at,
    ended_at,
    status as subscription_status
from source
