"""A body's decision on a charter version."""

from __future__ import annotations

from datetime import date

from flask_babel import lazy_gettext as _l
from wtforms import DateField, RadioField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, ValidationError

from app.charters.models import Outcome
from app.documents.forms import not_in_future
from app.forms import Form, choices


class AdoptionForm(Form):
    outcome = RadioField(
        _l("The body"),
        choices=choices(
            [
                (Outcome.ADOPTED.value, _l("adopted this version")),
                (Outcome.EXCEPTION.value, _l("records an exception to this version")),
            ]
        ),
        default=Outcome.ADOPTED.value,
    )
    decided_on = DateField(
        _l("Decided on"), validators=[DataRequired(), not_in_future], default=date.today
    )
    reference = StringField(
        _l("Reference of the decision"),
        validators=[Length(max=300)],
        description=_l("A decision's number, minutes of a meeting…"),
    )
    reason = TextAreaField(
        _l("Reason for the exception"),
        validators=[Length(max=5000)],
        description=_l("Required for an exception: the coordinator and the board show it."),
    )

    # the version's publication date, set by the view: no decision before it
    published_on: date | None = None

    def validate_decided_on(self, field):
        if self.published_on and field.data and field.data < self.published_on:
            raise ValidationError(
                _l(
                    "The version was published on %(date)s: the decision cannot be earlier.",
                    date=self.published_on.isoformat(),
                )
            )

    def validate_reason(self, field):
        if self.outcome.data == Outcome.EXCEPTION.value and not (field.data or "").strip():
            raise ValidationError(_l("Say why the body makes an exception."))
