"""Task matching at scale (issue #11): synthetic jurisdictions of T tasks through P periods.

Each jurisdiction's task list is made of random phrases from a small vocabulary of 政府工作报告
words (so unrelated tasks share many characters, as real ones do); each later period renumbers
(an inserted task shifts the rest), rewords a share of the tasks (characters dropped or replaced,
a clause trimmed), renames a share of the lead units, drops a few, adds a few and splits a few in
two. The generator knows the truth, so the run also prints precision / recall of the links.

Two measures:
* ``link_rows`` (pure) over every jurisdiction-year: what a full re-match costs;
* ``relink`` on a DuckDB warehouse holding every jurisdiction: what one source's load adds (only
  its jurisdiction-year is re-matched, whatever else the warehouse holds).

    .venv/bin/python benchmarks/bench_tasks.py                       # 300 jurisdictions x 200 tasks x 4
    .venv/bin/python benchmarks/bench_tasks.py --jurisdictions 50 --tasks 300
"""

from __future__ import annotations

import argparse
import datetime as dt
import itertools
import random
import resource
import sys
import tempfile
import time
from pathlib import Path

import duckdb
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from ingestion import load, tasks  # noqa: E402

VERBS = ["推进", "完成", "实施", "开展", "加快", "深化", "建成", "新建", "改造", "培育", "打造", "提升"]
OBJECTS = ["农村公路", "老旧小区", "污水处理厂", "公办幼儿园", "养老服务中心", "产业园区", "停车泊位", "中小河流",
           "社区卫生服务站", "专精特新企业", "招商项目", "数字乡村", "营商环境", "保障性住房", "背街小巷", "绿道",
           "垃圾分类", "安全生产", "文化场馆", "体育公园", "高新技术企业", "现代农业园", "物流中心", "电力设施"]
PLACES = ["城东", "城西", "滨江", "北部", "南山", "开发区", "高新区", "老城", "新区", "东湖"]
UNITS = ["发改局", "经信局", "住建局", "交通运输局", "教育局", "民政局", "卫健委", "水利局", "农业农村局", "商务局",
         "人社局", "自然资源局", "生态环境分局", "文旅局", "应急管理局", "财政局", "城管局", "科技局"]
RENAMED = {"经信局": "经济和信息化局", "人社局": "人力资源和社会保障局", "卫健委": "卫生健康委员会", "文旅局": "文化旅游局"}
CATEGORIES = ["稳增长", "促改革", "强基础", "惠民生", "美环境", "优服务"]
PERIOD_ENDS = [dt.date(2025, 3, 31), dt.date(2025, 6, 30), dt.date(2025, 9, 30), dt.date(2025, 12, 31)]


def task_text(rnd: random.Random) -> str:
    n = rnd.randint(2, 3)
    clauses = [f"{rnd.choice(VERBS)}{rnd.choice(PLACES)}{rnd.choice(OBJECTS)}{rnd.randint(2, 90)}{rnd.choice('个所公里亩家条')}"
               for _ in range(n)]
    return ",".join(clauses)


def reword(text: str, rnd: random.Random) -> str:
    chars = list(text)
    for _ in range(rnd.randint(1, 3)):
        i = rnd.randrange(len(chars))
        if rnd.random() < 0.5:
            del chars[i]
        else:
            chars[i] = rnd.choice("进推建改新")
    out = "".join(chars)
    if "," in out and rnd.random() < 0.3:
        out = out.rsplit(",", 1)[0]  # a clause trimmed
    return out


def jurisdiction(j: int, n_tasks: int, n_periods: int, rnd: random.Random):
    """(rows, truth: row ref -> true task id)."""
    tasks_: list[dict] = [{"id": f"{j}-{t}", "text": task_text(rnd), "unit": "县" + rnd.choice(UNITS),
                           "category": rnd.choice(CATEGORIES)} for t in range(n_tasks)]
    rows: list[tasks.MatchRow] = []
    truth: dict[tuple[str, int, int], str] = {}
    current = list(tasks_)
    for p in range(n_periods):
        sid = f"j{j:04d}_p{p}"
        if p:
            current = [t for t in current if rnd.random() > 0.03]                       # dropped
            for _ in range(max(1, n_tasks // 30)):                                      # new
                current.insert(rnd.randrange(len(current) + 1),
                               {"id": f"{j}-new{p}-{rnd.random()}", "text": task_text(rnd),
                                "unit": "县" + rnd.choice(UNITS), "category": rnd.choice(CATEGORIES)})
        printed: list[tuple[dict, str]] = []
        for t in current:
            text = reword(t["text"], rnd) if p and rnd.random() < 0.4 else t["text"]
            if p and "," in text and rnd.random() < 0.02:                               # split
                printed.extend((t, part) for part in text.split(","))
            else:
                printed.append((t, text))
        for seq, (t, text) in enumerate(printed, 1):
            unit = t["unit"]
            if p and rnd.random() < 0.3:
                for old, new in RENAMED.items():
                    unit = unit.replace(old, new)
            rows.append(tasks.MatchRow(sid, 1, seq, seq, 1, text, t["category"], (unit,), PERIOD_ENDS[p % 4]))
            truth[(sid, 1, seq)] = t["id"]
    return rows, truth


def pairs(keys: dict[tuple[str, int, int], set[str]]) -> set[tuple]:
    by_key: dict[str, list[tuple]] = {}
    for ref, ks in keys.items():
        for k in ks:
            by_key.setdefault(k, []).append(ref)
    return {(a, b) for refs in by_key.values() for a, b in itertools.combinations(sorted(refs), 2) if a[0] != b[0]}


def bench_relink(groups: list[tuple[list[tasks.MatchRow], str]], sample: int) -> tuple[float, int]:
    """Load every jurisdiction's rows into a DuckDB raw schema, then time relink of ``sample`` groups."""
    with tempfile.TemporaryDirectory() as d:
        db = Path(d) / "w.duckdb"
        con = duckdb.connect(str(db))
        con.execute(load.RAW_DDL)
        src_rows, task_rows = [], []
        for rows, code in groups:
            for sid in sorted({r.source_id for r in rows}):
                end = next(r.period_end for r in rows if r.source_id == sid)
                src_rows.append({"source_id": sid, "source_file": sid, "file_sha256": "x", "region_code": code,
                                 "period_year": 2025, "period_end": end})
            task_rows += [{"source_id": r.source_id, "table_no": r.table_no, "row_no": r.row_no,
                           "task_seq": r.task_seq, "sub_seq": r.sub_seq, "category": r.category,
                           "task_text": r.task_text, "lead_units": list(r.lead_units),
                           "line_start": r.row_no, "line_end": r.row_no} for r in rows]
        for table, frame in (("raw.sources", pd.DataFrame(src_rows)), ("raw.task_rows", pd.DataFrame(task_rows))):
            con.register("f", frame)
            con.execute(f"insert into {table} ({', '.join(frame.columns)}) select {', '.join(frame.columns)} from f")
            con.unregister("f")
        t0 = time.perf_counter()
        n = 0
        for _, code in groups[:sample]:
            con.execute("begin transaction")
            n += tasks.relink(con, [f"{code}|2025"])
            con.execute("commit")
        seconds = time.perf_counter() - t0
        con.close()
        return seconds / sample, n // sample


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--jurisdictions", type=int, default=300)
    ap.add_argument("--tasks", type=int, default=200)
    ap.add_argument("--periods", type=int, default=4)
    ap.add_argument("--relink-sample", type=int, default=5)
    ap.add_argument("--seed", type=int, default=11)
    args = ap.parse_args(argv)
    rnd = random.Random(args.seed)
    t0 = time.perf_counter()
    groups = []
    for j in range(args.jurisdictions):
        rows, truth = jurisdiction(j, args.tasks, args.periods, rnd)
        groups.append((rows, truth))
    gen_s = time.perf_counter() - t0
    n_rows = sum(len(r) for r, _ in groups)
    match_s = 0.0
    true_links = made = found = 0
    worst = 0.0
    for j, (rows, truth) in enumerate(groups):
        t1 = time.perf_counter()
        links = tasks.link_rows(f"{j}|2025", rows)
        took = time.perf_counter() - t1
        match_s += took
        worst = max(worst, took)
        predicted: dict[tuple, set[str]] = {}
        for lk in links:
            predicted.setdefault(lk.ref, set()).add(lk.task_key)
        gold = pairs({ref: {t} for ref, t in truth.items()})
        got = pairs(predicted)
        true_links += len(gold)
        made += len(got)
        found += len(gold & got)
    relink_s, relink_rows = bench_relink([(rows, f"{900000 + j}") for j, (rows, _) in enumerate(groups)],
                                         min(args.relink_sample, len(groups)))
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"jurisdictions {args.jurisdictions}, tasks {args.tasks}, periods {args.periods}: {n_rows:,} rows "
          f"(generated in {gen_s:.1f} s)")
    print(f"link_rows, every jurisdiction-year: {match_s:.1f} s total, {match_s / len(groups) * 1000:.0f} ms per "
          f"jurisdiction-year (worst {worst * 1000:.0f} ms), {n_rows / match_s:,.0f} rows/s")
    print(f"relink of one jurisdiction-year in a warehouse holding all {len(groups)}: {relink_s * 1000:.0f} ms "
          f"({relink_rows} links written)")
    print(f"links vs the generator's truth: precision {found}/{made} = {found / max(made, 1):.3f}, "
          f"recall {found}/{true_links} = {found / max(true_links, 1):.3f}")
    print(f"peak RSS {peak_mb:.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
