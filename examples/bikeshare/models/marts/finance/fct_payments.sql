with payments as (

    select * from {{ ref('stg_billing__payments') }}

),

subscriptions as (

    select subscription_id, plan_code, billing_period from {{ ref('int_rider_subscriptions') }}

)

select
    payments.payment_id,
    payments.rider_id,
    payments.trip_id,
    payments.subscription_id,
    subscriptions.plan_code,
    payments.payment_kind,
    payments.payment_method,
    payments.payment_status,
    payments.paid_at,
    cast(payments.paid_at as date) as paid_date,
    payments.amount_usd,
    case when payments.payment_status in ('succeeded', 'refunded') then payments.amount_usd else 0 end as gross_revenue_usd,
    case when payments.payment_status = 'refunded' then payments.amount_usd else 0 end as refunded_usd
from payments
left join subscriptions on payments.subscription_id = subscriptions.subscription_id
