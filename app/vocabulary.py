"""Controlled lists with translated labels, shared by every capability."""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum

from flask_babel import lazy_gettext as _l

# Keyed by (enum class, value): two lists may share a value ("other") and
# still need their own labels.
_LABELS: dict[tuple[type, str], object] = {}


class Labelled(StrEnum):
    @property
    def label(self) -> str:
        return str(_LABELS[type(self), self.value])

    @classmethod
    def choices(cls) -> list[tuple[str, object]]:
        """(value, label) pairs for a form's choices: the labels stay lazy,
        so that a form defined once at import is shown in each reader's
        language."""
        return [(member.value, _LABELS[cls, member.value]) for member in cls]


def register_labels(labels: Iterable[tuple[Labelled, object]]) -> None:
    """(member, label) pairs: not a dict, whose keys would merge equal values."""
    for member, label in labels:
        _LABELS[type(member), member.value] = label


# A mechanism's reporting year starts in one of these.
MONTHS = [
    (1, _l("January")),
    (2, _l("February")),
    (3, _l("March")),
    (4, _l("April")),
    (5, _l("May")),
    (6, _l("June")),
    (7, _l("July")),
    (8, _l("August")),
    (9, _l("September")),
    (10, _l("October")),
    (11, _l("November")),
    (12, _l("December")),
]
