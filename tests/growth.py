"""Data that pages must not send more queries for: each capability's part,
at a few rows and at many. A budget in ``tests/isolation/routes.py`` names
the part it grows."""

from __future__ import annotations

from datetime import date

from app.charters.models import CharterAdoption, CharterComment, Outcome
from app.documents.vocabulary import VersionState, Visibility
from app.extensions import db
from app.people.models import Person, PersonExpertise, PersonLanguage
from app.people.vocabulary import ExpertiseArea, Gender, PersonKind
from app.rules.models import RuleComment, RuleSection, RuleVersion
from app.rules.vocabulary import RuleArea
from tenants.context import Layer, tenant_scope
from tests.support import add_member, make_body, make_user


def accounts(world, scale: int) -> None:
    alpha, a1, a2 = world.mechanisms["alpha"], world.bodies["a1"], world.bodies["a2"]
    for i in range(scale):
        user = make_user(f"extra{scale}-{i}@test.example")
        add_member(user, alpha, a1 if i % 2 else a2, "member")


def people(world, body: str, count: int, **fields) -> None:
    mechanism = world.mechanism_of(body)
    body_id = world.bodies[body].id
    languages = fields.pop("languages", [])
    areas = fields.pop("areas", [])
    with tenant_scope(mechanism.id, body_id, layer=Layer.BODY):
        for i in range(count):
            person = Person(
                body_id=body_id,
                kind=fields.get("kind", PersonKind.MEMBER),
                name=f"{body} person {i}",
                **{k: v for k, v in fields.items() if k != "kind"},
            )
            person.languages.extend(
                PersonLanguage(body_id=body_id, language=language) for language in languages
            )
            person.expertise.extend(PersonExpertise(body_id=body_id, area=area) for area in areas)
            db.session.add(person)
        db.session.commit()


def documents(world, scale: int) -> None:
    """``scale`` more rule versions, comments and readers, and a fifth as
    many bodies deciding on the published charter."""
    alpha, a1 = world.mechanisms["alpha"], world.bodies["a1"]
    rules, charters = world.rules["a1"], world.charters["alpha"]
    # accounts are created outside any tenant, as sign-up and provisioning do
    users = [make_user(f"grow{scale}-{i}@test.example") for i in range(scale)]
    with tenant_scope(alpha.id, a1.id, layer=Layer.BODY):
        for number in range(100 * scale, 101 * scale):
            version = RuleVersion(
                body_id=a1.id,
                number=number,
                state=VersionState.SUPERSEDED,
                visibility=Visibility.PUBLIC,
            )
            version.sections.extend(
                RuleSection(body_id=a1.id, area=RuleArea.ETHICS, title=f"S{i}") for i in range(5)
            )
            db.session.add(version)
        for i, user in enumerate(users):
            add_member(user, alpha, a1, "member")
            db.session.add(
                RuleComment(
                    body_id=a1.id,
                    section_id=rules["rule_consultation_section"],
                    author_id=user.id,
                    text=f"c{i}",
                )
            )
            db.session.add(
                CharterComment(
                    body_id=a1.id,
                    section_id=charters["charter_consultation_section"],
                    author_id=user.id,
                    text=f"c{i}",
                )
            )
        db.session.commit()
    for i in range(scale // 5):
        body = make_body(alpha, f"g{scale}x{i}")
        with tenant_scope(alpha.id, body.id, layer=Layer.BODY):
            db.session.add(
                CharterAdoption(
                    body_id=body.id,
                    version_id=charters["charter_published"],
                    outcome=Outcome.ADOPTED,
                    decided_on=date(2026, 1, 3),
                )
            )
            db.session.commit()


def _registers(world, count: int, gender, term_end, areas, languages) -> None:
    people(world, "a1", count, gender=gender, term_end=term_end, areas=areas, languages=languages)


# name -> (a few rows, many rows)
GROWTH = {
    "accounts": (lambda world: None, lambda world: accounts(world, 40)),
    "documents": (lambda world: documents(world, 5), lambda world: documents(world, 50)),
    "people": (
        lambda world: _registers(
            world, 9, Gender.WOMAN, date(2020, 1, 1), [ExpertiseArea.LAW], ["French"]
        ),
        lambda world: _registers(
            world,
            990,
            Gender.MAN,
            date(2021, 1, 1),
            [ExpertiseArea.LAW, ExpertiseArea.PSYCHOLOGY],
            ["French", "Arabic"],
        ),
    ),
}
