"""Figures about a register: counts of active people by expertise, language,
kind and the sensitive fields, and the flags. The same queries serve a body's
dashboard (scoped to the body) and the coordination layer (across the bodies
of the mechanism, read inside ``aggregate_reads``): they select counts only,
never a person.

What leaves this module passes through ``app.people.disclosure``: counts
from 1 to 4 are never shown, nor recoverable from the totals beside them."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from app.extensions import db
from app.people.checks import months_between
from app.people.disclosure import EMPTY, Shown, Table
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

NOT_DECLARED = "not_declared"
TOTAL = "total"


def labelled(shown: dict) -> list[tuple[str, Shown]]:
    """A breakdown as (label, count) rows, for a chart or a table."""
    return [(category_label(key), count) for key, count in shown.items()]


def category_label(key) -> str:
    return str(_l("Not declared")) if key == NOT_DECLARED else key.label


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
        return self._shown("gender", [*Gender, NOT_DECLARED])

    def shown_minority(self) -> dict:
        return self._shown("minority", [*Minority, NOT_DECLARED])

    def _shown(self, name: str, keys: list) -> dict:
        """A sensitive breakdown of the body's own register, its total (the
        active people, shown beside it) known: small counts hidden, and
        others with them while the total would give them away."""
        counts = getattr(self, name)
        table = Table()
        table.add(TOTAL, self.active, fixed=True)  # the dashboard says it
        for key in keys:
            table.add(key, counts.get(key, 0))
        table.line(keys, TOTAL)
        published = table.protect()
        return {key: published[key] for key in keys}

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


@dataclass
class Row:
    """One published row: a code (for the CSV), a label, a count per body
    and their total."""

    code: str
    label: str
    cells: list
    total: Shown


@dataclass
class Section:
    name: str
    rows: list[Row]


@dataclass
class Published:
    """The mechanism's figures as they may be published: the same rows make
    the coordination page and its CSV."""

    bodies: list
    sections: dict[str, Section]

    def chart(self, section: str) -> list[tuple[str, Shown]]:
        """(label, total) rows of a section, for a bar chart."""
        return [(row.label, row.total) for row in self.sections[section].rows]

    @property
    def without_register(self) -> list:
        active = self.sections["people"].rows[0].cells
        return [body for body, cell in zip(self.bodies, active, strict=True) if cell.why == EMPTY]


def publish(rows: list, total: BodyFigures, languages: list[str]) -> Published:
    """Every figure of the coordination layer, suppressed as one table: each
    row adds up to its total, and each body's gender and minority counts add
    up to its active people, so a count hidden in a row is protected against
    its column and the totals as well."""
    bodies = [body for body, _figures in rows]
    everyone = [*[figures_ for _body, figures_ in rows], total]
    columns = [*[body.id for body in bodies], TOTAL]
    specs: list[tuple[str, list[tuple[str, str, list[int]]]]] = [
        ("people", [("active", str(_l("Active people")), [f.active for f in everyone])]),
        (
            "expertise",
            [
                (area.value, str(area.label), [f.expertise[area] for f in everyone])
                for area in AREAS
            ],
        ),
        (
            "language",
            [
                (language, language, [f.languages[language] for f in everyone])
                for language in languages
            ],
        ),
        (
            "gender",
            [
                (str(key), category_label(key), [f.gender.get(key, 0) for f in everyone])
                for key in [*Gender, NOT_DECLARED]
            ],
        ),
        (
            "minority",
            [
                (str(key), category_label(key), [f.minority.get(key, 0) for f in everyone])
                for key in [*Minority, NOT_DECLARED]
            ],
        ),
        (
            "flag",
            [(name, str(label), [getattr(f, name) for f in everyone]) for name, label in FLAGS],
        ),
    ]
    empty = {body.id for body, figures_ in rows if figures_.active == 0}
    coordinating = {body.id for body, _figures in rows if getattr(body, "is_coordinator", False)}
    table = Table()
    for section, section_rows in specs:
        for code, _label, counts in section_rows:
            for column, count in zip(columns, counts, strict=True):
                table.add(
                    (section, code, column),
                    count,
                    last_resort=column == TOTAL or section == "people",
                    # a body with nobody says so: its zeros are not hidden
                    fixed=column in empty,
                    # the page's readers are the coordinating body's: they
                    # know its register, so its cells protect no other
                    known=column in coordinating,
                )
            table.line([(section, code, column) for column in columns[:-1]], (section, code, TOTAL))
    for section in ("gender", "minority"):
        codes = [code for code, _label, _counts in dict(specs)[section]]
        for column in columns:
            table.line([(section, code, column) for code in codes], ("people", "active", column))
    published = table.protect()
    sections = {}
    for section, section_rows in specs:
        out = []
        for code, label, _counts in section_rows:
            cells = [published[(section, code, column)] for column in columns]
            out.append(Row(code, label, cells[:-1], cells[-1]))
        sections[section] = Section(section, out)
    active = sections["people"].rows[0]
    active.cells = [
        Shown(0, EMPTY) if figures_.active == 0 else cell
        for figures_, cell in zip(everyone, active.cells, strict=False)
    ]
    return Published(bodies, sections)


FLAGS = (
    ("incompatible", _l("Incompatible current positions")),
    ("short_secondments", _l("Secondments not long-term")),
    ("seconded_leadership", _l("Seconded staff in leadership")),
    ("terms_ended", _l("Members whose term has ended")),
)
