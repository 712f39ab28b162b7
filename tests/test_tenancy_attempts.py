"""Ways to read or write across tenants that once passed, each now stopped
(on SQLite by the application's walls, on PostgreSQL by them and by
row-level security). The numbers are those of the review that tried them.

Each naive "view" below is the code a careless capability might write;
it runs in the tenant a request of that layer would have."""

from __future__ import annotations

import uuid
from contextlib import contextmanager
from datetime import date

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session

from app.charters.models import Charter, CharterAdoption, CharterAnswer, CharterVersion, Outcome
from app.documents.vocabulary import VersionState
from app.extensions import db
from app.people.models import Person, PersonPosition
from app.rules.models import RuleComment, RuleVersion
from tenants import TenantError, aggregate_reads, tenant_scope
from tenants.context import Layer
from tenants.models import User
from tests.world import build_world


@pytest.fixture
def world(app):
    world = build_world()
    db.session.expunge_all()
    return world


@contextmanager
def _as_body(world, body: str):
    mechanism = world.mechanism_of(body)
    with tenant_scope(mechanism.id, world.bodies[body].id, layer=Layer.BODY):
        yield


@contextmanager
def _as_coordinator(world):
    with tenant_scope(world.mechanisms["alpha"].id, world.bodies["a1"].id, Layer.COORDINATION):
        yield


def _a1_person_key(world):
    return (world.mechanisms["alpha"].id, world.people["a1"])


def test_01_get_by_key_finds_nothing_of_another_body_or_mechanism(world):
    with _as_body(world, "a2"):
        assert db.session.get(Person, _a1_person_key(world)) is None
    with _as_body(world, "b1"):
        assert db.session.get(Person, _a1_person_key(world)) is None


def test_02_get_by_key_does_not_answer_from_the_identity_map(world):
    with _as_body(world, "a1"):
        mine = db.session.get(Person, _a1_person_key(world))
        assert mine is not None
    with _as_body(world, "a2"):
        assert db.session.get(Person, _a1_person_key(world)) is None
        assert mine not in db.session


def test_03_a_many_to_one_never_answers_with_a_row_the_tenant_cannot_read(world):
    alpha, a2 = world.mechanisms["alpha"], world.bodies["a2"]
    draft = world.charters["alpha"]["charter_draft"]
    with tenant_scope(alpha.id, layer=Layer.JOB):  # a row of a2 naming the draft
        db.session.add(
            CharterAdoption(
                body_id=a2.id,
                version_id=draft,
                outcome=Outcome.ADOPTED,
                decided_on=date(2026, 1, 1),
            )
        )
        db.session.commit()
    with _as_coordinator(world):
        assert db.session.get(CharterVersion, (alpha.id, draft)) is not None
    with _as_body(world, "a2"):
        row = db.session.scalars(
            sa.select(CharterAdoption).where(CharterAdoption.version_id == draft)
        ).one()
        assert row.version is None


def test_04_refreshing_an_object_of_another_mechanism_is_refused(world):
    with _as_body(world, "a1"):
        mine = db.session.get(Person, _a1_person_key(world))
    with _as_body(world, "b1"), pytest.raises(sa.exc.InvalidRequestError):
        db.session.refresh(mine)


def test_05_a_one_to_many_load_lists_only_what_the_tenant_reads(world):
    with _as_body(world, "a2"):
        methods = db.session.scalars(sa.select(Charter).where(Charter.kind == "working_methods"))
        assert methods.one().versions == []  # its only version is the coordinator's draft


def test_06_joins_subqueries_ctes_unions_and_counts_reach_no_other_body(world):
    a1 = world.bodies["a1"].id
    with _as_body(world, "a2"):
        joined = sa.select(sa.func.count(PersonPosition.id)).join(
            Person,
            sa.and_(
                Person.mechanism_id == PersonPosition.mechanism_id,
                Person.id == PersonPosition.person_id,
            ),
        )
        statements = [
            sa.select(sa.func.count(Person.id)).where(Person.body_id == a1),
            joined.where(Person.body_id == a1),
            sa.select(sa.func.count()).where(sa.exists().where(Person.body_id == a1)),
            sa.select(sa.func.count(RuleVersion.id)).where(
                RuleVersion.id.in_(sa.select(RuleVersion.id).where(RuleVersion.body_id == a1))
            ),
        ]
        for statement in statements:
            assert db.session.scalar(statement) == 0, statement
        cte = sa.select(Person.id).where(Person.body_id == a1).cte()
        assert db.session.execute(sa.select(cte.c.id)).all() == []
        union = sa.union(
            sa.select(Person.name).where(Person.body_id == a1),
            sa.select(RuleComment.text).where(RuleComment.body_id == a1),
        )
        assert db.session.execute(union).all() == []


@pytest.mark.parametrize(
    "statement",
    [
        pytest.param(lambda: sa.text("SELECT name FROM people"), id="07-text-select"),
        pytest.param(lambda: sa.select(Person.__table__), id="09-table-select"),
        pytest.param(
            lambda: sa.select(Person.name).join(
                sa.table("people", sa.column("id")), sa.literal_column("1") == 1
            ),
            id="10-join-to-a-lightweight-table",
        ),
        pytest.param(lambda: sa.update(Person.__table__).values(name="x"), id="17-core-update"),
        pytest.param(lambda: sa.text("UPDATE people SET name = 'x'"), id="17-text-update"),
    ],
)
def test_07_to_17_sql_around_the_orm_is_refused_with_or_without_a_tenant(world, statement):
    for scope in (_as_body(world, "a2"), _no_tenant()):
        with scope, pytest.raises(TenantError, match="refused|without a tenant"):
            db.session.execute(statement())
        db.session.rollback()


@contextmanager
def _no_tenant():
    yield


def test_08_09_a_connection_of_its_own_is_refused_too(world):
    with db.engine.connect() as conn, pytest.raises(TenantError):
        conn.execute(sa.text("SELECT name FROM people"))
    with db.engine.connect() as conn, pytest.raises(TenantError):
        conn.exec_driver_sql("SELECT name FROM people")
    with db.engine.connect() as conn, pytest.raises(TenantError):
        conn.execute(sa.select(Person.__table__))


def test_11_12_the_coordinator_counts_no_drafts_and_reads_no_bodys_own_comments(world):
    a1 = world.bodies["a1"].id
    with _as_coordinator(world):
        versions = db.session.scalars(sa.select(RuleVersion.body_id)).all()
        comments = db.session.scalars(sa.select(RuleComment.body_id)).all()
        assert set(versions) == {a1} and set(comments) == {a1}
        with aggregate_reads():
            # rules are not counted by the coordinator at all: only its own
            drafts = db.session.execute(
                sa.select(RuleVersion.body_id, sa.func.count(RuleVersion.id))
                .where(RuleVersion.state == VersionState.DRAFT)
                .group_by(RuleVersion.body_id)
            ).all()
            assert [body for body, _count in drafts] == [a1]
            # people are counted, never read
            with pytest.raises(TenantError, match="counts only"):
                db.session.execute(sa.select(Person.name)).all()
            with pytest.raises(TenantError, match="counts only"):
                db.session.execute(
                    sa.select(Person.name, sa.func.count(Person.id)).group_by(Person.name)
                ).all()


def test_13_a_body_never_reads_the_coordinators_drafts_or_its_answers_to_others(world):
    alpha = world.mechanisms["alpha"]
    with _as_coordinator(world):
        comment = world.charters["alpha"]["charter_comment_a2"]
        db.session.add(CharterAnswer(comment_id=comment, text="Answer to a2"))
        db.session.commit()
    with _as_body(world, "a2"):
        states = set(db.session.scalars(sa.select(CharterVersion.state)))
        assert states == {VersionState.ADOPTED, VersionState.CONSULTATION}
        assert CharterVersion.get_scoped(world.charters["alpha"]["charter_draft"]) is None
        assert [a.text for a in db.session.scalars(sa.select(CharterAnswer))] == ["Answer to a2"]
    with tenant_scope(alpha.id, world.bodies["a1"].id, Layer.BODY):
        assert db.session.scalars(sa.select(CharterAnswer)).all() == []


def test_14_24_the_public_site_reads_no_person_and_no_draft(world):
    with tenant_scope(world.mechanisms["alpha"].id, layer=Layer.PUBLIC):
        assert db.session.scalars(sa.select(Person)).all() == []
        assert db.session.scalars(sa.select(RuleVersion)).all() == []
        assert db.session.scalars(sa.select(CharterVersion)).all() == []
        assert Person.get_scoped(world.people["a1"]) is None


@pytest.mark.parametrize("method", ["bulk_save_objects", "bulk_insert_mappings"])
def test_18_19_bulk_writes_of_tenant_rows_are_refused(world, method):
    a2 = world.bodies["a2"]
    with _as_body(world, "a2"), pytest.raises(TenantError, match="bulk"):
        if method == "bulk_save_objects":
            db.session.bulk_save_objects([Person(body_id=world.bodies["a1"].id, name="x")])
        else:
            db.session.bulk_insert_mappings(
                Person, [{"mechanism_id": world.mechanisms["beta"].id, "body_id": a2.id}]
            )


def test_16_orm_bulk_updates_of_tenant_rows_are_refused(world):
    with _as_body(world, "a2"), pytest.raises(TenantError, match="bulk"):
        db.session.execute(sa.update(Person).values(name="x"))


def test_20_22_naive_lookups_by_an_id_from_the_request_find_nothing_of_others(world):
    person_id = str(world.people["a1"])

    def naive_view(raw_id):  # an id from the path, a form or the query string
        return db.session.get(Person, (world.mechanisms["alpha"].id, uuid.UUID(raw_id)))

    with _as_body(world, "a2"):
        assert naive_view(person_id) is None
    with _as_body(world, "a2"), pytest.raises(TenantError):
        db.session.execute(
            sa.select(Person.__table__).where(Person.__table__.c.id == uuid.UUID(person_id))
        )


def test_23_a_naive_coordination_count_of_drafts_sees_only_its_own(world):
    with _as_coordinator(world):
        drafts = db.session.scalar(
            sa.select(sa.func.count(RuleVersion.id)).where(RuleVersion.state == VersionState.DRAFT)
        )
    assert drafts == 1  # the coordinating body's own draft, none of a2's


def test_15_an_account_s_two_factor_secret_is_not_stored_in_the_clear(world, owner_engine):
    user = world.users[world.account("a1", "admin")]
    with owner_engine.connect() as conn:
        stored = conn.execute(
            sa.text("SELECT totp_secret FROM users WHERE id = :id"), {"id": user.id}
        ).scalar()
    assert stored and stored != user.totp_secret


def test_15_a_body_reads_the_accounts_of_its_mechanism_only(world):
    with _as_body(world, "a2"):
        emails = set(db.session.scalars(sa.select(User.email)))
    alpha = {email for email in world.users if email.startswith("a")}
    assert alpha <= emails and not any(email.startswith("b1") for email in emails)
    with tenant_scope(world.mechanisms["alpha"].id, layer=Layer.PUBLIC):
        assert db.session.scalars(sa.select(User)).all() == []


def test_a_plain_session_of_its_own_gets_the_same_net(world):
    with _as_body(world, "a2"), Session(db.engine) as other:
        assert other.get(Person, _a1_person_key(world)) is None
        assert other.scalars(sa.select(User)).first() is not None  # global rows stay readable


def test_a_tenant_reads_no_platform_rows(world):
    from app.audit.models import PlatformAuditEvent
    from app.audit.services import record

    record("test.platform", summary="a sign-in of someone")
    db.session.commit()
    assert db.session.scalars(sa.select(PlatformAuditEvent)).all() != []
    with _as_body(world, "a2"):
        assert db.session.scalars(sa.select(PlatformAuditEvent)).all() == []
    with tenant_scope(world.mechanisms["alpha"].id, layer=Layer.PLATFORM):
        assert db.session.scalars(sa.select(PlatformAuditEvent)).all() != []
