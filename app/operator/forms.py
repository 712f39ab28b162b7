from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import BooleanField, EmailField, HiddenField, SelectField, StringField
from wtforms.validators import DataRequired, Length

from app.forms import Form, choices
from app.vocabulary import MONTHS
from tenants.models import BODY_KIND_LABELS, ROLE_LABELS

SLUG_HELP = _l("Lower-case letters, digits and hyphens; used in addresses.")


class MechanismForm(Form):
    slug = StringField(
        _l("Identifier"), validators=[DataRequired(), Length(max=63)], description=SLUG_HELP
    )
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    country = StringField(_l("Country"), validators=[DataRequired(), Length(max=100)])
    default_language = SelectField(
        _l("Default language"), choices=choices([("en", "English"), ("fr", "Français")])
    )
    reporting_year_start_month = SelectField(
        _l("The reporting year starts in"), choices=choices(MONTHS), coerce=int, default=1
    )


class _PrefixedForm(Form):
    """Several forms share one page: a prefix keeps their field ids apart."""

    prefix_name = ""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", self.prefix_name)
        super().__init__(*args, **kwargs)


class BodyForm(_PrefixedForm):
    prefix_name = "body"
    slug = StringField(
        _l("Identifier"), validators=[DataRequired(), Length(max=63)], description=SLUG_HELP
    )
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    kind = SelectField(_l("Kind"), choices=choices(BODY_KIND_LABELS.items()))
    visits_places = BooleanField(_l("Visits places of detention"), default=True)
    coordinating = BooleanField(_l("Coordinating body"))


class CoordinatorForm(_PrefixedForm):
    prefix_name = "coordinator"
    body_slug = SelectField(_l("Coordinating body"), choices=[])


class InviteForm(_PrefixedForm):
    prefix_name = "invite"
    body_slug = SelectField(_l("Body"), choices=[])
    email = EmailField(_l("E-mail address"), validators=[DataRequired(), Length(max=254)])
    display_name = StringField(_l("Name"), validators=[Length(max=200)])
    role = SelectField(_l("Role"), choices=choices(ROLE_LABELS.items()))


class OnboardingForm(Form):
    spreadsheet = FileField(
        _l("Spreadsheet (CSV or XLSX)"),
        validators=[
            FileRequired(_l("Choose a file.")),
            FileAllowed(["csv", "xlsx"], _l("Choose a CSV or XLSX file.")),
        ],
    )


class ApplyOnboardingForm(Form):
    """The checked rows, carried from the preview; checked again on arrival."""

    rows = HiddenField()
