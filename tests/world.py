"""A small world of two mechanisms for isolation and role tests.

alpha: bodies a1 (coordinating) and a2; beta: body b1 (coordinating).
Every body has one account per role, named ``<body>-<role>@test.example``,
and each account has one finished job run with an output file.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date

from app.audit.services import record
from app.charters.models import (
    Charter,
    CharterAdoption,
    CharterComment,
    CharterKind,
    CharterSection,
    CharterVersion,
    Outcome,
)
from app.documents.vocabulary import VersionState, Visibility
from app.extensions import db
from app.jobs.models import JobOutput, JobRun, JobState
from app.notices.models import Notice
from app.people.models import PeopleImport, Person, PersonPosition
from app.people.vocabulary import PersonKind, Sector
from app.rules.models import RuleComment, RuleSection, RuleVersion
from app.rules.vocabulary import RuleArea
from tenants.context import Layer, tenant_scope
from tenants.models import Body, Mechanism, Role, User
from tests.support import add_member, make_body, make_mechanism, make_user, sign_in

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
    # per body: its rulebook's objects by kind (see _rulebook); per
    # mechanism: its charters' objects by kind (see _charters)
    rules: dict[str, dict[str, uuid.UUID]] = field(default_factory=dict)
    charters: dict[str, dict[str, uuid.UUID]] = field(default_factory=dict)
    operator: User | None = None

    def account(self, body: str, role: Role | str) -> str:
        return f"{body}-{Role(role).value}@test.example"

    def client(self, app, body: str, role: Role | str):
        """A test client signed in as the account of this role in this body."""
        client = app.test_client()
        sign_in(client, self.account(body, role))
        return client

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
            world.rules[body_slug] = _rulebook(mechanism, body)
        world.charters[slug] = _charters(mechanism, [world.bodies[b] for b in bodies])
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
            parsed_rows=[[2, {"name": f"Imported into {body.slug}", "kind": "staff"}]],
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


def _rulebook(mechanism: Mechanism, body: Body) -> dict[str, uuid.UUID]:
    """Version 1 adopted, 2 in consultation (with a comment), 3 a draft: one
    of each state, so that every route has an object it may act on."""
    ids: dict[str, uuid.UUID] = {}
    with tenant_scope(mechanism.id, body.id, layer=Layer.BODY):
        for number, state in enumerate(
            (VersionState.ADOPTED, VersionState.CONSULTATION, VersionState.DRAFT), start=1
        ):
            version = RuleVersion(body_id=body.id, number=number, state=state)
            section = RuleSection(
                body_id=body.id,
                area=RuleArea.ROLES,
                title=f"Who decides at {body.slug}",
                body=f"Draft rule {number} of {body.slug}",
            )
            version.sections.append(section)
            db.session.add(version)
            db.session.flush()
            ids[f"rule_{state.value}"] = version.id
            ids[f"rule_{state.value}_section"] = section.id
        comment = RuleComment(
            body_id=body.id, section_id=ids["rule_consultation_section"], text="A comment"
        )
        db.session.add(comment)
        db.session.flush()
        ids["rule_comment"] = comment.id
        db.session.commit()
    return ids


def _charters(mechanism: Mechanism, bodies: list[Body]) -> dict[str, uuid.UUID]:
    """The ethics code: version 1 published and adopted by every body,
    version 2 in consultation with a comment of each body; joint working
    methods: version 1 a draft."""
    ids: dict[str, uuid.UUID] = {}
    with tenant_scope(mechanism.id, layer=Layer.JOB):
        code, methods = (
            Charter(kind=CharterKind.ETHICS_CODE),
            Charter(kind=CharterKind.WORKING_METHODS),
        )
        db.session.add_all([code, methods])
        db.session.flush()
        for charter, number, state, kind in (
            (code, 1, VersionState.ADOPTED, "charter_published"),
            (code, 2, VersionState.CONSULTATION, "charter_consultation"),
            (methods, 1, VersionState.DRAFT, "charter_draft"),
        ):
            version = CharterVersion(
                charter_id=charter.id,
                number=number,
                state=state,
                visibility=Visibility.INTERNAL,
                adopted_on=date(2026, 1, 1) if state is VersionState.ADOPTED else None,
            )
            # the same section from one version of a charter to the next
            key = uuid.uuid5(uuid.NAMESPACE_URL, f"{mechanism.slug}/{charter.kind.value}")
            section = CharterSection(key=key, title="Confidentiality", body=f"Text {number}")
            version.sections.append(section)
            db.session.add(version)
            db.session.flush()
            ids[kind], ids[f"{kind}_section"] = version.id, section.id
        db.session.commit()
    for body in bodies:
        with tenant_scope(mechanism.id, body.id, layer=Layer.BODY):
            db.session.add(
                CharterAdoption(
                    body_id=body.id,
                    version_id=ids["charter_published"],
                    outcome=Outcome.ADOPTED,
                    decided_on=date(2026, 1, 2),
                )
            )
            comment = CharterComment(
                body_id=body.id,
                section_id=ids["charter_consultation_section"],
                text=f"Comment of {body.slug}",
            )
            db.session.add(comment)
            db.session.commit()
            ids[f"charter_comment_{body.slug}"] = comment.id
    return ids


def fresh_rule_section(world: World, body: str) -> uuid.UUID:
    """A new section of the body's draft rules (for routes that remove one)."""
    mechanism = world.mechanism_of(body)
    with tenant_scope(mechanism.id, world.bodies[body].id, layer=Layer.BODY):
        section = RuleSection(
            body_id=world.bodies[body].id,
            version_id=world.rules[body]["rule_draft"],
            area=RuleArea.ETHICS,
            title="To remove",
        )
        db.session.add(section)
        db.session.commit()
        return section.id


def fresh_charter_section(world: World, mechanism_slug: str) -> uuid.UUID:
    """A new section of the mechanism's draft charter."""
    with tenant_scope(world.mechanisms[mechanism_slug].id, layer=Layer.JOB):
        section = CharterSection(
            version_id=world.charters[mechanism_slug]["charter_draft"], title="To remove"
        )
        db.session.add(section)
        db.session.commit()
        return section.id
