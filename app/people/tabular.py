"""The register as a spreadsheet: the columns of the import and the export,
reading CSV or XLSX into drafts (with every error by line and column), and
writing people back out."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date, datetime

from flask_babel import gettext as _

from app.people.checks import PersonDraft, PositionDraft, validate
from app.people.vocabulary import (
    Employment,
    Engagement,
    ExpertiseArea,
    Gender,
    Minority,
    PersonKind,
    Sector,
    WorkingTime,
)
from app.spreadsheets import Bounds, UnreadableFile, read_table, safe_cell, unsafe_cell
from app.vocabulary import Labelled

COLUMNS = (
    "name",
    "kind",
    "position",
    "leadership",
    "start_date",
    "end_date",
    "account_email",
    "expertise",
    "languages",
    "appointed_by",
    "term_start",
    "term_end",
    "renewable",
    "working_time",
    "employment",
    "seconded_from",
    "secondment_start",
    "secondment_end",
    "engagement",
    "agreement_date",
    "confidentiality_date",
    "gender",
    "minority",
    "current_employer",
    "current_role",
    "current_sector",
)
REQUIRED = ("name", "kind")
ENUMS: dict[str, type[Labelled]] = {
    "kind": PersonKind,
    "working_time": WorkingTime,
    "employment": Employment,
    "engagement": Engagement,
    "gender": Gender,
    "minority": Minority,
    "current_sector": Sector,
}
DATES = (
    "start_date",
    "end_date",
    "term_start",
    "term_end",
    "secondment_start",
    "secondment_end",
    "agreement_date",
    "confidentiality_date",
)
BOOLEANS = ("leadership", "renewable")
MAX_ROWS = 5000
# a few more columns than COLUMNS: spreadsheet programs keep blank ones
BOUNDS = Bounds(rows=MAX_ROWS, columns=64, cell_chars=5000)
LIST_SEPARATOR = ";"


@dataclass
class RowError:
    line: int
    column: str
    message: str


@dataclass
class ParsedRow:
    line: int
    draft: PersonDraft | None
    account_email: str


# Reading ---------------------------------------------------------------------


def read(filename: str, data: bytes) -> list[tuple[int, dict[str, str]]]:
    """The file's rows as (line number, column → text), header excluded:
    read once, at upload, within the import's bounds."""
    table = read_table(filename, data, BOUNDS)
    if not table:
        raise UnreadableFile(_("The file is empty."))
    header = [str(cell or "").strip().lower() for cell in table[0][1]]
    missing = [column for column in REQUIRED if column not in header]
    if missing:
        raise UnreadableFile(
            _(
                "The first line must name the columns; missing: %(columns)s.",
                columns=", ".join(missing),
            )
        )
    unknown = [name for name in header if name and name not in COLUMNS]
    if unknown:
        raise UnreadableFile(_("Unknown columns: %(columns)s.", columns=", ".join(unknown)))
    rows = []
    for line, cells in table[1:]:
        values = {
            name: _text(cells[index]) if index < len(cells) else ""
            for index, name in enumerate(header)
            if name
        }
        if any(values.values()):
            rows.append((line, values))
    if not rows:
        raise UnreadableFile(_("The file names its columns but holds nobody."))
    return rows


def _text(cell) -> str:
    if isinstance(cell, datetime):
        return cell.date().isoformat()
    if isinstance(cell, date):
        return cell.isoformat()
    if isinstance(cell, bool):
        return "yes" if cell else "no"
    text = "" if cell is None else str(cell)
    return unsafe_cell("".join(ch for ch in text if ch.isprintable()).strip())


# Parsing ---------------------------------------------------------------------

_TRUE = {"yes", "y", "true", "1", "oui", "x"}
_FALSE = {"no", "n", "false", "0", "non"}


def _enum_value(cls: type[Labelled], text: str):
    wanted = text.strip().casefold()
    for member in cls:
        if wanted in (member.value.casefold(), member.label.casefold()):
            return member
    raise ValueError(
        _(
            "Unknown value “%(value)s”; use one of: %(values)s.",
            value=text,
            values=", ".join(member.value for member in cls),
        )
    )


def _date_value(text: str) -> date:
    try:
        return date.fromisoformat(text[:10])
    except ValueError:
        raise ValueError(_("Write dates as YYYY-MM-DD.")) from None


def _bool_value(text: str) -> bool:
    folded = text.casefold()
    if folded in _TRUE:
        return True
    if folded in _FALSE:
        return False
    raise ValueError(_("Write yes or no."))


def parse_row(line: int, values: dict[str, str]) -> tuple[ParsedRow, list[RowError]]:
    """One row as a draft, with its errors (its own and the register's rules)."""
    errors: list[RowError] = []
    parsed: dict = {}

    def convert(column, converter):
        text = values.get(column, "")
        if not text:
            return None
        try:
            return converter(text)
        except ValueError as error:
            errors.append(RowError(line, column, str(error)))
            return None

    for column in REQUIRED:
        if not values.get(column):
            errors.append(RowError(line, column, _("Required.")))
    for column, cls in ENUMS.items():
        parsed[column] = convert(column, lambda text, cls=cls: _enum_value(cls, text))
    for column in DATES:
        parsed[column] = convert(column, _date_value)
    for column in BOOLEANS:
        parsed[column] = convert(column, _bool_value)
    expertise = []
    for text in _split(values.get("expertise", "")):
        try:
            expertise.append(_enum_value(ExpertiseArea, text))
        except ValueError as error:
            errors.append(RowError(line, "expertise", str(error)))
    position = None
    if values.get("current_employer"):
        if parsed["current_sector"] is None and "current_sector" not in [e.column for e in errors]:
            errors.append(RowError(line, "current_sector", _("Required with an employer.")))
        else:
            position = PositionDraft(
                employer=values["current_employer"][:300],
                role=values.get("current_role", "")[:200],
                sector=parsed["current_sector"],
            )
    for column, limit in (
        ("name", 200),
        ("position", 200),
        ("appointed_by", 300),
        ("seconded_from", 300),
    ):
        if len(values.get(column, "")) > limit:
            errors.append(RowError(line, column, _("At most %(n)d characters.", n=limit)))
    if errors or parsed["kind"] is None:
        return ParsedRow(line, None, ""), errors
    draft = PersonDraft(
        kind=parsed["kind"],
        name=values["name"],
        position=values.get("position", ""),
        leadership=bool(parsed["leadership"]),
        start_date=parsed["start_date"],
        end_date=parsed["end_date"],
        appointed_by=values.get("appointed_by", ""),
        term_start=parsed["term_start"],
        term_end=parsed["term_end"],
        renewable=parsed["renewable"],
        working_time=parsed["working_time"],
        employment=parsed["employment"],
        seconded_from=values.get("seconded_from", ""),
        secondment_start=parsed["secondment_start"],
        secondment_end=parsed["secondment_end"],
        engagement=parsed["engagement"],
        agreement_date=parsed["agreement_date"],
        confidentiality_date=parsed["confidentiality_date"],
        expertise=expertise,
        languages=_split(values.get("languages", "")),
        gender=parsed["gender"],
        minority=parsed["minority"],
        current_position=position,
    )
    for field_name, message in validate(draft).items():
        errors.append(RowError(line, field_name, message))
    row = ParsedRow(line, None if errors else draft, values.get("account_email", "").lower())
    return row, errors


def _split(text: str) -> list[str]:
    return [part.strip() for part in text.split(LIST_SEPARATOR) if part.strip()]


# Writing ---------------------------------------------------------------------


def person_row(person, today: date) -> list:
    current = next(iter(person.current_positions(today)), None)
    values = {
        "name": person.name,
        "kind": person.kind.value,
        "position": person.position,
        "leadership": "yes" if person.leadership else "no",
        "account_email": person.user.email if person.user else "",
        "expertise": LIST_SEPARATOR.join(area.value for area in person.areas),
        "languages": LIST_SEPARATOR.join(person.language_names),
        "renewable": {True: "yes", False: "no"}.get(person.renewable, ""),
        "current_employer": current.employer if current else "",
        "current_role": current.role if current else "",
        "current_sector": current.sector.value if current else "",
    }
    row = []
    for column in COLUMNS:
        value = values[column] if column in values else getattr(person, column)
        if isinstance(value, Labelled):
            value = value.value
        elif isinstance(value, date):
            value = value.isoformat()
        row.append(safe_cell(value))
    return row


def to_csv(rows: list[list]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(COLUMNS)
    writer.writerows(rows)
    # with a byte-order mark, so that spreadsheet programs read UTF-8
    return buffer.getvalue().encode("utf-8-sig")


def to_xlsx(rows: list[list]) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("people")
    sheet.append(list(COLUMNS))
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
