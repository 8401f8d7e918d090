{{ config(meta={'contains_pii': false, 'set_in': 'config() block'}, tags=['sql_config_tag']) }}

select
    order_id,
    customer_id,
    amount,
    {{ to_cents('amount') }} as amount_cents,
    status,
    cast(loaded_at as date) as order_date,
    loaded_at
from {{ source('shop', 'orders') }}
