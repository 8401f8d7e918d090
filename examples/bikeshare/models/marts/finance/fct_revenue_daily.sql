select
    paid_date as revenue_date,
    sum(gross_revenue_usd) as gross_revenue_usd,
    sum(refunded_usd) as refunded_usd,
    sum(gross_revenue_usd) - sum(refunded_usd) as net_revenue_usd,
    sum(case when payment_kind = 'pay_per_ride' then gross_revenue_usd - refunded_usd else 0 end) as ride_revenue_usd,
    sum(case when payment_kind = 'subscription' then gross_revenue_usd - refunded_usd else 0 end) as subscription_revenue_usd,
    count(*) filter (where payment_status = 'failed') as failed_payments
from {{ ref('fct_payments') }}
group by 1
