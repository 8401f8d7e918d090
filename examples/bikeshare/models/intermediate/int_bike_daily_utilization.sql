{{ config(materialized='table', group='operations', access='private') }}

select
    bike_id,
    trip_date,
    count(*) as trips,
    sum(duration_minutes) as minutes_in_use,
    round(sum(duration_minutes) / (24 * 60), 4) as utilization_ratio
from {{ ref('int_trips_enriched') }}
group by 1, 2
