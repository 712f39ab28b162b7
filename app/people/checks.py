"""The register's rules, in one place for the form and the import: what is
refused (``validate``) and what is only flagged (``flags``)."""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from datetime import date

from flask_babel import lazy_gettext as _l

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

DEFAULT_SECONDMENT_MONTHS = 24

# Fields that belong to one kind of person only: cleared for the others.
KIND_FIELDS = {
    PersonKind.MEMBER: ("appointed_by", "term_start", "term_end", "renewable", "working_time"),
    PersonKind.STAFF: ("employment", "seconded_from", "secondment_start", "secondment_end"),
    PersonKind.EXPERT: ("engagement", "agreement_date", "confidentiality_date"),
}
_BLANK = {"appointed_by": "", "seconded_from": ""}

SECONDED_LEADERSHIP = _l(
    "Seconded staff cannot hold a leadership or decision-making position: their independence"
    " from the organisation that seconded them cannot be assured."
)


@dataclass
class PositionDraft:
    employer: str
    role: str
    sector: Sector
    start_date: date | None = None
    end_date: date | None = None


@dataclass
class PersonDraft:
    """A person's fields as entered, before they are written."""

    kind: PersonKind
    name: str
    position: str = ""
    leadership: bool = False
    start_date: date | None = None
    end_date: date | None = None
    appointed_by: str = ""
    term_start: date | None = None
    term_end: date | None = None
    renewable: bool | None = None
    working_time: WorkingTime | None = None
    employment: Employment | None = None
    seconded_from: str = ""
    secondment_start: date | None = None
    secondment_end: date | None = None
    engagement: Engagement | None = None
    agreement_date: date | None = None
    confidentiality_date: date | None = None
    expertise: list[ExpertiseArea] = field(default_factory=list)
    languages: list[str] = field(default_factory=list)
    # sensitive; None where the author may not set them (they stay as they are)
    gender: Gender | None = None
    minority: Minority | None = None
    # the import's one current outside position
    current_position: PositionDraft | None = None

    def normalised(self) -> PersonDraft:
        for kind, names in KIND_FIELDS.items():
            if kind is not self.kind:
                for name in names:
                    setattr(self, name, _BLANK.get(name))
        if self.employment is not Employment.SECONDED:
            self.seconded_from, self.secondment_start, self.secondment_end = "", None, None
        self.languages = normalise_languages(self.languages)
        self.expertise = sorted(set(self.expertise), key=list(ExpertiseArea).index)
        return self


def normalise_languages(values: list[str]) -> list[str]:
    """Trimmed, capitalised, each once (whatever its case)."""
    seen: dict[str, str] = {}
    for value in values:
        text = " ".join(value.split())[:60]
        if text:
            seen.setdefault(text.casefold(), text[:1].upper() + text[1:])
    return sorted(seen.values(), key=str.casefold)


def _order(errors, first: str, last: str, draft, message) -> None:
    start, end = getattr(draft, first), getattr(draft, last)
    if start and end and end < start:
        errors.setdefault(last, message)


def validate(draft: PersonDraft) -> dict[str, str]:
    """What refuses the draft: field name → message. Empty when it may be saved."""
    errors: dict[str, str] = {}
    if not draft.name.strip():
        errors["name"] = str(_l("Give the person's name."))
    if (
        draft.leadership
        and draft.kind is PersonKind.STAFF
        and (draft.employment is Employment.SECONDED)
    ):
        errors["leadership"] = str(SECONDED_LEADERSHIP)
    if draft.kind is PersonKind.STAFF and draft.employment is None:
        errors["employment"] = str(_l("Say whether the staff member is recruited or seconded."))
    if draft.employment is Employment.SECONDED and not draft.seconded_from.strip():
        errors["seconded_from"] = str(_l("Give the organisation the staff member comes from."))
    before = str(_l("The end cannot come before the start."))
    _order(errors, "start_date", "end_date", draft, before)
    _order(errors, "term_start", "term_end", draft, before)
    _order(errors, "secondment_start", "secondment_end", draft, before)
    return errors


def months_between(start: date, end: date) -> int:
    """Whole months from ``start`` to ``end``."""
    months = (end.year - start.year) * 12 + end.month - start.month
    return months - 1 if end.day < start.day else months


def short_secondment(person, threshold_months: int) -> bool:
    """A secondment shorter than the body's threshold is not long-term."""
    if not person.seconded or not (person.secondment_start and person.secondment_end):
        return False
    return months_between(person.secondment_start, person.secondment_end) < threshold_months


@dataclass(frozen=True)
class Flags:
    incompatible_position: bool = False
    short_secondment: bool = False
    seconded_leadership: bool = False
    term_ended: bool = False

    def __bool__(self) -> bool:
        return any(getattr(self, f.name) for f in fields(self))


def flags(person, today: date, threshold_months: int) -> Flags:
    return Flags(
        incompatible_position=any(p.incompatible for p in person.current_positions(today)),
        short_secondment=short_secondment(person, threshold_months),
        seconded_leadership=person.seconded and person.leadership,
        term_ended=person.kind is PersonKind.MEMBER and person.term_ended(today),
    )
