{{ config(tags=['finance_close'], meta={'owner': 'finance-data@lanternbikes.example'}) }}

-- Daily revenue must add up to the payments it was built from.
select
    (select sum(net_revenue_usd) from {{ ref('fct_revenue_daily') }}) as revenue_total,
    (select sum(gross_revenue_usd - refunded_usd) from {{ ref('fct_payments') }}) as payments_total
where abs(
    (select sum(net_revenue_usd) from {{ ref('fct_revenue_daily') }})
    - (select sum(gross_revenue_usd - refunded_usd) from {{ ref('fct_payments') }})
) > 0.01
