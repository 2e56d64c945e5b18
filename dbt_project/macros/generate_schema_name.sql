{#- Custom schema names are used as they are (staging, mart, seeds), not prefixed with the
    target schema (dbt's default would give main_mart). -#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {%- if custom_schema_name is none -%}
        {{ target.schema }}
    {%- else -%}
        {{ custom_schema_name | trim }}
    {%- endif -%}
{%- endmacro %}
