select
    obs_date as weather_date,
    temp_max_c,
    temp_min_c,
    precip_mm,
    wind_kph,
    conditions,
    precip_mm >= 4.0 as is_wet_day
from {{ source('weather', 'daily_weather') }}
