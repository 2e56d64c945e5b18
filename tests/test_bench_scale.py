"""The scale benchmark's synthetic registry is one the registry accepts: `make bench` broke when the
registry started refusing one file registered twice (issue #14) and nothing in `make test` saw it."""

from __future__ import annotations

import sys

from ingestion.parse import parse_source
from ingestion.registry import REPO_ROOT, load_registry


def test_every_synthetic_copy_is_registered_and_parses_like_the_template(tmp_path, monkeypatch):
    monkeypatch.syspath_prepend(str(REPO_ROOT / "benchmarks"))
    import _scale

    folder = _scale.make_registry(tmp_path / "reg", 12)
    reg = load_registry(folder)
    assert not reg.errors and len(reg.sources) == 12
    template = next(s for s in load_registry().sources if s.source_id == _scale.TEMPLATE)
    want = [(r.task_seq, r.task_text, r.progress_text) for r in parse_source(template).result.rows]
    for src in reg.sources[:3]:
        got = parse_source(src).result
        assert [(r.task_seq, r.task_text, r.progress_text) for r in got.rows] == want
        cov = got.coverage()
        assert cov.complete and cov.furniture_lines == parse_source(template).result.coverage().furniture_lines + 1
    sys.modules.pop("_scale", None)
