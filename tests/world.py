"""A small world of two mechanisms for isolation and role tests.

alpha: bodies a1 (coordinating) and a2; beta: body b1 (coordinating).
Every body has one account per role, named ``<body>-<role>@test.example``,
and each account has one finished job run with an output file.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

from app.audit.services import record
from app.extensions import db
from app.jobs.models import JobOutput, JobRun, JobState
from app.notices.models import Notice
from app.people.models import PeopleImport, Person, PersonPosition
from app.people.vocabulary import PersonKind, Sector
from tenants.context import Layer, tenant_scope
from tenants.models import Body, Mechanism, Role, User
from tests.support import add_member, make_body, make_mechanism, make_user

ROLES = [Role.ADMIN, Role.EDITOR, Role.MEMBER, Role.EXTERNAL_EXPERT]


@dataclass
class World:
    mechanisms: dict[str, Mechanism] = field(default_factory=dict)
    bodies: dict[str, Body] = field(default_factory=dict)
    users: dict[str, User] = field(default_factory=dict)
    job_runs: dict[str, uuid.UUID] = field(default_factory=dict)  # by user email
    # per body: the membership of a spare member, for routes that act on one
    spare_memberships: dict[str, uuid.UUID] = field(default_factory=dict)
    # per body: a person of its register, and an uploaded import not yet run
    people: dict[str, uuid.UUID] = field(default_factory=dict)
    imports: dict[str, uuid.UUID] = field(default_factory=dict)
    notices: dict[str, uuid.UUID] = field(default_factory=dict)  # by user email
    operator: User | None = None

    def account(self, body: str, role: Role | str) -> str:
        return f"{body}-{Role(role).value}@test.example"

    def mechanism_of(self, body: str) -> Mechanism:
        return self.mechanisms["alpha" if body.startswith("a") else "beta"]


def build_world() -> World:
    world = World()
    for slug, bodies in (("alpha", ("a1", "a2")), ("beta", ("b1",))):
        mechanism = make_mechanism(slug)
        world.mechanisms[slug] = mechanism
        for body_slug in bodies:
            body = make_body(mechanism, body_slug)
            world.bodies[body_slug] = body
            for role in ROLES:
                email = world.account(body_slug, role)
                user = make_user(email, two_factor=True)
                world.users[email] = user
                add_member(user, mechanism, body, role)
                world.job_runs[email] = _finished_export(mechanism, body, user)
                world.notices[email] = _notice(mechanism, body, user)
            spare = make_user(f"{body_slug}-spare@test.example", two_factor=True)
            world.spare_memberships[body_slug] = add_member(spare, mechanism, body, "member").id
            world.people[body_slug], world.imports[body_slug] = _register(mechanism, body)
    world.operator = make_user("operator@test.example", operator=True)
    return world


def _finished_export(mechanism: Mechanism, body: Body, user: User) -> uuid.UUID:
    with tenant_scope(mechanism.id, body.id, layer=Layer.BODY):
        run = JobRun(
            mechanism_id=mechanism.id,
            body_id=body.id,
            name="audit.export_csv",
            params={},
            state=JobState.FINISHED,
            progress=100,
            created_by=user.id,
        )
        db.session.add(run)
        db.session.flush()
        db.session.add(
            JobOutput(
                body_id=body.id,
                job_run_id=run.id,
                filename="export.csv",
                content_type="text/csv",
                data=f"secret of {body.slug}".encode(),
            )
        )
        record("test.event", actor=user, summary=f"event of {body.slug}")
        db.session.commit()
    return run.id


def _notice(mechanism: Mechanism, body: Body, user: User) -> uuid.UUID:
    with tenant_scope(mechanism.id, body.id, layer=Layer.BODY):
        notice = Notice(
            body_id=body.id,
            user_id=user.id,
            kind="people.term_ending",
            params={"name": f"someone of {body.slug}", "term_end": "2030-01-01", "days": 30},
        )
        db.session.add(notice)
        db.session.commit()
        return notice.id


def _register(mechanism: Mechanism, body: Body) -> tuple[uuid.UUID, uuid.UUID]:
    with tenant_scope(mechanism.id, body.id, layer=Layer.BODY):
        person = Person(body_id=body.id, kind=PersonKind.MEMBER, name=f"Person of {body.slug}")
        db.session.add(person)
        db.session.flush()
        upload = PeopleImport(
            body_id=body.id,
            filename="people.csv",
            data=f"name,kind\nImported into {body.slug},staff\n".encode(),
        )
        db.session.add(upload)
        db.session.commit()
        return person.id, upload.id


def fresh_position(world: World, body: str) -> uuid.UUID:
    """A new position of the body's person (for routes that remove one)."""
    mechanism = world.mechanism_of(body)
    with tenant_scope(mechanism.id, world.bodies[body].id, layer=Layer.BODY):
        position = PersonPosition(
            body_id=world.bodies[body].id,
            person_id=world.people[body],
            employer="Ministry",
            sector=Sector.EXECUTIVE,
        )
        db.session.add(position)
        db.session.commit()
        return position.id
