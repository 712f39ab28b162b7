"""Forms of versioned documents, for rules and charters alike."""

from __future__ import annotations

from datetime import date

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    DateField,
    HiddenField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from app.documents.vocabulary import AdoptionMethod, Visibility
from app.forms import Form, choices

BODY_LIMIT = 100_000


class SectionForm(Form):
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=300)])
    body = TextAreaField(
        _l("Text"),
        validators=[Length(max=BODY_LIMIT)],
        description=_l(
            "Markdown: a blank line between paragraphs, **bold**, *italics*, lists starting"
            " with - or 1., links as [text](https://…)."
        ),
    )
    # the revision the text was based on: a save over a newer one is refused
    revision = HiddenField()


class CommentForm(Form):
    text = TextAreaField(_l("Comment"), validators=[DataRequired(), Length(max=5000)])


class AnswerForm(Form):
    answer = TextAreaField(_l("Answer"), validators=[Length(max=5000)])
    resolved = BooleanField(_l("Resolved"))


def not_in_future(form, field):
    if field.data and field.data > date.today():
        raise ValidationError(_l("This date is in the future."))


class AdoptForm(Form):
    """A body adopts a version of its rules."""

    adopted_on = DateField(
        _l("Adopted on"), validators=[DataRequired(), not_in_future], default=date.today
    )
    adoption_method = SelectField(
        _l("How it was adopted"), choices=choices(AdoptionMethod.choices())
    )
    act_reference = StringField(
        _l("Reference of the act"),
        validators=[Length(max=300)],
        description=_l("A law, a decision's number, minutes of a meeting…"),
    )
    visibility = SelectField(
        _l("Who may read it"),
        choices=choices(Visibility.choices()),
        description=_l("Public versions are shown on the mechanism's public site."),
    )


class PublishForm(Form):
    """The coordinator publishes a charter version for the bodies to adopt."""

    adopted_on = DateField(
        _l("Published on"), validators=[DataRequired(), not_in_future], default=date.today
    )
    act_reference = StringField(_l("Reference"), validators=[Length(max=300)])
    visibility = SelectField(
        _l("Who may read it"),
        choices=choices(Visibility.choices()),
        description=_l("Public versions are shown on the mechanism's public site."),
    )


class VisibilityForm(Form):
    visibility = SelectField(_l("Who may read it"), choices=choices(Visibility.choices()))


class ExportForm(Form):
    file_format = SelectField(
        _l("Format"),
        choices=choices([("pdf", "PDF"), ("docx", _l("Word (DOCX)"))]),
        validators=[Optional()],
    )
