"""Numbers from a URL or a form, bounded before they go anywhere.

Every page number, id or count a request sends is read by ``whole_number``
and checked against the bounds of what it names: the database never sees a
number it would refuse. Text that is no number is no value (a filter left
out); a number out of range is not found (``page_number``, ``id_or_404``) or
a form error (``app.forms.IntegerField``, which uses ``bounded_int``).
"""

from __future__ import annotations

import re

from flask import abort, current_app, request

from app.extensions import db

# An INTEGER column: 32 bits on PostgreSQL (SQLite holds 64, we ask no more)
INT_MAX = 2**31 - 1
# Past this, a page number is someone trying numbers, not reading a list.
PAGE_MAX = 100_000

_WHOLE = re.compile(r"([+-]?)([0-9]+)")
_DIGITS = 30  # more than any bound here has; longer is larger than all of them


def whole_number(value) -> int | None:
    """The whole number ``value`` spells, or None.

    Only ASCII digits with an optional sign count (``int`` would also take
    ``1_000``, spaces and other scripts' digits). A number too long to be
    worth reading comes back as one larger than every bound, with its sign."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    match = _WHOLE.fullmatch("" if value is None else str(value).strip())
    if match is None:
        return None
    sign, digits = -1 if match[1] == "-" else 1, match[2].lstrip("0") or "0"
    return sign * (int(digits) if len(digits) <= _DIGITS else 10**_DIGITS)


def bounded_int(value, *, minimum: int = 0, maximum: int = INT_MAX) -> int | None:
    """The whole number ``value`` spells if it lies within bounds, else None."""
    number = whole_number(value)
    return number if number is not None and minimum <= number <= maximum else None


def id_or_404(value) -> int | None:
    """An integer id (of an account, say) from a query string or a form:
    None when there is none; a number no id can have is not found."""
    number = whole_number(value)
    if number is not None and not 1 <= number <= INT_MAX:
        abort(404)
    return number


def page_number(name: str = "page") -> int:
    """The page of a list the query string asks for: the first unless it
    names a later one; a number past any list's length is not found."""
    number = whole_number(request.args.get(name))
    if number is not None and number > PAGE_MAX:
        abort(404)
    return max(number or 1, 1)


def paginate(stmt):
    """One page of ``stmt``: the page the query string asks for, of the
    configured length (a page past the end is empty, never an error)."""
    return db.paginate(
        stmt, page=page_number(), per_page=current_app.config["PER_PAGE"], error_out=False
    )
