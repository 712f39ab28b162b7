from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import (
    BooleanField,
    DateField,
    HiddenField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    widgets,
)
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from app.forms import Form, IntegerField, choices
from app.people.checks import PersonDraft, PositionDraft
from app.people.vocabulary import (
    Employment,
    Engagement,
    ExpertiseArea,
    Gender,
    Minority,
    PersonKind,
    Sector,
    WorkingTime,
)

_NONE = [("", _l("Not stated"))]


def _enum(cls, value):
    return cls(value) if value else None


class CheckboxesField(SelectMultipleField):
    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


class SensitiveFields:
    gender = SelectField(_l("Gender"), choices=choices(_NONE + Gender.choices()), default="")
    minority = SelectField(
        _l("Ethnic or minority group"), choices=choices(_NONE + Minority.choices()), default=""
    )


class PersonForm(Form):
    version = HiddenField()
    kind = SelectField(_l("Kind"), choices=choices(PersonKind.choices()), default="member")
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    position = StringField(_l("Position"), validators=[Length(max=200)])
    leadership = BooleanField(_l("Leadership or decision-making position"))
    start_date = DateField(_l("Start of service"), validators=[Optional()])
    user_id = SelectField(_l("Account"), default="")
    expertise = CheckboxesField(_l("Expertise"), choices=choices(ExpertiseArea.choices()))
    languages = StringField(
        _l("Languages"),
        description=_l("Separated by commas, for example: French, Romani"),
        validators=[Length(max=500)],
    )
    # members
    appointed_by = StringField(
        _l("Appointing authority or procedure"), validators=[Length(max=300)]
    )
    term_start = DateField(_l("Term start"), validators=[Optional()])
    term_end = DateField(_l("Term end"), validators=[Optional()])
    renewable = SelectField(
        _l("Renewable term"),
        choices=choices([("", _l("Not stated")), ("yes", _l("Yes")), ("no", _l("No"))]),
        default="",
    )
    working_time = SelectField(
        _l("Working time"), choices=choices(_NONE + WorkingTime.choices()), default=""
    )
    # staff
    employment = SelectField(
        _l("Employment"), choices=choices(_NONE + Employment.choices()), default=""
    )
    seconded_from = StringField(
        _l("Seconded from (organisation of origin)"), validators=[Length(max=300)]
    )
    secondment_start = DateField(_l("Secondment start"), validators=[Optional()])
    secondment_end = DateField(_l("Secondment end"), validators=[Optional()])
    # external experts
    engagement = SelectField(
        _l("Engaged for"), choices=choices(_NONE + Engagement.choices()), default=""
    )
    agreement_date = DateField(_l("Agreement signed on"), validators=[Optional()])
    confidentiality_date = DateField(
        _l("Confidentiality undertaking signed on"), validators=[Optional()]
    )

    def draft(self) -> PersonDraft:
        renewable = {"yes": True, "no": False}.get(self.renewable.data)
        return PersonDraft(
            kind=PersonKind(self.kind.data),
            name=self.name.data.strip(),
            position=(self.position.data or "").strip(),
            leadership=self.leadership.data,
            start_date=self.start_date.data,
            appointed_by=(self.appointed_by.data or "").strip(),
            term_start=self.term_start.data,
            term_end=self.term_end.data,
            renewable=renewable,
            working_time=_enum(WorkingTime, self.working_time.data),
            employment=_enum(Employment, self.employment.data),
            seconded_from=(self.seconded_from.data or "").strip(),
            secondment_start=self.secondment_start.data,
            secondment_end=self.secondment_end.data,
            engagement=_enum(Engagement, self.engagement.data),
            agreement_date=self.agreement_date.data,
            confidentiality_date=self.confidentiality_date.data,
            expertise=[ExpertiseArea(value) for value in self.expertise.data or []],
            languages=(self.languages.data or "").split(","),
            gender=_enum(Gender, self.gender.data) if hasattr(self, "gender") else None,
            minority=_enum(Minority, self.minority.data) if hasattr(self, "minority") else None,
        )

    def show(self, person) -> None:
        """Fill the form from a saved person (a GET of the edit page)."""
        for name in self._fields:
            if hasattr(person, name) and name not in ("expertise", "languages", "renewable"):
                value = getattr(person, name)
                self[name].data = value.value if hasattr(value, "value") else value
        self.user_id.data = str(person.user_id or "")
        self.renewable.data = {True: "yes", False: "no"}.get(person.renewable, "")
        self.expertise.data = [area.value for area in person.areas]
        self.languages.data = ", ".join(person.language_names)
        for name in ("gender", "minority", "working_time", "employment", "engagement"):
            if name in self._fields and self[name].data is None:
                self[name].data = ""


class AdminPersonForm(SensitiveFields, PersonForm):
    """The administrators' form: they also record the self-declared fields."""


class DeclarationForm(SensitiveFields, Form):
    pass


class EndServiceForm(Form):
    # its own id: the person page also shows the position form's end date
    end_date = DateField(
        _l("Last day of service"), validators=[InputRequired()], id="service_end_date"
    )
    end_reason = TextAreaField(_l("Reason (optional)"), validators=[Length(max=500)])


class PositionForm(Form):
    employer = StringField(_l("Employer"), validators=[DataRequired(), Length(max=300)])
    role = StringField(_l("Role"), validators=[Length(max=200)])
    sector = SelectField(_l("Sector"), choices=choices(Sector.choices()))
    start_date = DateField(_l("From"), validators=[Optional()])
    end_date = DateField(
        _l("Until"),
        description=_l("Leave empty while the position is held."),
        validators=[Optional()],
    )

    def draft(self) -> PositionDraft:
        return PositionDraft(
            employer=self.employer.data.strip(),
            role=(self.role.data or "").strip(),
            sector=Sector(self.sector.data),
            start_date=self.start_date.data,
            end_date=self.end_date.data,
        )

    def validate(self, extra_validators=None) -> bool:
        if not super().validate(extra_validators):
            return False
        if (
            self.start_date.data
            and self.end_date.data
            and self.end_date.data < self.start_date.data
        ):
            self.end_date.errors.append(_l("The end cannot come before the start."))
            return False
        return True


class SettingsForm(Form):
    secondment_months = IntegerField(
        _l("Secondments shorter than this many months are not long-term"),
        validators=[InputRequired()],
        minimum=1,
        maximum=240,
    )


class ImportForm(Form):
    spreadsheet = FileField(
        _l("Spreadsheet (CSV or XLSX)"),
        validators=[
            FileRequired(_l("Choose a file.")),
            FileAllowed(["csv", "xlsx"], _l("Choose a CSV or XLSX file.")),
        ],
    )


class FilterForm(Form):
    """The list's filters, from the query string (no CSRF: it only reads)."""

    class Meta:
        csrf = False

    q = StringField(_l("Name"))
    kind = SelectField(_l("Kind"), choices=choices([("", _l("All kinds")), *PersonKind.choices()]))
    expertise = SelectField(
        _l("Expertise"), choices=choices([("", _l("Any expertise")), *ExpertiseArea.choices()])
    )
    language = SelectField(_l("Language"), validate_choice=False)
    status = RadioField(
        _l("Service"),
        choices=choices(
            [("active", _l("Active")), ("ended", _l("Service ended")), ("all", _l("All"))]
        ),
        default="active",
    )
    term_within = IntegerField(
        _l("Term ends within (days)"), validators=[Optional()], minimum=0, maximum=3650
    )
