"""Declared dependencies are used, and the libraries chosen over hand-written code do their job."""

from __future__ import annotations

import re
import tomllib
from importlib.metadata import packages_distributions
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
CODE_DIRS = ("ingestion", "orchestration", "expectations", "reporting", "tests", "benchmarks")

# Declared but never imported by the project's code, on purpose.
NOT_IMPORTED = {
    "dagster-webserver": "`dagster dev` / `make ui` serves the UI with it",
    "dbt-core": "the `dbt` CLI that dagster-dbt runs",
    "dbt-duckdb": "dbt's DuckDB adapter (dbt_project/profiles.yml)",
    "setuptools": "cpca imports pkg_resources (setuptools < 82)",
    "pytest": "the test runner",
    "pytest-xdist": "make test on every core (pytest -n)",
    "ruff": "the linter (make lint)",
    "mypy": "the type checker (make lint)",
    "types-pyyaml": "PyYAML's type stubs for mypy",
    "sqlfluff": "SQL style of the dbt models (make lint)",
    "pre-commit": "the git hooks (make hooks)",
}


def _declared() -> list[str]:
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    reqs = list(project["dependencies"])
    for extra in project.get("optional-dependencies", {}).values():
        reqs += extra
    return [re.split(r"[<>=!~;\[ ]", r, maxsplit=1)[0].strip().lower() for r in reqs]


def _imported_top_levels() -> set[str]:
    names: set[str] = set()
    pattern = re.compile(r"^\s*(?:from|import)\s+([A-Za-z_][A-Za-z0-9_]*)", re.MULTILINE)
    for folder in CODE_DIRS:
        for path in (REPO / folder).rglob("*.py"):
            names |= set(pattern.findall(path.read_text(encoding="utf-8")))
    return names


def test_every_declared_dependency_is_imported_or_has_a_reason():
    dists_by_module = packages_distributions()
    imported_dists = {
        d.lower().replace("_", "-") for m in _imported_top_levels() for d in dists_by_module.get(m, [])
    }
    unused = [d for d in _declared() if d.replace("_", "-") not in imported_dists and d not in NOT_IMPORTED]
    assert not unused, f"declared in pyproject.toml but never imported: {unused} (drop them, or say why in NOT_IMPORTED)"


def test_opencc_converts_what_the_reimplementation_got_wrong():
    from ingestion.formats.script import simplify

    # opencc-python-reimplemented 0.1.7 left 批覆 (approval, 批复 in Simplified) and 谿 unconverted:
    # 12 wrong characters when the seeds' text is written in Traditional and converted back.
    assert simplify("方案已獲省級批覆") == "方案已获省级批复"
    assert simplify("蘭谿康養項目") == "兰溪康养项目"
    assert simplify("區發改委牽頭，序時推進") == "区发改委牵头，序时推进"
