-- Singular test: returns the orders with a negative amount (there are none).
select order_id, amount
from {{ ref('fct_orders') }}
where amount < 0
