"""Reading an onboarding file (the bodies of a mechanism and their first
administrators) within bounds, for the operator's page and the command; the
rules are in ``tenants.onboarding``."""

from __future__ import annotations

import json
from datetime import date, datetime

from flask_babel import gettext as _

from app.spreadsheets import Bounds, UnreadableFile, read_table, unsafe_cell
from tenants import onboarding

BOUNDS = Bounds(rows=onboarding.MAX_ROWS, columns=32, cell_chars=1000, text_chars=500_000)

Table = list[tuple[int, dict[str, str]]]


def _text(cell) -> str:
    if isinstance(cell, bool):
        return "yes" if cell else "no"
    if isinstance(cell, datetime | date):
        return cell.isoformat()
    text = "" if cell is None else str(cell)
    return unsafe_cell("".join(ch for ch in text if ch.isprintable()).strip())


def read(filename: str, data: bytes) -> Table:
    """The file's rows as (line, column → text), header excluded; raises
    ``UnreadableFile`` saying why it cannot be used."""
    table = read_table(filename, data, BOUNDS)
    if not table:
        raise UnreadableFile(_("The file is empty."))
    names, problem = onboarding.columns_of([_text(cell) for cell in table[0][1]])
    if problem:
        raise UnreadableFile(problem)
    rows = []
    for line, cells in table[1:]:
        values = {
            name: _text(cells[index]) if index < len(cells) else ""
            for index, name in enumerate(names)
            if name
        }
        if any(values.values()):
            rows.append((line, values))
    if not rows:
        raise UnreadableFile(_("The file names its columns but holds no body."))
    return rows


def encode(table: Table) -> str:
    """The checked rows, carried by the preview's form to the step that applies them."""
    return json.dumps([[line, values] for line, values in table], ensure_ascii=False)


def decode(text: str) -> Table | None:
    """Rows sent back by the preview's form (checked again before use), or
    None when they are not rows of an onboarding table."""
    if not text or len(text) > BOUNDS.text_chars * 2:
        return None
    try:
        raw = json.loads(text)
    except ValueError:
        return None
    if not isinstance(raw, list) or not raw or len(raw) > BOUNDS.rows:
        return None
    table = []
    for item in raw:
        if not (isinstance(item, list) and len(item) == 2 and type(item[0]) is int):
            return None
        line, values = item
        if not isinstance(values, dict) or not all(
            column in onboarding.COLUMNS and isinstance(value, str) and len(value) <= 1000
            for column, value in values.items()
        ):
            return None
        table.append((line, values))
    return table


def template_csv() -> bytes:
    header = ",".join(onboarding.COLUMNS)
    example = "Children's Commissioner,,specialised,no,yes,admin@example.org,Alex Martin"
    return f"{header}\n{example}\n".encode("utf-8-sig")
