"""The people register at scale: 3,000 people at factor 1, with expertise,
languages and positions held elsewhere."""

from __future__ import annotations

from datetime import timedelta

from app.extensions import db
from app.people.models import Person, PersonExpertise, PersonLanguage, PersonPosition
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

PEOPLE = 3000
LANGUAGES = ["English", "French", "Spanish", "Arabic", "Romani", "Polish", "Welsh", "Urdu"]


def scale_people(scale) -> int:
    people, expertise, languages, positions = [], [], [], []
    rng = scale.rng
    for i in range(scale.count(PEOPLE)):
        body = scale.bodies[i % len(scale.bodies)]
        kind = rng.choice(list(PersonKind))
        start = scale.today - timedelta(days=rng.randrange(30, 3650))
        person = {
            "id": scale.uuid(),
            "body_id": body.id,
            "kind": kind,
            "name": f"Person {i:05d}",
            "position": rng.choice(["Chair", "Member", "Adviser", "Inspector", "Officer"]),
            "leadership": rng.random() < 0.1,
            "start_date": start,
            "gender": rng.choice(list(Gender)),
            "minority": rng.choice(list(Minority)),
        }
        if kind is PersonKind.MEMBER:
            person |= {
                "appointed_by": "Parliament",
                "term_start": start,
                "term_end": start + timedelta(days=rng.choice([1460, 1825])),
                "renewable": rng.random() < 0.5,
                "working_time": rng.choice(list(WorkingTime)),
            }
        elif kind is PersonKind.STAFF:
            person["employment"] = rng.choice(list(Employment))
        else:
            person["engagement"] = rng.choice(list(Engagement))
        people.append(person)
        owned = {"body_id": body.id, "person_id": person["id"]}
        for area in rng.sample(list(ExpertiseArea), rng.randrange(1, 4)):
            expertise.append({"id": scale.uuid(), **owned, "area": area})
        for language in rng.sample(LANGUAGES, rng.randrange(1, 3)):
            languages.append({"id": scale.uuid(), **owned, "language": language})
        if rng.random() < 0.3:
            positions.append(
                {"id": scale.uuid(), **owned, "employer": f"Employer {rng.randrange(200)}",
                 "sector": rng.choice(list(Sector)), "start_date": start}
            )  # fmt: skip
    return sum(
        scale.insert(model, rows)
        for model, rows in (
            (Person, people),
            (PersonExpertise, expertise),
            (PersonLanguage, languages),
            (PersonPosition, positions),
        )
    )


def some_person():
    """A person of the active body's register, for the load harness."""
    return db.session.scalar(Person.scoped_select().with_only_columns(Person.id).limit(1))
