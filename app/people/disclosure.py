"""Statistical disclosure control for published tables of counts.

A published table is a set of entries (cells and their totals) tied by lines:
each line says that some entries add up to another (a row to its row total, a
column to its column total). A count from 1 to 4 is never shown: it is
labelled "fewer than 5" (primary suppression). A reader who knows the lines
could still recover it from what is shown (5 + 11 + x = 20), so other entries
are hidden to protect it (complementary suppression), labelled "hidden", until
no hidden entry can be recovered:

- by linear arithmetic over every line at once (an entry is recovered when
  the equations of the lines fix its value whatever the other hidden values);
- nor, line by line, from what the labels themselves say: an entry labelled
  "fewer than 5" holds 1 to 4, an entry labelled "hidden" holds 0 or 5 and more.

Zeros are shown: they name nobody. Shown counts are exact.
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass
from fractions import Fraction

from flask_babel import lazy_gettext as _l

SMALL = 5

SHOWN = "shown"
FEWER = "fewer"  # primary: 1 to 4
PROTECTED = "protected"  # complementary: hidden to protect another count
EMPTY = "empty"  # the count of a register nobody is in yet


@dataclass(frozen=True)
class Shown:
    """A count as it may be shown: ``value`` is ``None`` when hidden, and
    ``why`` says whether it is small (``fewer``) or hidden to protect another
    (``protected``)."""

    value: int | None
    why: str = SHOWN

    @property
    def hidden(self) -> bool:
        return self.value is None

    def __str__(self) -> str:
        if self.why == FEWER:
            return str(_l("fewer than 5"))
        if self.why == PROTECTED:
            return str(_l("hidden"))
        if self.why == EMPTY:
            return str(_l("no register"))
        return str(self.value)


def shown(value: int) -> Shown:
    return Shown(value)


FEWER_THAN_5 = Shown(None, FEWER)
HIDDEN = Shown(None, PROTECTED)


@dataclass
class Line:
    """``parts`` add up to ``total`` (keys of entries)."""

    parts: tuple
    total: Hashable


class Table:
    """Entries (key → true count) and the lines that tie them."""

    def __init__(self) -> None:
        self.values: dict = {}
        self.lines: list[Line] = []
        # entries that may not be chosen to protect another while others can
        self.last_resort: set = set()
        # entries shown elsewhere, which hiding here would not hide
        self.fixed: set = set()
        # entries the reader knows already (their own body's counts): they
        # keep their own label, but protect nothing, and nothing need
        # protect them from this reader
        self.known: set = set()

    def add(
        self,
        key,
        value: int,
        *,
        last_resort: bool = False,
        fixed: bool = False,
        known: bool = False,
    ) -> None:
        self.values[key] = int(value)
        if last_resort:
            self.last_resort.add(key)
        if fixed:
            self.fixed.add(key)
        if known:
            self.known.add(key)

    def line(self, parts, total) -> None:
        self.lines.append(Line(tuple(parts), total))

    def protect(self) -> dict:
        """Key → ``Shown``: what may be published. Entries tied by no line
        are worked on apart (the expertise rows, say, from the gender table)."""
        hidden = {key: FEWER for key, value in self.values.items() if 0 < value < SMALL}
        for lines in self._components():
            self._protect(lines, hidden)
        return {
            key: Shown(None, hidden[key]) if key in hidden else Shown(value)
            for key, value in self.values.items()
        }

    def _components(self) -> list[list[Line]]:
        parent: dict = {}

        def find(key):
            while parent.setdefault(key, key) != key:
                parent[key] = parent[parent[key]]
                key = parent[key]
            return key

        for line in self.lines:
            first = find(line.total)
            for key in line.parts:
                parent[find(key)] = first
        groups: dict = {}
        for line in self.lines:
            groups.setdefault(find(line.total), []).append(line)
        return list(groups.values())

    def _protect(self, lines: list[Line], hidden: dict) -> None:
        keys = {key for line in lines for key in (*line.parts, line.total)}
        while True:
            local = {
                key: why for key, why in hidden.items() if key in keys and key not in self.known
            }
            exposed = recoverable(self.values, lines, local)
            if not exposed:
                return
            complement = self._complement(lines, exposed, hidden)
            if complement is not None:
                hidden[complement] = PROTECTED
                continue
            # Everything that may be hidden is: what still gives a small
            # count away is its label, so it is labelled "hidden" like the
            # rest (which is true, and says no more than that).
            small = [key for key in exposed if hidden[key] == FEWER]
            if not small:
                return
            for key in small:
                hidden[key] = PROTECTED

    def _complement(self, lines: list[Line], exposed: list, hidden: dict):
        """The entry to hide next: a shown entry on a line of the first
        exposed entry, preferring cells to totals, counts of 5 and more to
        zeros (a hidden zero protects nothing a label does not give away),
        then the smallest (the least information lost)."""
        for target in exposed:
            candidates = {
                key
                for line in lines
                if target in line.parts or target == line.total
                for key in (*line.parts, line.total)
                if key not in hidden and key not in self.fixed and key not in self.known
            }
            if candidates:
                return min(
                    candidates,
                    key=lambda key: (
                        key in self.last_resort,
                        self.values[key] == 0,
                        self.values[key],
                        str(key),
                    ),
                )
        # every line of the exposed entries is hidden whole: widen to a line
        # that touches any hidden entry
        for line in lines:
            keys = (*line.parts, line.total)
            if any(key in hidden for key in keys):
                rest = [
                    key
                    for key in keys
                    if key not in hidden and key not in self.fixed and key not in self.known
                ]
                if rest:
                    return min(rest, key=lambda key: (self.values[key] == 0, self.values[key]))
        return None


def recoverable(values: dict, lines: list[Line], hidden: dict) -> list:
    """Hidden entries whose value a reader could work out from what is shown
    (sorted smallest first, primary ones before the others)."""
    found = set()
    for line in lines:
        found.update(_determined_by_labels(values, line, hidden))
    if not found:  # line by line first: cheaper, and it finds most
        found.update(linearly_determined(values, lines, hidden))
    return sorted(found, key=lambda key: (hidden[key] != FEWER, values[key], str(key)))


def linearly_determined(values: dict, lines: list[Line], hidden: dict) -> list:
    """Hidden entries fixed by the lines' equations, the shown entries known."""
    unknowns = sorted(hidden, key=str)
    if not unknowns:
        return []
    index = {key: i for i, key in enumerate(unknowns)}
    rows = []
    for line in lines:
        row = [Fraction(0)] * (len(unknowns) + 1)
        touched = False
        for key, sign in [*((part, 1) for part in line.parts), (line.total, -1)]:
            if key in index:
                row[index[key]] += sign
                touched = True
            else:
                row[-1] -= sign * values[key]
        if touched:
            rows.append(row)
    pivots = _reduce(rows, len(unknowns))
    determined = []
    for row_index, column in pivots:
        row = rows[row_index]
        if all(row[j] == 0 for j in range(len(unknowns)) if j != column):
            determined.append(unknowns[column])
    return determined


def _reduce(rows: list, width: int) -> list[tuple[int, int]]:
    """Rows brought to reduced row echelon form in place; (row, column) of
    each pivot."""
    pivots = []
    top = 0
    for column in range(width):
        pivot = next((r for r in range(top, len(rows)) if rows[r][column] != 0), None)
        if pivot is None:
            continue
        rows[top], rows[pivot] = rows[pivot], rows[top]
        lead = rows[top][column]
        rows[top] = [value / lead for value in rows[top]]
        for r in range(len(rows)):
            if r != top and rows[r][column] != 0:
                factor = rows[r][column]
                rows[r] = [a - factor * b for a, b in zip(rows[r], rows[top], strict=True)]
        pivots.append((top, column))
        top += 1
    return pivots


def _domain_mask(why: str, limit: int) -> int:
    """Bit set of the values an entry with this label may hold, up to limit."""
    if why == FEWER:
        return sum(1 << v for v in range(1, min(SMALL - 1, limit) + 1))
    mask = 1  # zero
    if limit >= SMALL:
        mask |= ((1 << (limit + 1)) - 1) ^ ((1 << SMALL) - 1)
    return mask


def _sums(masks: list[int], limit: int) -> int:
    """Bit set of the sums one value from each domain can make, up to limit."""
    reach = 1
    full = (1 << (limit + 1)) - 1
    for mask in masks:
        combined = 0
        value = 0
        remaining = mask
        while remaining:
            if remaining & 1:
                combined |= reach << value
            remaining >>= 1
            value += 1
        reach = combined & full
    return reach


def _determined_by_labels(values: dict, line: Line, hidden: dict) -> list:
    """On a line whose total is shown, the hidden parts whose value only one
    way of filling the line with labelled values allows."""
    if line.total in hidden:
        return []
    parts = [key for key in line.parts if key in hidden]
    if not parts:
        return []
    rest = values[line.total] - sum(values[key] for key in line.parts if key not in hidden)
    if rest < 0:
        return []
    masks = [_domain_mask(hidden[key], rest) for key in parts]
    found = []
    for i, key in enumerate(parts):
        others = _sums(masks[:i] + masks[i + 1 :], rest)
        possible = [v for v in range(rest + 1) if masks[i] >> v & 1 and others >> (rest - v) & 1]
        if len(possible) <= 1:
            found.append(key)
    return found
