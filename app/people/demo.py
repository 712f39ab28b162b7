"""Registers of people for the demo mechanism's bodies (fictional people)."""

from __future__ import annotations

from datetime import date, timedelta

import sqlalchemy as sa

from app.demo import mechanism_and_bodies
from app.extensions import db
from app.people import services
from app.people.checks import PersonDraft, PositionDraft
from app.people.models import Person
from app.people.vocabulary import (
    Employment,
    Engagement,
    Gender,
    Minority,
    PersonKind,
    Sector,
    WorkingTime,
)
from app.people.vocabulary import (
    ExpertiseArea as A,
)
from tenants.context import Layer, tenant_scope

_FIRST = [
    "Ana",
    "Boris",
    "Chiara",
    "Dmitri",
    "Esra",
    "Farid",
    "Greta",
    "Hugo",
    "Ines",
    "Jonas",
    "Kemal",
    "Lena",
    "Marta",
    "Nils",
    "Olga",
    "Pavel",
]
_LAST = ["Alvarez", "Berg", "Costa", "Dimitrov", "Erdem", "Fischer", "Gashi", "Horvat"]
_AREAS = [
    [A.LAW, A.HUMAN_RIGHTS],
    [A.GENERAL_MEDICINE],
    [A.PSYCHIATRY, A.PSYCHOLOGY],
    [A.SOCIAL_WORK, A.CHILDREN],
    [A.POLICING],
    [A.MIGRATION, A.MIGRANTS],
    [A.FORENSIC_MEDICINE],
    [A.DETENTION, A.JUSTICE],
    [A.DISABILITIES, A.OLDER],
]
_LANGUAGES = [
    ["Velorian", "English"],
    ["Velorian", "French"],
    ["Velorian", "Romani"],
    ["Velorian"],
    ["Velorian", "Arabic", "English"],
]


def _draft(index: int, today: date) -> PersonDraft:
    name = f"{_FIRST[index % len(_FIRST)]} {_LAST[(index * 3) % len(_LAST)]}"
    common = {
        "name": name,
        "expertise": list(_AREAS[index % len(_AREAS)]),
        "languages": list(_LANGUAGES[index % len(_LANGUAGES)]),
        "gender": [Gender.WOMAN, Gender.MAN, Gender.WOMAN, None][index % 4],
        "minority": [Minority.NO, None, Minority.YES, Minority.NO, Minority.NO][index % 5],
        "start_date": today - timedelta(days=400 + 90 * index),
    }
    if index % 3 == 0:
        return PersonDraft(
            kind=PersonKind.MEMBER,
            position="Board member" if index else "Chair",
            leadership=True,
            appointed_by="Parliament",
            term_start=today - timedelta(days=1400),
            # one term ends within 90 days: its reminder is due
            term_end=today + timedelta(days=60 if index == 3 else 700 + index * 30),
            renewable=index % 2 == 0,
            working_time=WorkingTime.PART,
            **common,
        )
    if index % 3 == 1:
        seconded = index % 4 == 1
        return PersonDraft(
            kind=PersonKind.STAFF,
            position="Monitoring officer",
            employment=Employment.SECONDED if seconded else Employment.RECRUITED,
            seconded_from="Ministry of Health" if seconded else "",
            secondment_start=today - timedelta(days=200) if seconded else None,
            secondment_end=today + timedelta(days=300) if seconded else None,
            **common,
        )
    return PersonDraft(
        kind=PersonKind.EXPERT,
        position="Visiting expert",
        engagement=Engagement.VISITS,
        agreement_date=today - timedelta(days=100),
        confidentiality_date=today - timedelta(days=100),
        # a current position incompatible with the mandate, to be flagged
        current_position=PositionDraft(
            "Regional police academy", "Lecturer", Sector.LAW_ENFORCEMENT
        )
        if index == 5
        else None,
        **common,
    )


def load_registers(mechanism_slug: str, people_per_body: int = 9) -> int:
    """Fill the registers of a mechanism's bodies that have none yet."""
    mechanism, by_slug = mechanism_and_bodies(mechanism_slug)
    bodies = list(by_slug.values())
    today, created = date.today(), 0
    for offset, body in enumerate(bodies):
        with tenant_scope(mechanism.id, body.id, layer=Layer.BODY):
            if db.session.scalar(sa.select(Person.id).limit(1)) is not None:
                continue
            for index in range(people_per_body):
                services.create(_draft(index + offset, today), body.id, sensitive=True)
                created += 1
    return created
