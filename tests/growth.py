"""Data that pages must not send more queries for: each capability's part,
at a few rows and at many. A budget in ``tests/isolation/routes.py`` names
the part it grows."""

from __future__ import annotations

from datetime import date, timedelta

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


def tasks(world, scale: int) -> None:
    """More of everything the home pages list as tasks: notices, members
    whose term ends soon, uploads waiting, unanswered invitations, versions
    and comments, bodies on the coordinator's board."""
    import sqlalchemy as sa

    from app.notices.services import notify
    from app.people.models import PeopleImport
    from tenants import provisioning
    from tenants.models import User

    accounts(world, scale)
    documents(world, scale)
    alpha, a1 = world.mechanisms["alpha"], world.bodies["a1"]
    for i in range(scale):
        provisioning.invite_user(
            mechanism_slug=alpha.slug,
            body_slug=a1.slug,
            email=f"pending{scale}-{i}@test.example",
            role="member",
            notify=False,
        )
    admin = db.session.scalars(sa.select(User).where(User.email == world.account("a1", "admin")))
    admin_id = admin.one().id
    people(world, "a1", scale, term_end=date.today() + timedelta(days=20))
    with tenant_scope(alpha.id, a1.id, layer=Layer.BODY):
        notify(
            [admin_id] * scale,
            "people.term_ending",
            {"name": "x", "term_end": "2026-01-01", "days": 3},
        )
        notify([admin_id] * scale, "unknown.kind", {})
        for i in range(scale):
            db.session.add(PeopleImport(body_id=a1.id, filename=f"f{i}.csv", parsed_rows=[]))
        db.session.commit()


def _registers(world, count: int, gender, term_end, areas, languages) -> None:
    people(world, "a1", count, gender=gender, term_end=term_end, areas=areas, languages=languages)


# name -> (a few rows, many rows)
GROWTH = {
    "accounts": (lambda world: None, lambda world: accounts(world, 40)),
    "documents": (lambda world: documents(world, 5), lambda world: documents(world, 50)),
    "tasks": (lambda world: tasks(world, 2), lambda world: tasks(world, 30)),
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
