{#- Incremental marts keyed by source_id (docs/scaling.md "Incremental builds").

    A scoped build (``make rebuild`` after some sources changed) lists the sources whose mart rows
    may differ in raw.build_scope (written by the dbt asset, orchestration/defs/dbt/scope.py: the
    changed sources and every source sharing a jurisdiction with one of them). Such a build deletes
    those sources' rows from each incremental mart (delete_build_scope, a pre-hook: it also clears a
    source that now has no rows or left the registry) and inserts them again (in_build_scope, the
    model's filter; dbt-duckdb's delete+insert on source_id). Any other build is a full refresh,
    where both macros do nothing. -#}

{% macro build_scope_relation() -%}
    {{ source('raw', 'build_scope') }}
{%- endmacro %}

{#- The model's filter: `where {{ in_build_scope('t.source_id') }}`; true outside a scoped build. -#}
{% macro in_build_scope(col) -%}
    {%- if is_incremental() -%}
        {{ col }} in (select source_id from {{ build_scope_relation() }})
    {%- else -%}
        true
    {%- endif -%}
{%- endmacro %}

{#- Pre-hook of every incremental mart: remove the scoped sources' rows before they are inserted again. -#}
{% macro delete_build_scope() -%}
    {%- if is_incremental() -%}
        delete from {{ this }} where source_id in (select source_id from {{ build_scope_relation() }})
    {%- endif -%}
{%- endmacro %}
