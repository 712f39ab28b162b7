"""The ORM walls: tenant-filtered reads, refused reads without a tenant, and
the flush-time check on writes."""

from __future__ import annotations

import uuid

import pytest
import sqlalchemy as sa
from werkzeug.exceptions import NotFound

from app import create_app
from app.extensions import db
from app.jobs.models import JobOutput
from tenants import TenantError, aggregate_reads, tenant_scope, unscoped
from tenants.context import Layer, raw_sql
from tenants.models import Body, Membership, User


def _fresh():
    db.session.expunge_all()


def test_reading_tenant_rows_without_a_tenant_is_refused(world):
    _fresh()
    for model in (Body, Membership, JobOutput):
        with pytest.raises(TenantError):
            db.session.scalars(sa.select(model)).all()


def test_a_join_into_tenant_rows_without_a_tenant_matches_nothing(world):
    _fresh()
    rows = db.session.scalars(sa.select(User).join(Membership, Membership.user_id == User.id)).all()
    assert rows == []


def test_a_mechanism_tenant_reads_only_its_mechanism(world):
    alpha, beta = world.mechanisms["alpha"], world.mechanisms["beta"]
    _fresh()
    with tenant_scope(alpha.id, layer=Layer.JOB):
        slugs = set(db.session.scalars(sa.select(Body.slug)))
        outputs = db.session.scalars(sa.select(JobOutput)).all()
    assert slugs == {"a1", "a2"}
    assert {o.mechanism_id for o in outputs} == {alpha.id}
    _fresh()
    with tenant_scope(beta.id, layer=Layer.PLATFORM):
        assert set(db.session.scalars(sa.select(Body.slug))) == {"b1"}


def test_a_body_tenant_reads_only_its_body_rows(world):
    alpha, a1 = world.mechanisms["alpha"], world.bodies["a1"]
    _fresh()
    with tenant_scope(alpha.id, a1.id, layer=Layer.BODY):
        bodies = {m.body_id for m in db.session.scalars(sa.select(Membership))}
        # bodies themselves belong to the mechanism: all of them are listed
        all_bodies = set(db.session.scalars(sa.select(Body.slug)))
    assert bodies == {a1.id}
    assert all_bodies == {"a1", "a2"}


def test_the_operator_reads_provisioning_rows_only(world):
    alpha = world.mechanisms["alpha"]
    _fresh()
    with tenant_scope(alpha.id, layer=Layer.PLATFORM):
        assert set(db.session.scalars(sa.select(Body.slug))) == {"a1", "a2"}
        assert len(db.session.scalars(sa.select(Membership)).all()) == 10
        assert db.session.scalars(sa.select(JobOutput)).all() == []


def test_the_coordination_layer_counts_every_body_but_reads_its_own_rows(world):
    alpha, a1 = world.mechanisms["alpha"], world.bodies["a1"]
    _fresh()
    with tenant_scope(alpha.id, a1.id, layer=Layer.COORDINATION):
        rows = {m.body_id for m in db.session.scalars(sa.select(Membership))}
        with aggregate_reads():
            counts = dict(
                db.session.execute(
                    sa.select(Membership.body_id, sa.func.count(Membership.id)).group_by(
                        Membership.body_id
                    )
                ).all()
            )
            with pytest.raises(TenantError, match="counts only"):
                db.session.scalars(sa.select(Membership)).all()
    assert rows == {a1.id}
    assert counts == {a1.id: 5, world.bodies["a2"].id: 5}


def test_aggregates_across_bodies_are_refused_in_a_body_space(world):
    alpha, a2 = world.mechanisms["alpha"], world.bodies["a2"]
    with (
        tenant_scope(alpha.id, a2.id, layer=Layer.BODY),
        pytest.raises(TenantError),
        aggregate_reads(),
    ):
        pass


def test_scoped_lookups_do_not_find_other_tenants_objects(world):
    alpha, a1, a2 = world.mechanisms["alpha"], world.bodies["a1"], world.bodies["a2"]
    beta = world.mechanisms["beta"]
    with tenant_scope(alpha.id, layer=Layer.PLATFORM):
        own = db.session.scalars(sa.select(Membership).where(Membership.body_id == a1.id)).first()
    _fresh()
    with tenant_scope(alpha.id, a2.id, layer=Layer.BODY):
        assert Membership.get_scoped(own.id) is None
        with pytest.raises(NotFound):
            Membership.get_scoped_or_404(str(own.id))
    with tenant_scope(beta.id, layer=Layer.PLATFORM):
        assert Body.get_scoped(a1.id) is None
    with tenant_scope(alpha.id, layer=Layer.PLATFORM):
        assert Body.get_scoped(a1.id).slug == "a1"
        for junk in ("", "x", None, 42, "../etc"):
            assert Body.get_scoped(junk) is None


def test_writing_without_a_tenant_is_refused(world):
    a1 = world.bodies["a1"]
    db.session.add(
        Membership(
            mechanism_id=a1.mechanism_id, body_id=a1.id, user_id=world.operator.id, role="member"
        )
    )
    with pytest.raises(TenantError):
        db.session.flush()
    db.session.rollback()


def test_writing_another_mechanisms_row_is_refused(world):
    a1, beta = world.bodies["a1"], world.mechanisms["beta"]
    with tenant_scope(beta.id, layer=Layer.PLATFORM):
        db.session.add(
            Membership(
                mechanism_id=a1.mechanism_id,
                body_id=a1.id,
                user_id=world.operator.id,
                role="member",
            )
        )
        with pytest.raises(TenantError):
            db.session.flush()
    db.session.rollback()


def test_writing_another_bodys_row_is_refused(world):
    a1, a2 = world.bodies["a1"], world.bodies["a2"]
    with tenant_scope(a1.mechanism_id, a2.id, layer=Layer.BODY):
        db.session.add(
            Membership(
                mechanism_id=a1.mechanism_id,
                body_id=a1.id,
                user_id=world.operator.id,
                role="member",
            )
        )
        with pytest.raises(TenantError):
            db.session.flush()
    db.session.rollback()


def test_changing_an_object_under_another_tenant_is_refused(world):
    alpha, beta = world.mechanisms["alpha"], world.mechanisms["beta"]
    with tenant_scope(alpha.id, layer=Layer.PLATFORM):
        body = db.session.scalars(sa.select(Body).where(Body.slug == "a2")).one()
    with tenant_scope(beta.id, layer=Layer.PLATFORM):
        # it left the session with its tenant; brought back, it is refused
        assert body not in db.session
        db.session.add(body)
        body.name = "taken over"
        with pytest.raises(TenantError):
            db.session.flush()
    db.session.rollback()


def test_the_public_site_cannot_write(world):
    alpha = world.mechanisms["alpha"]
    with tenant_scope(alpha.id, layer=Layer.PUBLIC):
        body = db.session.scalars(sa.select(Body).where(Body.slug == "a2")).one()
        body.name = "defaced"
        with pytest.raises(TenantError):
            db.session.flush()
    db.session.rollback()


def test_new_rows_take_the_active_tenant(world):
    alpha, a2 = world.mechanisms["alpha"], world.bodies["a2"]
    with tenant_scope(alpha.id, a2.id, layer=Layer.BODY):
        membership = Membership(user_id=world.operator.id, role="member")
        db.session.add(membership)
        db.session.flush()
        assert (membership.mechanism_id, membership.body_id) == (alpha.id, a2.id)
    db.session.rollback()


def test_unscoped_reads_are_explicit_and_read_only(world):
    _fresh()
    # On PostgreSQL row-level security still hides every row without a tenant.
    expected = 3 if db.engine.dialect.name == "sqlite" else 0
    with unscoped():
        assert db.session.scalar(sa.select(sa.func.count(Body.id))) == expected
        db.session.add(
            Body(mechanism_id=world.mechanisms["alpha"].id, slug="zz", name="zz", kind="other")
        )
        with pytest.raises(TenantError):
            db.session.flush()
    db.session.rollback()


def test_the_database_refuses_a_body_of_another_mechanism(world, owner_engine):
    """The composite foreign key ties a body-owned row to its own mechanism."""
    a1, beta = world.bodies["a1"], world.mechanisms["beta"]
    with owner_engine.connect() as conn, pytest.raises(sa.exc.IntegrityError):
        conn.execute(
            Membership.__table__.insert().values(
                id=uuid.uuid4(),
                mechanism_id=beta.id,
                body_id=a1.id,
                user_id=world.operator.id,
                role="member",
                created_at=sa.func.now(),
            )
        )


def test_sqlite_connections_enforce_foreign_keys(tmp_path):
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'fk.db'}",
            "SECRET_KEY": "x",
            "TOTP_ENCRYPTION_KEYS": "BRPfRSlEQ5kxWQR5P7l4WZf8-EkpDfysOFFv27f-8dE=",
            "REDIS_URL": None,
        }
    )
    with app.app_context(), raw_sql("a pragma"), db.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        db.engine.dispose()


def test_bulk_writes_of_tenant_rows_are_refused(world):
    a1, a2 = world.bodies["a1"], world.bodies["a2"]
    with tenant_scope(a1.mechanism_id, a1.id, layer=Layer.BODY):
        for statement in (
            sa.update(JobOutput).values(body_id=a2.id),
            sa.delete(JobOutput),
            sa.insert(JobOutput).values(
                mechanism_id=a1.mechanism_id,
                body_id=a2.id,
                job_run_id=uuid.uuid4(),
                filename="x",
                content_type="x",
                data=b"x",
            ),
        ):
            with pytest.raises(TenantError, match="bulk write"):
                db.session.execute(statement)
    db.session.rollback()


def test_a_body_space_cannot_change_another_bodys_row(world):
    mechanism_id, a1_id = world.bodies["a1"].mechanism_id, world.bodies["a1"].id
    with tenant_scope(mechanism_id, a1_id, layer=Layer.BODY):
        other = db.session.scalars(sa.select(Body).where(Body.slug == "a2")).one()
        other.requires_two_factor = True
        with pytest.raises(TenantError, match="does not own it"):
            db.session.flush()
    db.session.rollback()
    with tenant_scope(mechanism_id, a1_id, layer=Layer.BODY):
        own = db.session.scalars(sa.select(Body).where(Body.slug == "a1")).one()
        own.requires_two_factor = True
        db.session.flush()
    db.session.rollback()
