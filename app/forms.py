"""What every form of Concert shares."""

from __future__ import annotations

from collections.abc import Iterable

import wtforms
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms.csrf.core import CSRFTokenField
from wtforms.fields import SelectChoice

from app.bounds import INT_MAX, bounded_int


def _printable_only(value):
    """Control characters (a NUL among them) never reach the database: no
    field has a use for them, and PostgreSQL refuses some."""
    if not isinstance(value, str):
        return value
    return "".join(ch for ch in value if ch.isprintable() or ch in "\n\r\t")


class _HiddenWithoutId(wtforms.widgets.HiddenInput):
    """The CSRF token's input has no id: a page with several forms would
    repeat it, and nothing labels or links to it."""

    def __call__(self, field, **kwargs):
        kwargs["id"] = False
        return super().__call__(field, **kwargs)


class Form(FlaskForm):
    """The base of every form: CSRF-protected, with input cleaned of control
    characters before validation."""

    class Meta:
        def bind_field(self, form, unbound_field, options):
            filters = unbound_field.kwargs.get("filters", ())
            unbound_field.kwargs["filters"] = (*filters, _printable_only)
            if issubclass(unbound_field.field_class, CSRFTokenField):
                unbound_field.kwargs["widget"] = _HiddenWithoutId()
            return unbound_field.bind(form=form, **options)


def choices(pairs: Iterable[tuple[object, object]]) -> list[SelectChoice]:
    """``SelectField`` choices from (value, label) pairs."""
    return [SelectChoice(str(value), label) for value, label in pairs]


class IntegerField(wtforms.IntegerField):
    """A whole number within ``minimum`` and ``maximum`` (read with the
    shared converter, ``app.bounds.bounded_int``): anything else is a field
    error, never a number the database would refuse."""

    def __init__(self, label=None, validators=None, *, minimum=0, maximum=INT_MAX, **kwargs):
        super().__init__(label, validators, **kwargs)
        self.minimum, self.maximum = minimum, maximum

    def process_formdata(self, valuelist):
        if not valuelist or valuelist[0] in ("", None):
            return
        self.data = bounded_int(valuelist[0], minimum=self.minimum, maximum=self.maximum)
        if self.data is None:
            raise ValueError(
                _l(
                    "Enter a whole number from %(minimum)d to %(maximum)d.",
                    minimum=self.minimum,
                    maximum=self.maximum,
                )
            )
