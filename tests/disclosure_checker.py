"""An attacker's view of the published people figures: from the CSV alone
(the cells, the row totals, and each body's active people as the total of
its gender and minority counts), try to work out every hidden count.

Written apart from ``app.people.disclosure`` on purpose: it knows nothing
of how cells were chosen, only what the labels say."""

from __future__ import annotations

import csv
import io
from fractions import Fraction

FEWER = "fewer than 5"
HIDDEN = "hidden"
EMPTY = "no register"


def parse(text: str) -> tuple[list[str], dict]:
    """Columns (bodies and "total") and (figure, value, column) → cell text."""
    rows = list(csv.reader(io.StringIO(text)))
    columns = rows[0][2:]
    cells = {}
    for figure, value, *counts in rows[1:]:
        for column, count in zip(columns, counts, strict=True):
            cells[(figure, value, column)] = count
    return columns, cells


def lines(columns: list[str], cells: dict) -> list[tuple[list, object]]:
    """Every equation a reader knows: rows add up to their total, and a
    body's gender (or minority) counts add up to its active people."""
    out = []
    rows = sorted({(figure, value) for figure, value, _column in cells})
    for figure, value in rows:
        out.append(([(figure, value, c) for c in columns[:-1]], (figure, value, columns[-1])))
    for figure in ("gender", "minority"):
        values = [value for f, value in rows if f == figure]
        for column in columns:
            out.append(([(figure, v, column) for v in values], ("people", "active", column)))
    return out


def known(cell: str) -> int | None:
    if cell == EMPTY:
        return 0
    return int(cell) if cell.isdigit() else None


def _rank(matrix: list[list[Fraction]]) -> int:
    matrix = [row[:] for row in matrix]
    rank = 0
    width = len(matrix[0]) if matrix else 0
    for column in range(width):
        pivot = next((r for r in range(rank, len(matrix)) if matrix[r][column]), None)
        if pivot is None:
            continue
        matrix[rank], matrix[pivot] = matrix[pivot], matrix[rank]
        for r in range(len(matrix)):
            if r != rank and matrix[r][column]:
                factor = matrix[r][column] / matrix[rank][column]
                matrix[r] = [a - factor * b for a, b in zip(matrix[r], matrix[rank], strict=True)]
        rank += 1
    return rank


def linearly_recovered(columns: list[str], cells: dict) -> list:
    """Hidden cells whose value the equations fix: a cell is fixed when its
    unit vector lies in the span of the equations over the hidden cells."""
    unknown = sorted(key for key, cell in cells.items() if known(cell) is None)
    if not unknown:
        return []
    index = {key: i for i, key in enumerate(unknown)}
    matrix = []
    for parts, total in lines(columns, cells):
        row = [Fraction(0)] * len(unknown)
        for key, sign in [*((p, 1) for p in parts), (total, -1)]:
            if key in index:
                row[index[key]] += sign
        if any(row):
            matrix.append(row)
    base = _rank(matrix)
    recovered = []
    for key, i in index.items():
        unit = [Fraction(int(j == i)) for j in range(len(unknown))]
        if _rank([*matrix, unit]) == base:
            recovered.append(key)
    return recovered


def recovered_from_labels(columns: list[str], cells: dict) -> list:
    """Hidden cells of a line with a known total that only one filling of
    the line allows, knowing that "fewer than 5" is 1 to 4 and "hidden" is 0
    or 5 and more."""
    recovered = []
    for parts, total in lines(columns, cells):
        if known(cells[total]) is None:
            continue
        hidden = [key for key in parts if known(cells[key]) is None]
        rest = known(cells[total]) - sum(known(cells[k]) for k in parts if k not in hidden)

        def values(key, rest=rest):
            if cells[key] == FEWER:
                return range(1, 5)
            return [0, *range(5, rest + 1)]

        for key in hidden:
            others = {0}
            for other in hidden:
                if other != key:
                    others = {s + v for s in others for v in values(other) if s + v <= rest}
            possible = [v for v in values(key) if rest - v in others]
            if len(possible) <= 1:
                recovered.append(key)
    return recovered
