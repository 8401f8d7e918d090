{{ config(meta={'owner': 'workshop-lead@lanternbikes.example'}) }}

with events as (

    select * from {{ ref('stg_bike_ops__maintenance_events') }}

)

select
    events.maintenance_event_id,
    events.bike_id,
    events.station_id,
    events.event_type,
    events.reported_at,
    events.resolved_at,
    events.is_resolved,
    date_diff('minute', events.reported_at, events.resolved_at) / 60.0 as hours_to_resolve,
    events.cost_usd,
    events.technician,
    events.is_contractor
from events
