with source as (

    select * from {{ source('bike_ops', 'maintenance_events') }}

)

select
    event_id as maintenance_event_id,
    bike_id,
    station_id,
    event_type,
    reported_at,
    resolved_at,
    resolved_at is not null as is_resolved,
    cast(cost_cents / 100.0 as decimal(10, 2)) as cost_usd,
    technician,
    technician like 'contractor:%' as is_contractor
from source
