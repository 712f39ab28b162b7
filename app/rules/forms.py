"""The rulebook's own form: a section has an area and answers questions."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, SelectField, SelectMultipleField, widgets

from app.documents.forms import AdoptForm, SectionForm
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


class RuleAdoptForm(AdoptForm):
    # asked only when sections are empty: adopting them is a choice, not a slip
    confirm_empty = BooleanField(_l("Adopt this version with these sections empty"))

    def validate_with_sections(self, empty: list) -> bool:
        valid = self.validate_on_submit()
        if valid and empty and not self.confirm_empty.data:
            self.confirm_empty.errors = [
                _l("Some sections are empty: confirm that this version is adopted without them.")
            ]
            return False
        return valid
