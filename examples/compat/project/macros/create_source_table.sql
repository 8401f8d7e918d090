{# Creates and fills the raw source table that `source('shop', 'orders')` points at.
   Called by generate.sh with `dbt run-operation create_source_table` before `dbt build`. #}
{% macro create_source_table() %}
  {% do run_query("create schema if not exists raw") %}
  {% set sql %}
    create or replace table raw.orders as
    select * from (values
      (101, 1, 20.00, 'placed',    current_timestamp::timestamp - interval 5 hour),
      (102, 1, 35.50, 'shipped',   current_timestamp::timestamp - interval 4 hour),
      (103, 2, 12.25, 'shipped',   current_timestamp::timestamp - interval 3 hour),
      (104, 3, 99.99, 'returned',  current_timestamp::timestamp - interval 3 hour),
      (105, 4,  7.10, 'placed',    current_timestamp::timestamp - interval 2 hour),
      (106, 5, 58.00, 'completed', current_timestamp::timestamp - interval 2 hour)
    ) as t(order_id, customer_id, amount, status, loaded_at)
  {% endset %}
  {% do run_query(sql) %}
  {{ log("created raw.orders", info=True) }}
{% endmacro %}
