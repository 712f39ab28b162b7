"""Small helpers shared by the capabilities' forms."""

from __future__ import annotations

from collections.abc import Iterable

from wtforms.fields import SelectChoice


def choices(pairs: Iterable[tuple[object, object]]) -> list[SelectChoice]:
    """``SelectField`` choices from (value, label) pairs."""
    return [SelectChoice(str(value), label) for value, label in pairs]
