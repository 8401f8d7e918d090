-- v3 (prerelease): no direct identifiers (names, full email) — only the email
-- domain — plus a behavioural segment. Not yet the default: ref('dim_riders')
-- still resolves to v2.
with v2 as (

    select * from {{ ref('dim_riders', v=2) }}

)

select
    rider_id,
    split_part(email, '@', 2) as email_domain,
    signed_up_at,
    home_zone_code,
    current_plan_code,
    current_plan_name,
    is_member,
    lifetime_trips,
    lifetime_spend_usd,
    first_trip_at,
    last_trip_at,
    case
        when lifetime_trips = 0 then 'dormant'
        when is_member and lifetime_trips >= 15 then 'commuter'
        when is_member then 'member_occasional'
        when lifetime_trips >= 8 then 'casual_regular'
        else 'casual_occasional'
    end as rider_segment
from v2
