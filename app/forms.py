"""What every form of Concert shares."""

from __future__ import annotations

from collections.abc import Iterable

from flask_wtf import FlaskForm
from wtforms.fields import SelectChoice


def _printable_only(value):
    """Control characters (a NUL among them) never reach the database: no
    field has a use for them, and PostgreSQL refuses some."""
    if not isinstance(value, str):
        return value
    return "".join(ch for ch in value if ch.isprintable() or ch in "\n\r\t")


class Form(FlaskForm):
    """The base of every form: CSRF-protected, with input cleaned of control
    characters before validation."""

    class Meta:
        def bind_field(self, form, unbound_field, options):
            filters = unbound_field.kwargs.get("filters", ())
            unbound_field.kwargs["filters"] = (*filters, _printable_only)
            return unbound_field.bind(form=form, **options)


def choices(pairs: Iterable[tuple[object, object]]) -> list[SelectChoice]:
    """``SelectField`` choices from (value, label) pairs."""
    return [SelectChoice(str(value), label) for value, label in pairs]
