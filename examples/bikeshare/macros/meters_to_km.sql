{% macro meters_to_km(column_name, precision=2) -%}
    round({{ column_name }} / 1000.0, {{ precision }})
{%- endmacro %}
