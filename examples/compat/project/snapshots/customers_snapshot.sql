{% snapshot customers_snapshot %}

{{
  config(
    target_schema='snapshots',
    unique_key='customer_id',
    strategy='timestamp',
    updated_at='updated_at'
  )
}}

select
    *,
    cast(signed_up_at as timestamp) as updated_at
from {{ ref('customers') }}

{% endsnapshot %}
