"""`bulletins`: the command line for people who add and check sources.

    bulletins validate              check every registry entry and its file
    bulletins preview FILE|ID       how the parser sees a file or a registered source, writing nothing
    bulletins add FILE|URL --region … --period …   register a new source (YAML written for you)
    bulletins coverage              line coverage of every source (parsed + furniture + quarantine)
    bulletins ingest [ID …]         parse + load into data/warehouse.duckdb without Dagster
    bulletins reconcile             stated totals vs parsed counts (from the warehouse)
    bulletins confusion             inferred vs reported status (from the warehouse)
    bulletins agreement             inferred status vs the labelled reading and the print (no warehouse)
"""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

import typer
import yaml
from rich.console import Console
from rich.table import Table

from ingestion import fetch, periods, regions
from ingestion.errors import FetchError, LayoutError, RegistryError
from ingestion.layouts.header_hint import find_header, parse_columns_option
from ingestion.layouts.listed import listed_items
from ingestion.normalize.vocabulary import unknown_words
from ingestion.parse import parse_file, parse_source
from ingestion.progress import progress_lines
from ingestion.reader import read_text_file
from ingestion.registry import (
    DEFAULT_SOURCES_DIR,
    REPO_ROOT,
    SOURCE_YAML,
    Period,
    SourceSpec,
    load_registry,
    load_spec,
)

app = typer.Typer(add_completion=False, no_args_is_help=True, help=__doc__)
# Wide enough for the tables when output is piped (rich assumes 80 columns then).
console = Console(width=None if sys.stdout.isatty() else 160)
err = Console(stderr=True, width=None if sys.stderr.isatty() else 160)

SOURCES_OPT = typer.Option(DEFAULT_SOURCES_DIR, "--sources", help="registry folder (one sub-folder per source)")


def _fail(msg: str, code: int = 1) -> None:
    err.print(f"[red]error:[/red] {msg}")
    raise typer.Exit(code)


# ---------------------------------------------------------------- region parsing
def parse_region(text: str) -> dict:
    """'安徽省淮北市相山区' (or 淮北市相山区, 340603) -> the source.yaml jurisdiction, names and code.
    An ambiguous name (朝阳区) is refused with its candidates (ingestion.regions.lookup)."""
    return regions.lookup(text).jurisdiction()


def _slug(region: dict, period: dict) -> str:
    return f"r{region['region_code']}_{Period(**period).label.lower().replace('-', '')}"


def _option_hints(parsed, spec: SourceSpec) -> list[str]:
    """Options the file's shape suggests that the YAML does not set."""
    out = []
    lines = parsed.text.lines
    if not spec.options.get("comment_prefix") and lines and lines[0].startswith("# "):
        n = sum(1 for ln in lines if ln.startswith("# "))
        out.append(f"{n} line(s) start with '# ' (notes added when the page was saved?): "
                   "set `options: {comment_prefix: \"# \"}` to keep them out of the bulletin")
    if not spec.options.get("listed_items") and parsed.document is None:
        rows = {n for r in parsed.result.rows if "narrative_paragraph" not in r.flags
                for n in range(r.line_start, r.line_end + 1)}
        found = {n: len(listed_items(ln, spec.status_words)) for n, ln in enumerate(lines, 1) if n not in rows}
        found = {n: k for n, k in found.items() if k}
        if found:
            out.append(f"{sum(found.values())} task(s) are named in lists in the prose (lines "
                       f"{', '.join(map(str, sorted(found)))}): `options: {{listed_items: true}}` makes them rows")
    return out


def _header_warnings(parsed, spec: SourceSpec | None = None) -> list[str]:
    """Things a person should look at before trusting the detected columns."""
    out = _option_hints(parsed, spec) if spec is not None else []
    for table_no, cells in sorted(parsed.result.headers.items()):
        seen: dict[str, str] = {}
        for header, role in cells:
            if role and role in seen and role != "ignore":
                out.append(
                    f"table {table_no}: '{header}' and '{seen[role]}' both read as {role}; if '{header}' "
                    f"holds a status (已完成/序时推进 …) set `columns: {{{header}: status}}` in source.yaml"
                )
            elif role:
                seen[role] = header
        if not any(r == "lead_units" for _, r in cells):
            out.append(f"table {table_no}: no lead-unit column recognised (牵头单位 …)")
    out.extend(_row_warnings(parsed.result))
    words = {r.status_reported for r in parsed.result.rows if r.status_reported}
    if words:
        unknown = unknown_words(words)
        if unknown:
            out.append("unknown status words (add them under `status_words:` in source.yaml): " + "、".join(unknown))
    return out


def _seqs(rows) -> str:
    shown = [f"{r.task_seq if r.task_seq is not None else '?'} (line {r.line_start})" for r in rows[:6]]
    return "、".join(shown) + (" …" if len(rows) > 6 else "")


def _row_warnings(result) -> list[str]:
    """Rows a person should look at: not the header's number of cells, units and people run
    together in a unit cell, a cut last row."""
    out = []
    rows = result.rows
    short = [r for r in rows if {"short_row", "short_row_by_content", "extra_cells"} & set(r.flags)]
    if short:
        out.append(f"{len(short)} row(s) do not have the header's number of cells (placed by content, "
                   f"check them): {_seqs(short)}")
    unfit = [q for q in result.quarantine if "header columns" in q.reason]
    if unfit:
        out.append(f"{len(unfit)} line(s) quarantined: rows whose cells fit no column order: "
                   + "、".join(str(q.line_no) for q in unfit[:6]))
    people = [r for r in rows if "person_in_unit_cell" in r.flags]
    if people:
        out.append(f"{len(people)} unit cell(s) also name a person (read as responsible_person): {_seqs(people)}")
    spaced = [
        r for r in rows
        for role, raw, names in (("lead_units", r.lead_units_raw, r.lead_units),
                                 ("cooperating_units", r.cooperating_units_raw, r.cooperating_units))
        if raw and len(names) >= 2 and f"inherited_{role}" not in r.flags
        and any(" " in ln.strip() or "\u3000" in ln.strip() for ln in raw.split("\n"))
    ]
    if spaced:
        out.append(f"{len(spaced)} unit cell(s) hold units separated by a space (split into several): {_seqs(spaced)}")
    cut = [r for r in rows if "truncated_row" in r.flags]
    if cut:
        out.append(f"the last row looks cut off (flagged truncated_row): {_seqs(cut)}")
    cut_q = [q for q in result.quarantine if "cut off" in q.reason]
    if cut_q:
        out.append(f"the text ends mid-sentence at line {cut_q[0].line_no} (quarantined, cut off)")
    return out


# ---------------------------------------------------------------- commands
@app.command()
def validate(sources: Path = SOURCES_OPT) -> None:
    """Check every registry entry (YAML fields, file exists and reads, layout parses)."""
    reg = load_registry(sources)
    bad = [str(e) for e in reg.errors]
    with progress_lines(reg.sources, "validating", console, err) as (each, lines):
        for src in each:
            try:
                if src.spec.jurisdiction is not None:
                    regions.resolve(src.spec.jurisdiction)
                parsed = parse_source(src)
                cov = parsed.result.coverage()
                lines.out(
                    f"[green]ok[/green]  {src.source_id}: {parsed.layout}, {len(parsed.result.rows)} rows, "
                    f"{cov.quarantined_lines} quarantined of {cov.total_lines} lines"
                )
            except regions.RegionError as e:
                bad.append(f"{src.yaml_path}: field 'jurisdiction': {e}")
            except Exception as e:  # noqa: BLE001 - report every failure, keep going
                bad.append(f"{src.relative_file()}: {e}")
    for msg in bad:
        err.print(f"[red]invalid[/red] {msg}")
    console.print(f"{len(reg.sources) - (len(bad) - len(reg.errors))} valid, {len(bad)} invalid")
    if bad:
        raise typer.Exit(1)


def _preview_spec(path: Path, layout: str, encoding: str | None) -> SourceSpec:
    return SourceSpec(
        source_id="preview", file=path.name, layout=layout, encoding=encoding,
        unknown_reason="preview: jurisdiction and period not given",
    )


def _layout_overrides(
    spec_d: dict, layout: str | None, columns_opt: str | None, header_line: int | None
) -> dict:
    """Apply --layout / --columns / --header-line to a source.yaml mapping (returns a new one)."""
    out = dict(spec_d)
    if layout and layout != "auto":
        out["layout"] = layout
    if columns_opt:
        out["columns"] = {**out.get("columns", {}), **parse_columns_option(columns_opt)}
    if header_line:
        out["options"] = {**out.get("options", {}), "header_line": header_line}
    return out


def _header_hint_lines(file: Path, spec: SourceSpec) -> list[str]:
    """When no header was found: the likely header and which of its cells no rule knows."""
    try:
        lines = read_text_file(file, spec.encoding).lines
    except Exception:  # noqa: BLE001 - a hint only
        return []
    hint = find_header(lines)
    if hint is None:
        return ["no header-like line found: if it is a table, give `--header-line N` and `--columns`; "
                "if it is prose, `--layout narrative`"]
    out = [f"likely header at line {hint.line_no}: "
           + " | ".join(f"{c} → {r or '?'}" for c, r in hint.roles(spec.columns))]
    unknown = hint.unrecognised(spec.columns)
    if unknown:
        out.append("header cells not recognised: " + "、".join(unknown)
                   + " — name their roles, e.g. --columns '" + ",".join(f"{c}=task" for c in unknown[:2]) + "'")
    return out


ROLE_LIST = "seq, category, task, leader, lead_units, responsible_person, cooperating_units, period_target, progress, status, remark, ignore"


@app.command()
def preview(
    target: str = typer.Argument(..., help="a bulletin file, or the id of a registered source (reads its source.yaml)"),
    layout: str | None = typer.Option(None, help="force a layout (cell_lines, pipe, narrative, …)"),
    encoding: str | None = typer.Option(None, help="force an encoding (default: detect)"),
    columns_opt: str | None = typer.Option(None, "--columns", help="header roles, e.g. '内容与要求=task,进展情况=progress'"),
    header_line: int | None = typer.Option(None, "--header-line", help="the line the table header starts on"),
    rows: int = typer.Option(5, help="how many rows to show"),
    sources: Path = SOURCES_OPT,
) -> None:
    """Show how the parser sees a file (or a registered source, after a YAML edit): encoding,
    layout, header roles, first rows, coverage, quarantined lines and what to check. Writes nothing."""
    path = Path(target)
    if path.is_file():
        file = path
        base = _preview_spec(file, "auto", encoding).model_dump(exclude_none=True)
    else:
        try:
            src = load_registry(sources).get(target)
        except RegistryError:
            _fail(f"{target}: no such file, and no registered source with that id in {sources}")
        file = src.file_path
        base = src.spec.model_dump(exclude_none=True)
        if encoding:
            base["encoding"] = encoding
    try:
        spec = SourceSpec.model_validate(_layout_overrides(base, layout, columns_opt, header_line))
    except Exception as e:  # noqa: BLE001
        _fail(str(e))
    try:
        parsed = parse_file(file, spec, display_name=str(file))
    except Exception as e:  # noqa: BLE001
        for h in _header_hint_lines(file, spec):
            err.print(f"[yellow]hint:[/yellow] {h}")
        _fail(str(e))
    res = parsed.result
    cov = res.coverage()
    console.print(f"[bold]{file}[/bold]: encoding {parsed.text.encoding}, layout {parsed.layout}, "
                  f"{cov.total_lines} lines")
    for table_no, cells in sorted(res.headers.items()):
        console.print(f"table {table_no} header: " + " | ".join(f"{h} → {r}" for h, r in cells))
    per_table: dict[int, int] = {}
    for r in res.rows:
        per_table[r.table_no] = per_table.get(r.table_no, 0) + 1
    console.print("rows per table: " + ", ".join(f"{t}: {n}" for t, n in sorted(per_table.items())))
    t = Table("table", "序号", "sub", "lines", "task", "lead units", "status", "progress", "flags")
    for r in res.rows[:rows]:
        t.add_row(str(r.table_no), str(r.task_seq), str(r.sub_seq), f"{r.line_start}-{r.line_end}",
                  (r.task_text or "")[:30], "、".join(r.lead_units), r.status_reported or "",
                  (r.progress_text or "")[:40], ",".join(f for f in r.flags if f not in ("labelled_cells",)))
    console.print(t)
    console.print(f"coverage: {cov.row_lines} row lines + {cov.furniture_lines} furniture + "
                  f"{cov.quarantined_lines} quarantined = {cov.accounted} of {cov.total_lines}")
    where = getattr(parsed.document, "locate", None) or (lambda n: f"line {n}")
    for q in res.quarantine[:20]:
        console.print(f"  quarantined {where(q.line_no)}: {q.reason}: {q.text[:60]}")
    for st in res.stated_totals:
        console.print(f"stated total: {st.metric} = {st.value} (line {st.line_no})")
    words = sorted({r.status_reported for r in res.rows if r.status_reported})
    if words:
        console.print("status words: " + "、".join(words))
    for w in _header_warnings(parsed, spec):
        console.print(f"[yellow]check:[/yellow] {w}")


def _write_entry(folder: Path, file: Path, spec_d: dict, note: str) -> None:
    fetched = file.parent == folder  # `add URL` wrote the file into the new folder already
    folder.mkdir(parents=True, exist_ok=fetched)
    try:
        if not fetched:
            shutil.copy2(file, folder / file.name)
        (folder / SOURCE_YAML).write_text(note + yaml.safe_dump(spec_d, allow_unicode=True, sort_keys=False),
                                          encoding="utf-8")
        load_spec(folder / SOURCE_YAML)
    except Exception:  # leave no half-written entry behind
        shutil.rmtree(folder, ignore_errors=True)
        raise


def _guess_layout(file: Path, spec: SourceSpec) -> str:
    """The layout to write when detection failed: the shape of the likely header, else prose."""
    hint = find_header(read_text_file(file, spec.encoding).lines)
    if hint is None:
        return "narrative"
    return {"|": "pipe", "\t": "delimited"}.get(hint.delimiter or "", "cell_lines")


def _add_unfinished(file: Path, folder: Path, sid: str, spec: SourceSpec, spec_d: dict, e: LayoutError,
                    origin: str = "") -> None:
    """Write the entry with what is known and say what is missing, for a person to finish."""
    try:
        if spec_d.get("layout", "auto") == "auto":
            spec_d["layout"] = _guess_layout(file, spec)
        hints = _header_hint_lines(file, spec)
        note = origin + (
            "# Added by `bulletins add`, NOT FINISHED: the file did not parse yet:\n"
            + "".join(f"#   {ln}\n" for ln in str(e).splitlines())
            + "".join(f"# {h}\n" for h in hints)
            + "# Give the header cells' roles under `columns:` (roles: " + ROLE_LIST + "),\n"
            "# the header's line under `options: {header_line: N}` or another `layout:`, then run\n"
            f"# `bulletins preview {sid}` until the rows look right (README, 'Add a new city').\n"
        )
        _write_entry(folder, file, spec_d, note)
    except Exception as e2:  # noqa: BLE001
        _fail(f"not added: {e}; and the entry could not be written: {e2}")
    console.print(f"[yellow]added, unfinished[/yellow] {sid}: {folder / SOURCE_YAML} (layout "
                  f"{spec_d['layout']}): {e}")
    for h in hints:
        console.print(f"[yellow]check:[/yellow] {h}")
    console.print(f"finish source.yaml, then `bulletins preview {sid}` and `bulletins validate`")


ADD_NOTE = (
    "# Added by `bulletins add`. Detected layout and column roles are written out below;\n"
    "# adjust them if the preview looked wrong (see README, 'Add a new city').\n"
)


def _identify(region: str, period: str, source_id: str | None) -> tuple[dict, dict, str]:
    try:
        region_d = parse_region(region)
        period_d = periods.parse_printed(period)
        return region_d, period_d, source_id or _slug(region_d, period_d)
    except Exception as e:  # noqa: BLE001
        _fail(str(e))
        raise  # unreachable: _fail exits


def _new_spec(sid: str, file_name: str, region_d: dict, period_d: dict, meta: dict[str, str | None],
              layout: str, columns_opt: str | None, header_line: int | None) -> tuple[dict, SourceSpec]:
    """The source.yaml mapping for a new entry (before detection), validated."""
    spec_d: dict = {"source_id": sid, "file": file_name}
    if meta.get("title"):
        spec_d["title"] = meta["title"]
    spec_d["jurisdiction"] = region_d
    spec_d["period"] = period_d
    spec_d.update((k, v) for k, v in meta.items() if v and k != "title")
    try:
        spec_d = _layout_overrides({**spec_d, "layout": layout}, None, columns_opt, header_line)
        return spec_d, SourceSpec.model_validate(spec_d)
    except Exception as e:  # noqa: BLE001
        _fail(f"not added: {e}")
        raise  # unreachable: _fail exits


def _register(file: Path, folder: Path, sid: str, spec: SourceSpec, spec_d: dict, origin: str = "") -> None:
    """Parse ``file`` like a registered source, write the detected layout and columns to
    ``folder/source.yaml`` (copying the file there), and say what to check."""
    try:
        parsed = parse_file(file, spec, display_name=str(file))
    except LayoutError as e:
        _add_unfinished(file, folder, sid, spec, spec_d, e, origin)  # not a dead end
        return
    except Exception as e:  # noqa: BLE001 - unreadable file etc.: nothing written
        _fail(f"not added: {e}")
    spec_d["layout"] = parsed.layout
    if parsed.document is None and parsed.text.encoding not in ("utf-8", "utf-8-sig"):
        spec_d["encoding"] = parsed.text.encoding
    columns = {h: r for cells in parsed.result.headers.values() for h, r in cells if r and r != "unknown"}
    unrecognised = [h for cells in parsed.result.headers.values() for h, r in cells if (not r or r == "unknown") and h.strip()]
    if columns:
        spec_d["columns"] = {**columns, **spec_d.get("columns", {})}
    note = origin + ADD_NOTE
    if unrecognised:
        note += "# header cells not recognised (give them a role under columns:): " + "、".join(unrecognised) + "\n"
    try:
        _write_entry(folder, file, spec_d, note)
    except Exception as e:  # noqa: BLE001
        _fail(f"not added: {e}")
    cov = parsed.result.coverage()
    console.print(f"[green]added[/green] {sid}: {folder / SOURCE_YAML} ({parsed.layout}, "
                  f"{len(parsed.result.rows)} rows, {cov.quarantined_lines} quarantined lines). "
                  f"Materialize partition '{sid}' in Dagster or run `make run`.")
    if unrecognised:
        console.print("[yellow]check:[/yellow] header cells not recognised: " + "、".join(unrecognised))
    for w in _header_warnings(parsed, spec):
        console.print(f"[yellow]check:[/yellow] {w}")


def _fetch(url: str) -> fetch.Fetched:
    try:
        got = fetch.fetch(url)
    except FetchError as e:
        _fail(f"not added: {e}")
    console.print(f"fetched {url}: HTTP {got.status}, {got.content_type or 'no content type'}, "
                  f"{len(got.body):,} bytes -> {got.file_name}")
    return got


def _register_fetched(got: fetch.Fetched, folder: Path, sid: str, spec: SourceSpec, spec_d: dict) -> None:
    """Keep the fetched bytes and fetch.json in the new folder, then register like a file;
    the folder is removed again if the entry is not written."""
    folder.mkdir(parents=True)
    try:
        file = folder / spec.file
        file.write_bytes(got.body)
        record = got.record(spec.file)
        (folder / fetch.FETCH_JSON).write_text(json.dumps(record, ensure_ascii=False, indent=2) + "\n",
                                               encoding="utf-8")
        origin = (f"# Fetched from {got.url} at {record['fetched_at']}; status, content type and sha256 "
                  f"in {fetch.FETCH_JSON}.\n")
        _register(file, folder, sid, spec, spec_d, origin)
    except typer.Exit as e:
        if e.exit_code:
            shutil.rmtree(folder, ignore_errors=True)
        raise
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise


@app.command()
def add(
    target: str = typer.Argument(..., help="the bulletin file to add, or its http(s) URL (fetched into the new folder)"),
    region: str = typer.Option(..., help="jurisdiction: 安徽省淮北市相山区, 长春市朝阳区 (a name in several places needs its city) or a code, 340603"),
    period: str = typer.Option(..., help="e.g. 2024-Q4, 2024-H1, 2024-M11, 2024, 2024年第三季度, 2024年前三季度, 2024年1—11月 or 二〇二四年上半年"),
    source_id: str | None = typer.Option(None, "--id", help="registry id (default from region+period)"),
    layout: str = typer.Option("auto", help="layout; 'auto' detects and writes the result"),
    columns_opt: str | None = typer.Option(None, "--columns", help="header roles, e.g. '内容与要求=task,进展情况=progress'"),
    header_line: int | None = typer.Option(None, "--header-line", help="the line the table header starts on"),
    title: str | None = typer.Option(None),
    publisher: str | None = typer.Option(None),
    url: str | None = typer.Option(None, help="where the bulletin was published (default: the URL fetched)"),
    sources: Path = SOURCES_OPT,
) -> None:
    """Register a bulletin as a new source: copy FILE (or fetch URL: the raw bytes and fetch.json,
    with URL, status, content type, sha256 and time) into data/sources/<id>/ and write source.yaml
    with the detected layout and column mapping for a person to adjust. When the layout or header
    is not found, the entry is still written, with what is missing marked, for a person to finish."""
    region_d, period_d, sid = _identify(region, period, source_id)
    folder = sources / sid
    if folder.exists():
        _fail(f"{folder} already exists; choose another --id or remove it")
    got = _fetch(target) if fetch.is_url(target) else None
    file = Path(target)
    if got is None and not file.is_file():
        _fail(f"{target}: no such file (give a bulletin file or an http(s) URL)")
    meta = {"title": title, "publisher": publisher, "url": url or (target if got else None)}
    spec_d, spec = _new_spec(sid, got.file_name if got else file.name, region_d, period_d, meta,
                             layout, columns_opt, header_line)
    if got is None:
        _register(file, folder, sid, spec, spec_d)
    else:
        _register_fetched(got, folder, sid, spec, spec_d)


@app.command()
def coverage(sources: Path = SOURCES_OPT) -> None:
    """Line coverage per source: parsed rows + recognised furniture + quarantine = all lines."""
    reg = load_registry(sources)
    t = Table("source", "layout", "tables", "rows", "lines", "in rows", "furniture", "quarantined", "complete")
    failed = False
    for src in reg.sources:
        try:
            p = parse_source(src)
        except Exception as e:  # noqa: BLE001
            t.add_row(src.source_id, "-", "-", "-", "-", "-", "-", "-", f"[red]{e}[/red]")
            failed = True
            continue
        c = p.result.coverage()
        t.add_row(src.source_id, p.layout, str(len({r.table_no for r in p.result.rows})),
                  str(len(p.result.rows)), str(c.total_lines), str(c.row_lines), str(c.furniture_lines),
                  str(c.quarantined_lines), "yes" if c.complete else "[red]no[/red]")
        failed |= not c.complete
    console.print(t)
    for msg in reg.errors:
        err.print(f"[red]invalid[/red] {msg}")
    if failed or reg.errors:
        raise typer.Exit(1)


@app.command()
def ingest(
    source_ids: list[str] | None = typer.Argument(None, help="ids to ingest (default: all)"),
    db: Path = typer.Option(REPO_ROOT / "data" / "warehouse.duckdb", help="warehouse file"),
    sources: Path = SOURCES_OPT,
) -> None:
    """Parse and load sources into the raw schema without Dagster (dbt not run)."""
    from ingestion.pipeline import ingest_source

    reg = load_registry(sources)
    chosen = [reg.get(i) for i in source_ids] if source_ids else reg.sources
    failed = 0
    with progress_lines(chosen, "ingesting", console, err) as (each, lines):
        for src in each:
            try:
                s = ingest_source(src, db)
                lines.out(f"[green]loaded[/green] {s.source_id}: {s.rows} rows, {s.quarantined} quarantined lines")
            except Exception as e:  # noqa: BLE001
                failed += 1
                lines.err(f"[red]failed[/red] {src.source_id}: {e}")
    if failed or reg.errors:
        for msg in reg.errors:
            err.print(f"[red]invalid[/red] {msg}")
        raise typer.Exit(1)


def _read_only(db: Path):
    import duckdb

    if not db.exists():
        _fail(f"{db} does not exist; run `make run` first")
    return duckdb.connect(str(db), read_only=True)


def _print_query(db: Path, sql: str, title: str) -> None:
    con = _read_only(db)
    try:
        cur = con.execute(sql)
        cols = [d[0] for d in cur.description]
        t = Table(*cols, title=title)
        for row in cur.fetchall():
            t.add_row(*["" if v is None else str(v) for v in row])
        console.print(t)
    finally:
        con.close()


PUBLISHED_DB = REPO_ROOT / "data" / "published" / "warehouse.duckdb"
DB_OPT = typer.Option(PUBLISHED_DB, help="warehouse to read (default: the published read-only copy)")


@app.command()
def reconcile(db: Path = DB_OPT) -> None:
    """Totals a bulletin states about itself vs what was parsed."""
    _print_query(
        db,
        "select source_id, table_no, metric, stated_value, parsed_value, difference, matches, line_no "
        "from mart.source_reconciliation order by source_id, table_no, metric",
        "stated vs parsed",
    )


@app.command()
def confusion(db: Path = DB_OPT) -> None:
    """Inferred vs reported status where a bulletin prints a status column."""
    from ingestion.normalize import evaluate

    evaluate.main(str(db))


@app.command()
def agreement(
    sources: Path = SOURCES_OPT,
    reading: Path = typer.Option(None, help="labelled reading CSV (default tests/data/status_reading.csv)"),
    matrix: bool = typer.Option(False, "--matrix", help="print the reference x inferred matrices too"),
) -> None:
    """Agreement of the inferred status with the labelled reading (clear rows, all read rows) and,
    where a bulletin prints a status, with the print; per-status precision and recall, unknown share.
    Parses the registered sources; needs no warehouse."""
    from ingestion.normalize import agreement as ag

    try:
        out = ag.main(sources, reading or ag.READING_CSV, matrix)
    except ValueError as e:
        _fail(str(e))
    console.print(out, markup=False, highlight=False)


@app.command(context_settings={"allow_extra_args": True, "ignore_unknown_options": True})
def sql(ctx: typer.Context) -> None:
    """A read-only SQL shell on the published warehouse (``make sql``): ``bulletins sql [DB] [-c SQL]``."""
    from reporting.shell import main as shell

    raise typer.Exit(shell(list(ctx.args)))


if __name__ == "__main__":
    app()
