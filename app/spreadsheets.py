"""What every spreadsheet Concert writes or reads shares: cells that no
spreadsheet program runs as formulas, and reading within bounds."""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from xml.parsers import expat

from flask_babel import gettext as _

_FORMULA_STARTS = ("=", "+", "-", "@")


def safe_cell(value) -> str:
    """A cell's text that a spreadsheet program will not run as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in _FORMULA_STARTS else text


def unsafe_cell(text: str) -> str:
    """The text ``safe_cell`` protected, read back from an import."""
    if text[:1] == "'" and text[1:2] in _FORMULA_STARTS:
        return text[1:]
    return text


# Reading ---------------------------------------------------------------------


class UnreadableFile(ValueError):
    """The file as a whole cannot be read: the message says why."""


@dataclass(frozen=True)
class Bounds:
    """How much of a spreadsheet Concert reads before refusing it; every
    import states its own (the request size limit bounds the file itself)."""

    rows: int = 5000  # below the header
    columns: int = 64  # cells in any row
    cell_chars: int = 5000
    text_chars: int = 5_000_000  # every cell together
    unpacked_bytes: int = 25 * 1024 * 1024  # an XLSX file's parts once unzipped


def read_table(filename: str, data: bytes, bounds: Bounds) -> list[tuple[int, list]]:
    """The rows of a CSV or XLSX file (of its first sheet) that hold anything,
    each with its line number, header included: read within ``bounds``, or
    refused with a message saying which was passed, before the work grows
    with what the file claims."""
    rows = _xlsx_rows(data, bounds) if filename.lower().endswith(".xlsx") else _csv_rows(data)
    table: list[tuple[int, list]] = []
    text = 0
    for line, row in enumerate(rows, start=1):
        if len(row) > bounds.columns:
            raise UnreadableFile(_("A row has more than %(max)d cells.", max=bounds.columns))
        for cell in row:
            if isinstance(cell, str):
                if len(cell) > bounds.cell_chars:
                    raise UnreadableFile(
                        _("A cell holds more than %(max)d characters.", max=bounds.cell_chars)
                    )
                text += len(cell)
        if text > bounds.text_chars:
            raise UnreadableFile(_("The file holds too much text; split it."))
        if any(cell is not None and cell != "" for cell in row):
            table.append((line, list(row)))
        # blank lines count too, a few of them between rows aside
        if len(table) > bounds.rows + 1 or line > 2 * bounds.rows + 100:
            raise UnreadableFile(_too_many_rows(bounds))
    return table


def _too_many_rows(bounds: Bounds) -> str:
    return _("The file has more than %(max)d rows; split it.", max=bounds.rows)


def _csv_rows(data: bytes) -> Iterator[list[str]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise UnreadableFile(_("Save the file as CSV in UTF-8 and try again.")) from None
    sample = text[:4096]
    try:
        dialect = csv.Sniffer().sniff(sample.splitlines()[0] if sample else "", ",;\t")
    except csv.Error:
        dialect = csv.excel
    try:
        yield from csv.reader(io.StringIO(text), dialect)
    except csv.Error:  # a cell past the reader's own limit, or a stray NUL
        raise UnreadableFile(_("This CSV file cannot be read: check its cells.")) from None


def _xlsx_rows(data: bytes, bounds: Bounds) -> Iterator[tuple]:
    from openpyxl import load_workbook

    _check_parts(data, bounds)
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:
        raise UnreadableFile(_("This is not a spreadsheet Concert can read.")) from None
    try:
        yield from workbook.worksheets[0].iter_rows(values_only=True)
    except UnreadableFile:
        raise
    except Exception:
        raise UnreadableFile(_("This is not a spreadsheet Concert can read.")) from None
    finally:
        workbook.close()


def _check_parts(data: bytes, bounds: Bounds) -> None:
    """Before any part is parsed for its content: the sizes the archive
    declares (which also bound what unzipping may produce), then each XML
    part streamed through a parser that counts rows and cells and stops at
    the first one past the bounds. A zip bomb is refused within a second."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        parts = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError):
        raise UnreadableFile(_("This is not a spreadsheet Concert can read.")) from None
    if len(parts) > 1000 or sum(part.file_size for part in parts) > bounds.unpacked_bytes:
        raise UnreadableFile(
            _(
                "This spreadsheet unpacks to more than %(size)d MB; split it.",
                size=bounds.unpacked_bytes // (1024 * 1024),
            )
        )
    for part in parts:
        if part.filename.endswith((".xml", ".rels")):
            _count_part(archive, part, bounds)


class _PastBounds(Exception):
    pass


def _count_part(archive: zipfile.ZipFile, part: zipfile.ZipInfo, bounds: Bounds) -> None:
    parser = expat.ParserCreate(namespace_separator=" ")
    # rows and their cells, and a budget of elements for the whole part
    state = {"rows": 0, "cells": 0, "in_row": False, "elements": 0}
    budget = (bounds.rows + 1) * (bounds.columns * 4 + 2) + 10_000

    def start(name, _attributes):
        local = name.rsplit(" ", 1)[-1]
        state["elements"] += 1
        if state["elements"] > budget:
            raise _PastBounds(_too_many_rows(bounds))
        if local == "row":
            state["rows"] += 1
            state["cells"], state["in_row"] = 0, True
            if state["rows"] > bounds.rows + 1:
                raise _PastBounds(_too_many_rows(bounds))
        elif local == "c" and state["in_row"]:
            state["cells"] += 1
            if state["cells"] > bounds.columns:
                raise _PastBounds(_("A row has more than %(max)d cells.", max=bounds.columns))

    def end(name):
        if name.rsplit(" ", 1)[-1] == "row":
            state["in_row"] = False

    def refuse(*_args):
        raise _PastBounds(_("This is not a spreadsheet Concert can read."))

    parser.StartElementHandler, parser.EndElementHandler = start, end
    parser.StartDoctypeDeclHandler = parser.EntityDeclHandler = refuse
    try:
        with archive.open(part) as stream:
            while chunk := stream.read(64 * 1024):
                parser.Parse(chunk, False)
        parser.Parse(b"", True)
    except _PastBounds as error:
        raise UnreadableFile(str(error)) from None
    except (expat.ExpatError, zipfile.BadZipFile, NotImplementedError, RuntimeError, OSError):
        raise UnreadableFile(_("This is not a spreadsheet Concert can read.")) from None
