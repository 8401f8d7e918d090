-- Every version of every bike's registry entry, as the snapshot kept it, with how
-- long each status lasted and what came next. Loader and snapshot bookkeeping
-- columns are dropped; bike types are normalised like stg_bike_ops__bikes does.
with versions as (

    select
        * exclude (dbt_scd_id, dbt_updated_at, _airbyte_extracted_at)
          replace (lower(bike_type) as bike_type)
    from {{ ref('bikes_snapshot') }}

),

registry as (

    select bike_id, updated_at as registry_updated_at
    from {{ source('bike_ops', 'bikes') }}

)

select
    versions.* exclude (status, updated_at),
    versions.status as bike_status,
    versions.dbt_valid_to is null as is_current,
    lead(versions.status) over (
        partition by versions.bike_id order by versions.dbt_valid_from
    ) as next_status,
    date_diff(
        'hour', versions.dbt_valid_from, coalesce(versions.dbt_valid_to, registry.registry_updated_at)
    ) as hours_in_status,
    registry.registry_updated_at
from versions
left join registry on versions.bike_id = registry.bike_id
