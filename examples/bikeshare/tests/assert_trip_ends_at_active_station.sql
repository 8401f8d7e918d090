-- Trips must end at a station that was active (docks cannot record a trip at a
-- decommissioned station). Returns the offending trips.
select
    trips.trip_id,
    trips.end_station_id
from {{ ref('fct_trips') }} as trips
inner join {{ ref('dim_stations') }} as stations
    on trips.end_station_id = stations.station_id
where not stations.is_active
