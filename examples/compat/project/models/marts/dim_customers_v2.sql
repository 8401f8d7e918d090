select
    customer_id,
    customer_name,
    country_code,
    signed_up_at
from {{ ref('customers') }}
