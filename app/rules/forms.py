"""The rulebook's own form: a section has an area and answers questions."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import SelectField, SelectMultipleField, widgets

from app.documents.forms import SectionForm
from app.forms import choices
from app.rules.vocabulary import RuleArea


class RuleSectionForm(SectionForm):
    area = SelectField(_l("Area"), choices=choices(RuleArea.choices()))
    questions = SelectMultipleField(
        _l("Questions this section answers"),
        option_widget=widgets.CheckboxInput(),
        widget=widgets.ListWidget(prefix_label=False),
        validate_choice=True,
    )
