{% macro to_cents(column_name) -%}
  cast(round({{ column_name }} * 100) as integer)
{%- endmacro %}
