select
    c.customer_id,
    c.customer_name,
    cast(count(o.order_id) as bigint) as order_count,
    cast(coalesce(sum(o.amount), 0) as decimal(18, 2)) as revenue
from {{ ref('customers') }} as c
left join {{ ref('fct_orders') }} as o
    on o.customer_id = c.customer_id
group by 1, 2
