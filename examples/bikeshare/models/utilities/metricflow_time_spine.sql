-- Daily time spine required by MetricFlow (semantic models, cumulative metrics).
select cast(day as date) as date_day
from range(date '2025-01-01', date '2028-01-01', interval 1 day) as t(day)
