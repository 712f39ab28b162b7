"""Writing the register: every change goes through here and is audited."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa

from app.audit.services import record
from app.extensions import db
from app.people.checks import DEFAULT_SECONDMENT_MONTHS, KIND_FIELDS, PersonDraft, PositionDraft
from app.people.models import (
    Person,
    PersonExpertise,
    PersonLanguage,
    PersonPosition,
    RegisterSettings,
)
from app.people.vocabulary import INCOMPATIBLE_SECTORS, Employment
from tenants.models import Membership, User

_PLAIN = (
    "kind",
    "name",
    "position",
    "leadership",
    "start_date",
    "end_date",
    *(name for names in KIND_FIELDS.values() for name in names),
)


def secondment_months() -> int:
    settings = db.session.scalars(RegisterSettings.scoped_select()).one_or_none()
    return settings.secondment_months if settings else DEFAULT_SECONDMENT_MONTHS


def set_secondment_months(months: int) -> None:
    settings = db.session.scalars(RegisterSettings.scoped_select()).one_or_none()
    if settings is None:
        settings = RegisterSettings()
        db.session.add(settings)
    settings.secondment_months = months
    record("people.settings", summary=f"secondment threshold: {months} months")
    db.session.commit()


def body_accounts(body_id) -> list[User]:
    """Accounts that may be linked to a person of the body."""
    return db.session.scalars(
        sa.select(User)
        .join(Membership, Membership.user_id == User.id)
        .where(Membership.body_id == body_id, Membership.accepted_at.is_not(None))
        .order_by(User.display_name, User.id)
    ).all()


def fill(person: Person, draft: PersonDraft, *, sensitive: bool) -> None:
    """Copy a validated draft onto a person (new or not), without committing.
    ``sensitive`` says whether the author may set gender and minority."""
    draft.normalised()
    for name in _PLAIN:
        setattr(person, name, getattr(draft, name))
    if sensitive:
        person.gender, person.minority = draft.gender, draft.minority
    _replace(person.expertise, PersonExpertise, "area", draft.expertise, person)
    _replace(person.languages, PersonLanguage, "language", draft.languages, person)
    if draft.current_position is not None:
        person.positions.append(_position(PersonPosition(), draft.current_position, person))


def _replace(rows: list, model, attribute: str, values: list, person: Person) -> None:
    """Keep the rows whose value stays, drop the others, add the new ones."""
    wanted = list(values)
    for row in list(rows):
        if getattr(row, attribute) in wanted:
            wanted.remove(getattr(row, attribute))
        else:
            rows.remove(row)
    for value in wanted:
        rows.append(model(body_id=person.body_id, **{attribute: value}))


def _position(row: PersonPosition, draft: PositionDraft, person: Person) -> PersonPosition:
    row.body_id = person.body_id
    row.employer, row.role, row.sector = draft.employer, draft.role, draft.sector
    row.start_date, row.end_date = draft.start_date, draft.end_date
    return row


def create(draft: PersonDraft, body_id, *, user_id=None, sensitive: bool) -> Person:
    person = Person(body_id=body_id, user_id=user_id)
    fill(person, draft, sensitive=sensitive)
    db.session.add(person)
    db.session.flush()
    record("person.create", obj=person, summary=f"{person.name} ({person.kind.value})")
    db.session.commit()
    return person


def update(person: Person, draft: PersonDraft, *, user_id=None, sensitive: bool) -> None:
    person.user_id = user_id
    fill(person, draft, sensitive=sensitive)
    record("person.update", obj=person, summary=person.name)
    db.session.commit()


def declare(person: Person, gender, minority) -> None:
    """The person's own declaration of the sensitive fields."""
    person.gender, person.minority = gender, minority
    # No values in the trail: it is read more widely than the register.
    record("person.self_declaration", obj=person, summary=person.name)
    db.session.commit()


def end_service(person: Person, end_date: date, reason: str) -> None:
    person.end_date, person.end_reason = end_date, reason
    record("person.end_service", obj=person, summary=f"{person.name}: {end_date.isoformat()}")
    db.session.commit()


def save_position(person: Person, row: PersonPosition | None, draft: PositionDraft) -> None:
    if row is None:
        row = PersonPosition()
        person.positions.append(row)
    _position(row, draft, person)
    db.session.flush()
    record(
        "person.position_save",
        obj=person,
        summary=f"{person.name}: {draft.employer} ({draft.sector.value})",
    )
    db.session.commit()


def remove_position(person: Person, row: PersonPosition) -> None:
    person.positions.remove(row)
    record("person.position_remove", obj=person, summary=f"{person.name}: {row.employer}")
    db.session.commit()


def linked_accounts(except_person=None) -> set[int]:
    """Accounts already linked to a person of the active body."""
    stmt = sa.select(Person.user_id).where(Person.user_id.is_not(None))
    if except_person is not None:
        stmt = stmt.where(Person.id != except_person)
    return set(db.session.scalars(stmt))


def own_entry(user_id: int) -> Person | None:
    """The signed-in person's entry in the active body's register."""
    return db.session.scalars(
        Person.scoped_select().where(Person.user_id == user_id).order_by(Person.end_date.desc())
    ).first()


FLAGGED_SHOWN = 100


def flagged_people(today: date, threshold: int) -> list[tuple[Person, object]]:
    """Active people with at least one flag, for the body's dashboard (the
    first hundred candidates: the counts above the list give the totals)."""
    from app.people.checks import flags

    people = db.session.scalars(
        Person.scoped_select()
        .where(Person.active_on(today))
        .where(
            sa.or_(
                Person.employment == Employment.SECONDED,
                Person.term_end < today,
                sa.exists().where(
                    PersonPosition.mechanism_id == Person.mechanism_id,
                    PersonPosition.person_id == Person.id,
                    PersonPosition.sector.in_(INCOMPATIBLE_SECTORS),
                ),
            )
        )
        .order_by(Person.name, Person.id)
        .limit(FLAGGED_SHOWN)
    ).all()
    result = [(person, flags(person, today, threshold)) for person in people]
    return [(person, person_flags) for person, person_flags in result if person_flags]
