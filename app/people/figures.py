"""Figures about a register: counts of active people by expertise, language,
kind and the sensitive fields, and the flags. The same queries serve a body's
dashboard (scoped to the body) and the coordination layer (across the bodies
of the mechanism, read inside ``aggregate_reads``): they select counts only,
never a person.

Sensitive counts pass through ``suppress`` before anyone sees them."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from app.extensions import db
from app.people.checks import months_between
from app.people.models import Person, PersonExpertise, PersonLanguage, PersonPosition
from app.people.vocabulary import (
    INCOMPATIBLE_SECTORS,
    LEGAL_AREAS,
    MEDICAL_AREAS,
    Employment,
    ExpertiseArea,
    Gender,
    Minority,
    PersonKind,
)

SMALL = 5
NOT_DECLARED = "not_declared"


@dataclass(frozen=True)
class Shown:
    """A count as it may be shown: ``None`` when it is too small to show."""

    value: int | None

    @property
    def hidden(self) -> bool:
        return self.value is None

    def __str__(self) -> str:
        return str(_l("fewer than 5")) if self.value is None else str(self.value)


def suppress(counts: dict, keys) -> dict:
    """Counts of a breakdown of people (every key, zeros included) as they may
    be shown. Counts below 5 are hidden; and while what is hidden adds up to
    fewer than 5 (so the total would give it away), the next smallest is
    hidden too."""
    values = {key: counts.get(key, 0) for key in keys}
    hidden = {key for key, value in values.items() if value < SMALL}
    shown = sorted((key for key in values if key not in hidden), key=values.get)
    while hidden and shown and sum(values[key] for key in hidden) < SMALL:
        hidden.add(shown.pop(0))
    return {key: Shown(None if key in hidden else value) for key, value in values.items()}


def labelled(shown: dict) -> list[tuple[str, Shown]]:
    """A suppressed breakdown as (label, count) rows, for a chart or a table."""
    return [
        (str(_l("Not declared")) if key == NOT_DECLARED else key.label, count)
        for key, count in shown.items()
    ]


def small(value: int) -> Shown:
    """A count that is not sensitive, shown across bodies: 0 is shown, and
    1 to 4 are hidden."""
    return Shown(value if value == 0 or value >= SMALL else None)


def _by_body(column, today: date, *joins) -> dict:
    """(body id, value) → number of active people."""
    stmt = sa.select(Person.body_id, column, sa.func.count(sa.distinct(Person.id)))
    for model in joins:
        stmt = stmt.join(
            model, sa.and_(model.mechanism_id == Person.mechanism_id, model.person_id == Person.id)
        )
    stmt = stmt.where(Person.active_on(today)).group_by(Person.body_id, column)
    return {(body_id, value): count for body_id, value, count in db.session.execute(stmt)}


@dataclass
class BodyFigures:
    active: int = 0
    kinds: Counter = field(default_factory=Counter)
    expertise: Counter = field(default_factory=Counter)
    languages: Counter = field(default_factory=Counter)
    gender: Counter = field(default_factory=Counter)
    minority: Counter = field(default_factory=Counter)
    incompatible: int = 0
    short_secondments: int = 0
    seconded_leadership: int = 0
    terms_ended: int = 0

    @property
    def no_legal(self) -> bool:
        return not any(self.expertise[area] for area in LEGAL_AREAS)

    @property
    def no_medical(self) -> bool:
        return not any(self.expertise[area] for area in MEDICAL_AREAS)

    def shown_gender(self) -> dict:
        return suppress(self.gender, [*Gender, NOT_DECLARED])

    def shown_minority(self) -> dict:
        return suppress(self.minority, [*Minority, NOT_DECLARED])

    def merge(self, other: BodyFigures) -> None:
        self.active += other.active
        for name in ("kinds", "expertise", "languages", "gender", "minority"):
            getattr(self, name).update(getattr(other, name))
        for name in ("incompatible", "short_secondments", "seconded_leadership", "terms_ended"):
            setattr(self, name, getattr(self, name) + getattr(other, name))


def collect(today: date, secondment_months: dict) -> dict:
    """Body id → its figures, for every body the active scope can read.
    ``secondment_months`` gives each body's threshold (body id → months; a
    missing body uses the default)."""
    from app.people.checks import DEFAULT_SECONDMENT_MONTHS

    bodies: dict = defaultdict(BodyFigures)
    for (body_id, kind), count in _by_body(Person.kind, today).items():
        bodies[body_id].kinds[kind] = count
        bodies[body_id].active += count
    for (body_id, area), count in _by_body(PersonExpertise.area, today, PersonExpertise).items():
        bodies[body_id].expertise[area] = count
    languages = _by_body(sa.func.lower(PersonLanguage.language), today, PersonLanguage)
    spelled = spellings()
    for (body_id, language), count in languages.items():
        bodies[body_id].languages[spelled.get(language, language)] = count
    for (body_id, gender), count in _by_body(Person.gender, today).items():
        bodies[body_id].gender[gender or NOT_DECLARED] += count
    for (body_id, minority), count in _by_body(Person.minority, today).items():
        bodies[body_id].minority[minority or NOT_DECLARED] += count

    incompatible = db.session.execute(
        sa.select(Person.body_id, sa.func.count(sa.distinct(Person.id)))
        .join(
            PersonPosition,
            sa.and_(
                PersonPosition.mechanism_id == Person.mechanism_id,
                PersonPosition.person_id == Person.id,
            ),
        )
        .where(
            Person.active_on(today),
            PersonPosition.sector.in_(INCOMPATIBLE_SECTORS),
            sa.or_(PersonPosition.end_date.is_(None), PersonPosition.end_date >= today),
        )
        .group_by(Person.body_id)
    )
    for body_id, count in incompatible:
        bodies[body_id].incompatible = count
    columns = (Person.body_id, Person.leadership, Person.secondment_start, Person.secondment_end)
    seconded = db.session.execute(
        sa.select(*columns, sa.func.count(Person.id))
        .where(
            Person.active_on(today),
            Person.kind == PersonKind.STAFF,
            Person.employment == Employment.SECONDED,
        )
        .group_by(*columns)
    )
    for body_id, leadership, start, end, count in seconded:
        threshold = secondment_months.get(body_id, DEFAULT_SECONDMENT_MONTHS)
        if leadership:
            bodies[body_id].seconded_leadership += count
        if start and end and months_between(start, end) < threshold:
            bodies[body_id].short_secondments += count
    ended = db.session.execute(
        sa.select(Person.body_id, sa.func.count(Person.id))
        .where(Person.active_on(today), Person.kind == PersonKind.MEMBER, Person.term_end < today)
        .group_by(Person.body_id)
    )
    for body_id, count in ended:
        bodies[body_id].terms_ended = count
    return bodies


def spellings() -> dict[str, str]:
    """One spelling per language (the languages are free text)."""
    rows = db.session.execute(
        sa.select(
            sa.func.lower(PersonLanguage.language), sa.func.min(PersonLanguage.language)
        ).group_by(sa.func.lower(PersonLanguage.language))
    )
    return dict(rows.all())


def total(figures: dict) -> BodyFigures:
    result = BodyFigures()
    for body in figures.values():
        result.merge(body)
    return result


AREAS = list(ExpertiseArea)
