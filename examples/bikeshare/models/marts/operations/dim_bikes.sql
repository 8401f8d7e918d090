with bikes as (

    select * from {{ ref('stg_bike_ops__bikes') }}

),

models as (

    select * from {{ ref('bike_models') }}

),

utilization as (

    select
        bike_id,
        sum(trips) as lifetime_trips,
        sum(minutes_in_use) as lifetime_minutes,
        avg(utilization_ratio) as avg_daily_utilization
    from {{ ref('int_bike_daily_utilization') }}
    group by 1

),

maintenance as (

    select bike_id, count(*) as maintenance_jobs, sum(cost_usd) as maintenance_cost_usd
    from {{ ref('stg_bike_ops__maintenance_events') }}
    group by 1

)

select
    bikes.bike_id,
    bikes.model_name,
    bikes.bike_type,
    models.manufacturer,
    models.battery_wh,
    bikes.commissioned_on,
    bikes.bike_status,
    bikes.home_station_id,
    coalesce(utilization.lifetime_trips, 0) as lifetime_trips,
    coalesce(utilization.lifetime_minutes, 0) as lifetime_minutes,
    utilization.avg_daily_utilization,
    coalesce(maintenance.maintenance_jobs, 0) as maintenance_jobs,
    coalesce(maintenance.maintenance_cost_usd, 0) as maintenance_cost_usd,
    models.list_price_usd
from bikes
left join models on bikes.model_name = models.model_name
left join utilization on bikes.bike_id = utilization.bike_id
left join maintenance on bikes.bike_id = maintenance.bike_id
