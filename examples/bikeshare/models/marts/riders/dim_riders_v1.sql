-- v1: the original rider dimension (single name column, no usage figures).
-- Deprecated: use v2. Kept until the rider app stops reading it.
select
    customers.rider_id,
    customers.first_name || ' ' || customers.last_name as full_name,
    customers.email,
    cast(customers.signed_up_at as date) as signup_date,
    customers.home_zone_code,
    exists (
        select 1
        from {{ ref('stg_billing__subscriptions') }} as s
        where s.rider_id = customers.rider_id and s.ended_at is null
    ) as is_member
from {{ ref('stg_billing__customers') }} as customers
