{#- Text cleaning shared by the staging models.
    clean_text: non-breaking / ideographic spaces become ordinary spaces, leading and trailing
    whitespace (including line breaks) is removed, and an empty result is NULL. Inner line
    breaks are kept (progress_text joins paragraphs with a newline). -#}
{% macro clean_text(col) -%}
    nullif(regexp_replace(regexp_replace({{ col }}, '[\x{00a0}\x{3000}\x{2002}\x{2003}\x{200b}\x{feff}]', ' ', 'g'), '^\s+|\s+$', '', 'g'), '')
{%- endmacro %}

{#- clean_unit_name: a unit name as printed with every kind of whitespace removed. -#}
{% macro clean_unit_name(col) -%}
    nullif(regexp_replace({{ col }}, '[\s\x{00a0}\x{3000}\x{2002}\x{2003}\x{200b}\x{feff}]+', '', 'g'), '')
{%- endmacro %}

{#- clean_list: clean every unit name of a VARCHAR[] and drop the empty ones (never NULL). -#}
{% macro clean_list(col) -%}
    coalesce(list_filter(list_transform({{ col }}, lambda u: {{ clean_unit_name('u') }}), lambda u: u is not null), []::varchar[])
{%- endmacro %}
