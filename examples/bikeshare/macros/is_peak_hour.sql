{% macro is_peak_hour(timestamp_column) -%}
    (
        extract(isodow from {{ timestamp_column }}) between 1 and 5
        and (
            extract(hour from {{ timestamp_column }}) between 7 and 9
            or extract(hour from {{ timestamp_column }}) between 17 and 19
        )
    )
{%- endmacro %}
