from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import SelectField

from app.forms import Form, choices
from app.vocabulary import MONTHS


class ReportingYearForm(Form):
    reporting_year_start_month = SelectField(
        _l("The reporting year starts in"),
        choices=choices(MONTHS),
        coerce=int,
        description=_l("Annual reports and plans cover the twelve months from this one."),
    )
