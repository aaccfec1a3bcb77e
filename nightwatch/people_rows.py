"""People from a spreadsheet: read a CSV or Excel upload, then check every row before anything is stored.

Pure rules: the service passes in the district's team and grid names and the phone numbers
already taken; problems are catalog keys with values, numbered as Excel shows rows (header = 1).
"""
from __future__ import annotations

import io
import math
import re
import unicodedata
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from nightwatch import i18n
from nightwatch.text import clean_text
from nightwatch.vocab import RoleKind

MAX_ROWS = 10_000  # a large district's whole roster in one file (issue 9 imports 10,000 rows)
MAX_MB = 5
MAX_BYTES = MAX_MB * 1024 * 1024
NAME_MAX = 80
MOBILE = re.compile(r"1[3-9]\d{9}", re.ASCII)  # ASCII: \d would take Arabic-Indic digits too
# Separators people type inside phone numbers: spaces, dashes, dots, brackets.
PHONE_NOISE = re.compile(r"[\s\-.()（）]")
SKILL_SPLIT = re.compile(r"[,，、;；/|\s]+")
# Canonical field → the header names people write for it (compared lower-cased, spaces removed).
HEADERS: dict[str, tuple[str, ...]] = {
    "name": ("姓名", "名字", "name"),
    "phone": ("手机", "手机号", "手机号码", "电话", "联系电话", "phone", "mobile"),
    "role": ("身份", "角色", "类别", "role", "rolekind"),
    "team": ("队伍", "所属队伍", "team"),
    "skills": ("技能", "其他身份", "skills"),
    "grid": ("网格", "所属网格", "homegrid", "grid"),
}
REQUIRED = ("name", "phone", "role")
FIELDS = tuple(HEADERS)


class RowsRefused(Exception):
    """The whole file cannot be read; the message is a catalog key, `values` fill it in."""

    def __init__(self, key: str, **values: object) -> None:
        super().__init__(key)
        self.key = key
        self.values = values


@dataclass(frozen=True)
class Problem:
    """What is wrong with one row: a catalog key and its values."""

    key: str
    values: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class PersonRow:
    """One data row as read, cleaned where it could be, with its problems."""

    line: int
    name: str
    phone: str
    role_kind: RoleKind | None
    skills: tuple[RoleKind, ...]
    team: str
    grid: str
    problems: tuple[Problem, ...]

    @property
    def ok(self) -> bool:
        """True when the row can be stored as it is."""
        return not self.problems


@dataclass(frozen=True)
class Preview:
    """Every row of a file with its problems; importable only when no row has any."""

    rows: tuple[PersonRow, ...]

    @property
    def ok(self) -> bool:
        """True when there are rows and none has a problem."""
        return bool(self.rows) and all(row.ok for row in self.rows)

    @property
    def bad_lines(self) -> list[int]:
        """The row numbers (as Excel shows them) that have problems."""
        return [row.line for row in self.rows if not row.ok]


def _header_key(text: str) -> str:
    return re.sub(r"[\s_\-]", "", unicodedata.normalize("NFKC", text)).lower().lstrip("\ufeff")


HEADER_FIELD = {_header_key(name): key for key, names in HEADERS.items() for name in names}


def cell_text(value: object) -> str:
    """A cell as text: blanks to '', whole floats (Excel's numbers) without '.0'."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return clean_text(str(value))


def _decode(data: bytes) -> str:
    """UTF-8 (with or without BOM), else GB18030, which reads every GBK file Chinese Excel writes."""
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise RowsRefused("people.import.encoding")


def _frame(data: bytes, filename: str) -> pd.DataFrame:
    """The file as a frame of cells, header row included, blank lines kept so numbering holds."""
    if len(data) > MAX_BYTES:
        raise RowsRefused("people.import.too_big", mb=MAX_MB)
    suffix = filename.lower().rsplit(".", 1)[-1]
    try:
        if suffix == "xlsx":
            return pd.read_excel(io.BytesIO(data), header=None, dtype=object, engine="openpyxl")
        if suffix == "csv":
            text = _decode(data)
            first = text.split("\n", 1)[0]
            sep = "\t" if "\t" in first and "," not in first else ","
            return pd.read_csv(io.StringIO(text), header=None, dtype=str, keep_default_na=False,
                               skip_blank_lines=False, sep=sep)
    except RowsRefused:
        raise
    except Exception as error:  # pandas and openpyxl raise many kinds for a damaged file
        raise RowsRefused("people.import.unreadable") from error
    raise RowsRefused("people.import.file_type")


def read_rows(data: bytes, filename: str) -> list[tuple[int, dict[str, str]]]:
    """The data rows of a CSV or .xlsx file as (Excel row number, field → text), blank rows left out."""
    frame = _frame(data, filename)
    if frame.empty:
        raise RowsRefused("people.import.empty")
    columns: dict[int, str] = {}
    for index, heading in enumerate(frame.iloc[0]):
        known = HEADER_FIELD.get(_header_key(cell_text(heading)))
        if known and known not in columns.values():
            columns[index] = known
    missing = [key for key in REQUIRED if key not in columns.values()]
    if missing:
        raise RowsRefused("people.import.missing_columns",
                          columns="、".join(HEADERS[key][0] for key in missing))
    rows = []
    for offset, values in enumerate(frame.iloc[1:].itertuples(index=False), start=2):
        cells = {key: cell_text(values[index]) for index, key in columns.items()}
        if any(cells.values()):
            rows.append((offset, cells))
    if len(rows) > MAX_ROWS:
        raise RowsRefused("people.import.too_many_rows", limit=MAX_ROWS)
    if not rows:
        raise RowsRefused("people.import.empty")
    return rows


def normalise_phone(text: str) -> str:
    """A typed phone number without separators, full-width digits or the +86 / 0086 prefix."""
    typed = unicodedata.normalize("NFKC", text or "").strip()
    if re.fullmatch(r"\d+\.0", typed):  # a number cell that went through a float
        typed = typed[:-2]
    digits = PHONE_NOISE.sub("", typed)
    for prefix in ("+86", "0086", "86"):
        if digits.startswith(prefix) and len(digits) == len(prefix) + 11:
            return digits[len(prefix):]
    return digits


def is_mobile(phone: str) -> bool:
    """True for an 11-digit mainland mobile number."""
    return MOBILE.fullmatch(phone) is not None


def _role_names() -> dict[str, RoleKind]:
    names: dict[str, RoleKind] = {}
    for member in RoleKind:
        names[member.value] = member
        for lang in i18n.LANGUAGES:
            names[_header_key(i18n.label(member, lang))] = member
    return names


ROLE_NAMES = _role_names()


def role_of(text: str) -> RoleKind | None:
    """The role kind a cell names: its Chinese or English label, or its code."""
    return ROLE_NAMES.get(_header_key(text or "")) if text else None


def skills_of(text: str) -> tuple[tuple[RoleKind, ...], list[str]]:
    """The role kinds a skills cell lists, and the words it could not read."""
    found: list[RoleKind] = []
    unknown: list[str] = []
    for word in SKILL_SPLIT.split(text or ""):
        if not word:
            continue
        role = role_of(word)
        if role is None:
            unknown.append(word)
        elif role not in found:
            found.append(role)
    return tuple(found), unknown


def check_row(line: int, cells: dict[str, str], teams: Collection[str], grids: Collection[str],
              taken_phones: Collection[str], seen: dict[str, int]) -> PersonRow:
    """One row cleaned and checked; `seen` (phone → first row) is updated for duplicate checks."""
    problems: list[Problem] = []
    name = cells.get("name", "").strip()
    if not name:
        problems.append(Problem("people.import.no_name"))
    elif len(name) > NAME_MAX:
        problems.append(Problem("people.import.name_too_long", {"limit": NAME_MAX}))
    phone = normalise_phone(cells.get("phone", ""))
    if not is_mobile(phone):
        problems.append(Problem("people.import.bad_phone", {"phone": cells.get("phone", "")}))
    elif phone in seen:
        problems.append(Problem("people.import.duplicate_in_file", {"row": seen[phone]}))
    elif phone in taken_phones:
        problems.append(Problem("people.import.phone_taken", {"phone": phone}))
    if is_mobile(phone):
        seen.setdefault(phone, line)
    role = role_of(cells.get("role", ""))
    if role is None:
        problems.append(Problem("people.import.unknown_role", {"role": cells.get("role", "")}))
    skills, unknown = skills_of(cells.get("skills", ""))
    if unknown:
        problems.append(Problem("people.import.unknown_skill", {"skill": "、".join(unknown)}))
    team, grid = cells.get("team", "").strip(), cells.get("grid", "").strip()
    if team and team not in teams:
        problems.append(Problem("people.import.unknown_team", {"team": team}))
    if grid and grid not in grids:
        problems.append(Problem("people.import.unknown_grid", {"grid": grid}))
    return PersonRow(line, name, phone, role, skills, team, grid, tuple(problems))


def check_rows(rows: Iterable[tuple[int, dict[str, str]]], *, teams: Collection[str], grids: Collection[str],
               taken_phones: Collection[str]) -> Preview:
    """Every row checked against the district's teams and grids and the numbers already taken."""
    seen: dict[str, int] = {}
    return Preview(tuple(check_row(line, cells, teams, grids, taken_phones, seen) for line, cells in rows))


def phones_in(rows: Iterable[tuple[int, dict[str, str]]]) -> set[str]:
    """The well-formed phone numbers of the rows (to ask the database which are taken)."""
    return {phone for _, cells in rows if is_mobile(phone := normalise_phone(cells.get("phone", "")))}
