{{ config(group='finance', access='private') }}

select
    subscriptions.subscription_id,
    subscriptions.rider_id,
    subscriptions.plan_code,
    plans.plan_name,
    plans.billing_period,
    plans.price_usd,
    case plans.billing_period
        when 'annual' then round(plans.price_usd / 12, 2)
        else plans.price_usd
    end as monthly_recurring_revenue_usd,
    subscriptions.started_at,
    subscriptions.ended_at,
    subscriptions.subscription_status,
    subscriptions.ended_at is null as is_current
from {{ ref('stg_billing__subscriptions') }} as subscriptions
left join {{ ref('membership_plans') }} as plans
    on subscriptions.plan_code = plans.plan_code
