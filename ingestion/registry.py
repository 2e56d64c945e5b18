"""The source registry: one folder per bulletin under ``data/sources/``, a ``source.yaml`` beside
the file saying what a person knows about it. Validated with pydantic so that a wrong field gets
an error naming the file, the field and what was expected."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from ingestion import layouts, periods
from ingestion.errors import FieldProblem, RegistryError
from ingestion.model import ROLES, STATUS_ENUM

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SOURCES_DIR = REPO_ROOT / "data" / "sources"
SOURCE_YAML = "source.yaml"
# A source id is a folder name, a Dagster partition key and a value in every raw table: lower-case
# letters, digits and '_', at most 64 characters (no '/', '.', spaces or shell metacharacters).
SOURCE_ID_PATTERN = r"^[a-z0-9][a-z0-9_]{0,63}$"
# A source.yaml is a few lines; anything this large is not one (and is not parsed).
MAX_YAML_BYTES = 256 * 1024


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class Jurisdiction(_Strict):
    province: str | None = None
    city: str | None = None
    county: str | None = Field(None, description="district (区), county (县) or county-level city")
    region_code: str | None = Field(None, description="GB/T 2260 code; derived from the names if omitted")

    @field_validator("region_code")
    @classmethod
    def _six_digits(cls, v: str | None) -> str | None:
        if v is not None and not re.fullmatch(r"\d{6}", v):
            raise ValueError("must be a 6-digit GB/T 2260 code such as 340603")
        return v

    @model_validator(mode="after")
    def _some_name(self) -> Jurisdiction:
        if not (self.province or self.city or self.county or self.region_code):
            raise ValueError("give at least one of province, city, county or region_code")
        return self


class Period(_Strict):
    year: int = Field(ge=1990, le=2100)
    quarter: int | None = Field(None, ge=1, le=4)
    half: int | None = Field(None, ge=1, le=2)
    month: int | None = Field(None, ge=1, le=12, description="cumulative from January to this month")
    annual: bool = False

    @model_validator(mode="after")
    def _exactly_one(self) -> Period:
        given = [k for k in ("quarter", "half", "month") if getattr(self, k) is not None]
        if self.annual:
            given.append("annual")
        if len(given) != 1:
            raise ValueError(
                "give exactly one of quarter (1-4), half (1-2), month (1-12) or annual: true"
                + (f"; got {', '.join(given)}" if given else "")
            )
        return self

    @property
    def span(self) -> periods.Span:
        """Label, dates and elapsed share (ingestion.periods, the one implementation)."""
        return periods.span(self.year, self.quarter, self.half, self.month, self.annual)

    @property
    def label(self) -> str:
        return self.span.label


class SourceSpec(_Strict):
    source_id: str = Field(pattern=SOURCE_ID_PATTERN, description="lower-case id, also the partition key")
    file: str = Field(description="bulletin file name, relative to the folder of source.yaml (inside it)")
    title: str | None = None
    jurisdiction: Jurisdiction | None = Field(
        None, description="null only when the bulletin genuinely does not say; then give unknown_reason"
    )
    period: Period | None = None
    unknown_reason: str | None = Field(None, description="why jurisdiction or period is null")
    publisher: str | None = None
    published: dt.date | None = None
    url: str | None = None
    layout: str = Field(
        layouts.AUTO,
        description="a layout of the registry in ingestion/layouts (or auto: detect it)",
        json_schema_extra=lambda schema: schema.update(enum=list(layouts.names())),
    )
    encoding: str | None = None
    # Header text (as printed, spaces ignored) -> canonical role; overrides detection.
    columns: dict[str, str] = Field(default_factory=dict)
    # Extra status words of this bulletin -> status enum.
    status_words: dict[str, str] = Field(default_factory=dict)
    # Layout-specific knobs (documented per layout).
    options: dict[str, Any] = Field(default_factory=dict)

    @field_validator("file")
    @classmethod
    def _relative_inside(cls, v: str) -> str:
        return check_relative_file(v)

    @field_validator("layout")
    @classmethod
    def _known_layout(cls, v: str) -> str:
        if v not in layouts.names():
            raise ValueError(f"unknown layout {v!r}; expected one of {', '.join(layouts.names())}")
        return v

    @field_validator("columns")
    @classmethod
    def _known_roles(cls, v: dict[str, str]) -> dict[str, str]:
        bad = {k: r for k, r in v.items() if r not in ROLES and r != "ignore"}
        if bad:
            raise ValueError(f"unknown role(s) {bad}; expected one of {', '.join(ROLES)} or 'ignore'")
        return v

    @field_validator("status_words")
    @classmethod
    def _known_status(cls, v: dict[str, str]) -> dict[str, str]:
        bad = {k: s for k, s in v.items() if s not in STATUS_ENUM}
        if bad:
            raise ValueError(f"unknown status value(s) {bad}; expected one of {', '.join(STATUS_ENUM)}")
        return v

    @model_validator(mode="after")
    def _unknown_needs_reason(self) -> SourceSpec:
        if (self.jurisdiction is None or self.period is None) and not self.unknown_reason:
            raise ValueError("jurisdiction or period is null: say why in unknown_reason")
        return self


def check_relative_file(name: str) -> str:
    """``file:`` names a file inside the source's own folder: a relative path with no ``..``, no
    absolute path, drive or backslash. (Symlinks pointing out are refused by ``contained_file``.)"""
    if not name:
        raise ValueError("empty file name")
    if "\x00" in name:
        raise ValueError("file name contains a NUL byte")
    if name.startswith(("/", "\\", "~")) or re.match(r"^[A-Za-z]:", name) or Path(name).is_absolute():
        raise ValueError(f"{name!r} is an absolute path; give the file's name inside the source's own folder")
    parts = re.split(r"[/\\]", name)
    if ".." in parts:
        raise ValueError(f"{name!r} leaves the source's folder ('..'); the file must be inside it")
    return name


def contained_file(folder: Path, name: str) -> Path:
    """``folder / name`` after resolving symlinks, refused (ValueError) unless it is inside ``folder``."""
    base = folder.resolve()
    target = (folder / check_relative_file(name)).resolve()
    if not target.is_relative_to(base):
        raise ValueError(f"{name!r} resolves to {target}, outside the source's folder {base} (a symlink pointing out?)")
    return target


def read_key(src: RegisteredSource) -> str:
    """What makes two entries the same bulletin read the same way: the file's content (sha256)
    and the options that select or decode it. Two entries over one file with different
    ``options.line_range`` (two bulletins in one excerpt) are different sources."""
    digest = hashlib.sha256(src.file_path.read_bytes()).hexdigest()
    opts = json.dumps({"options": src.spec.options, "encoding": src.spec.encoding}, sort_keys=True,
                      ensure_ascii=False, default=str)
    return f"{digest}:{opts}"


@dataclass
class RegisteredSource:
    spec: SourceSpec
    yaml_path: Path

    @property
    def source_id(self) -> str:
        return self.spec.source_id

    @property
    def folder(self) -> Path:
        return self.yaml_path.parent

    @property
    def file_path(self) -> Path:
        return self.folder / self.spec.file

    def relative_file(self, root: Path = REPO_ROOT) -> str:
        try:
            return self.file_path.resolve().relative_to(root.resolve()).as_posix()
        except ValueError:
            return self.file_path.as_posix()


@dataclass
class Registry:
    sources: list[RegisteredSource] = field(default_factory=list)
    errors: list[RegistryError] = field(default_factory=list)  # one per invalid entry

    def invalid_folders(self) -> set[str]:
        """Folders (source ids by convention) whose source.yaml is present but invalid."""
        return {e.folder for e in self.errors if e.folder}

    def by_id(self) -> dict[str, RegisteredSource]:
        return {s.source_id: s for s in self.sources}

    def get(self, source_id: str) -> RegisteredSource:
        try:
            return self.by_id()[source_id]
        except KeyError:
            raise RegistryError(None, f"no source with id {source_id!r} in the registry") from None


def _field_problems(err: ValidationError) -> list[FieldProblem]:
    # our validators' ValueErrors read as sentences of their own: drop pydantic's 'Value error, '
    return [FieldProblem(".".join(str(x) for x in e["loc"]) or "(top level)", e["msg"].removeprefix("Value error, "))
            for e in err.errors()]


def load_spec(yaml_path: Path) -> RegisteredSource:
    """Parse and validate one source.yaml. Raises RegistryError naming the file and field.
    ``yaml.safe_load`` only: no tag builds a Python object."""
    try:
        size = yaml_path.stat().st_size
    except OSError as e:
        raise RegistryError(yaml_path, f"cannot read: {e.strerror}") from None
    if size > MAX_YAML_BYTES:
        raise RegistryError(yaml_path, f"{size} bytes: larger than the {MAX_YAML_BYTES} bytes a source.yaml may have")
    try:
        raw = yaml.safe_load(yaml_path.read_text(encoding="utf-8"))
    except yaml.YAMLError as e:
        raise RegistryError(yaml_path, f"malformed YAML: {e}") from None
    except UnicodeDecodeError:
        raise RegistryError(yaml_path, "not UTF-8 text") from None
    if not isinstance(raw, dict):
        raise RegistryError(yaml_path, f"expected a mapping of fields, got {type(raw).__name__}")
    try:
        spec = SourceSpec.model_validate(raw)
    except ValidationError as e:
        raise RegistryError(yaml_path, _field_problems(e)) from None
    src = RegisteredSource(spec=spec, yaml_path=yaml_path)
    try:
        contained_file(src.folder, spec.file)
    except ValueError as e:
        raise RegistryError(yaml_path, str(e), field="file") from None
    if not src.file_path.is_file():
        raise RegistryError(yaml_path, f"{spec.file!r} not found beside it", field="file")
    return src


def load_registry(sources_dir: Path = DEFAULT_SOURCES_DIR) -> Registry:
    """Load every ``*/source.yaml``. Invalid entries are collected in ``errors``, not raised, so
    one broken entry does not hide the others; duplicate ids are errors too."""
    reg = Registry()
    seen: dict[str, Path] = {}
    same_read: dict[str, RegisteredSource] = {}
    root = Path(sources_dir).resolve()
    for yaml_path in sorted(Path(sources_dir).glob(f"*/{SOURCE_YAML}")):
        try:
            if not yaml_path.resolve().is_relative_to(root):
                raise RegistryError(yaml_path, f"resolves to {yaml_path.resolve()}, outside the registry {root} "
                                               "(a symlinked folder or source.yaml pointing out)")
            src = load_spec(yaml_path)
        except RegistryError as e:
            reg.errors.append(e)
            continue
        if src.source_id in seen:
            reg.errors.append(
                RegistryError(yaml_path, f"{src.source_id!r} already used by {seen[src.source_id]}", field="source_id")
            )
            continue
        key = read_key(src)
        if key in same_read:
            other = same_read[key]
            reg.errors.append(RegistryError(
                yaml_path, f"{src.spec.file!r} is the same file, read with the same options, as source "
                           f"{other.source_id!r} ({other.yaml_path}); register a bulletin once", field="file"))
            continue
        seen[src.source_id] = yaml_path
        same_read[key] = src
        reg.sources.append(src)
    return reg
