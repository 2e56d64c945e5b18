"""Each vocabulary has one home; every copy elsewhere (dbt vars, GX suites, the status-cell test
of the layouts, header rules, flags raised in code) is derived from it or checked here."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from expectations import suites
from ingestion import DATA_DIR, columns
from ingestion.layouts import _cells_tokens
from ingestion.model import FLAGS, ROLES, STATUS_ENUM, STATUS_METHODS, is_known_flag
from ingestion.normalize import vocabulary
from ingestion.parse import parse_source

from .conftest import REPO

DBT_PROJECT = REPO / "dbt_project" / "dbt_project.yml"


def test_dbt_vars_are_the_python_enums():
    dbt_vars = yaml.safe_load(DBT_PROJECT.read_text(encoding="utf-8"))["vars"]
    assert tuple(dbt_vars["statuses"]) == STATUS_ENUM
    assert tuple(dbt_vars["status_methods"]) == STATUS_METHODS


def test_gx_suites_use_the_python_enums():
    assert tuple(suites.STATUS_ENUM) == STATUS_ENUM and tuple(suites.STATUS_METHODS) == STATUS_METHODS


def test_python_reference_data_is_not_a_dbt_seed():
    # read by ingestion only: a dbt seed copy would be edited and rebuilt without effect
    seeds = {p.name for p in (REPO / "dbt_project" / "seeds").glob("*.csv")}
    python_owned = {p.name for p in DATA_DIR.glob("*.csv")}
    assert {"status_vocabulary.csv", "indicator_definitions.csv"} <= python_owned
    assert not seeds & python_owned


def test_status_cells_are_the_vocabulary_words():
    """The parser's 'is this a status cell' and the mart's mapping read one word list: a word the
    parser takes for a status always maps to a status, never silently to unknown. (Before, 序时,
    滞后推进 and 未达到序时 were status cells to cell_lines but 'unknown' in the mart.)"""
    words = vocabulary.vocabulary()
    assert all(_cells_tokens.is_status(w) for w in words)
    assert vocabulary.normalise_reported("序时") == "on_track"
    assert vocabulary.normalise_reported("滞后推进") == "behind"
    assert vocabulary.normalise_reported("未达到序时") == "behind"
    # ambiguous on purpose (read as done in one bulletin, nearly done in another): a status cell,
    # but 'unknown' until a source's status_words say which
    assert _cells_tokens.is_status("基本完成") and vocabulary.normalise_reported("基本完成") == "unknown"
    assert vocabulary.normalise_reported("基本完成", {"基本完成": "completed"}) == "completed"
    assert not _cells_tokens.is_status("区发改委") and not _cells_tokens.is_status("已建成82个")


def test_header_rules_give_only_known_roles():
    assert {role for _, role in columns.HEADER_RULES} <= set(ROLES)


_FLAG_LITERAL = re.compile(
    r"""flags?\.append\(\s*f?["']([^"'{]+)|\.flag\([^,()]+,\s*["']([^"']+)["']\)|flags=\[["']([^"']+)["']"""
    r"""|\[["']([a-z_]+)["']\]\s*if|["'](narrative_item|narrative_paragraph)["']"""
)


def test_every_flag_raised_in_code_is_documented():
    raised = set()
    for path in (REPO / "ingestion").rglob("*.py"):
        for m in _FLAG_LITERAL.finditer(path.read_text(encoding="utf-8")):
            raised.add(next(g for g in m.groups() if g))
    assert len(raised) >= 20  # the pattern still finds the flags
    undocumented = {f for f in raised if f not in FLAGS}
    assert not undocumented, f"add these to ingestion.model.FLAGS: {sorted(undocumented)}"


def test_every_flag_on_the_seeds_is_documented(registry):
    seen = {f for src in registry.sources for r in parse_source(src).result.rows for f in r.flags}
    assert seen and all(is_known_flag(f) for f in seen), sorted(f for f in seen if not is_known_flag(f))
    assert is_known_flag("inherited_lead_units") and not is_known_flag("inherited_colour")


def test_flag_descriptions_exist():
    assert all(isinstance(d, str) and len(d) > 10 for d in FLAGS.values())
    assert Path(vocabulary.VOCABULARY_CSV).parent == DATA_DIR


def _dbt_model_columns(model: str) -> dict[str, dict]:
    """The columns of a dbt model as declared in whichever YAML under dbt_project/models has it."""
    for path in (REPO / "dbt_project" / "models").rglob("*.yml"):
        doc = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for m in doc.get("models", []):
            if m["name"] == model:
                return {c["name"]: c for c in m.get("columns", [])}
    raise LookupError(model)


def test_dbt_period_types_are_the_python_kinds():
    from ingestion import periods

    tests = _dbt_model_columns("dim_period")["period_type"]["data_tests"]
    accepted = next(t["accepted_values"]["arguments"]["values"] for t in tests if isinstance(t, dict))
    assert accepted == list(periods.KINDS)
