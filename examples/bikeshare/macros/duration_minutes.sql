{% macro duration_minutes(start_column, end_column, precision=2) -%}
    round(date_diff('second', {{ start_column }}, {{ end_column }}) / 60.0, {{ precision }})
{%- endmacro %}
