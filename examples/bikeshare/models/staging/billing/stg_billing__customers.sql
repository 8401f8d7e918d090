{{ config(meta={'contains_pii': true}) }}

with source as (

    select * from {{ source('billing', 'customers') }}

)

select
    customer_id as rider_id,
    first_name,
    last_name,
    nullif(lower(trim(email)), '') as email,
    created_at as signed_up_at,
    home_zone as home_zone_code,
    birth_year,
    marketing_opt_in
from source
