"""Row-level security on PostgreSQL, as the application's own role: the
second wall holds even when the application's scoping is bypassed."""

from __future__ import annotations

import uuid

import pytest
import sqlalchemy as sa

from app.extensions import db
from tenants import rls, tenant_scope
from tenants.context import Layer, acting_user
from tenants.models import Body, Membership
from tests.world import build_world

pytestmark = pytest.mark.postgresql

TENANT_TABLES = ("bodies", "memberships", "job_outputs")
LOG_TABLES = ("audit_events", "job_runs")  # global, with tenant rows walled off


@pytest.fixture
def world(app):
    return build_world()


def _as_app(sql: str, mechanism_id=None, user_id=None, **params):
    """Run raw SQL as the application role, in one transaction."""
    with db.engine.connect() as conn, conn.begin():
        conn.execute(
            sa.text("SELECT set_config(:k1, :v1, true), set_config(:k2, :v2, true)"),
            {
                "k1": rls.TENANT_SETTING,
                "v1": str(mechanism_id or ""),
                "k2": rls.USER_SETTING,
                "v2": str(user_id or ""),
            },
        )
        result = conn.execute(sa.text(sql), params)
        return result.all() if result.returns_rows else []


def test_the_application_role_is_plain(app, backend):
    row = db.session.execute(
        sa.text(
            "SELECT current_user, rolsuper, rolbypassrls FROM pg_roles WHERE rolname = current_user"
        )
    ).one()
    assert row.current_user == "concert_app_test"
    assert row.rolsuper is False and row.rolbypassrls is False
    owned = db.session.scalar(
        sa.text("SELECT count(*) FROM pg_tables WHERE tableowner = current_user")
    )
    assert owned == 0


def test_every_tenant_table_has_forced_row_level_security(app, backend):
    rows = dict(
        db.session.execute(
            sa.text(
                "SELECT relname, relrowsecurity AND relforcerowsecurity FROM pg_class"
                " WHERE relkind = 'r' AND relnamespace = 'public'::regnamespace"
            )
        ).all()
    )
    for table in TENANT_TABLES + LOG_TABLES:
        assert rows[table] is True, table


def test_no_tenant_set_sees_no_tenant_row(world, backend):
    for table in TENANT_TABLES:
        assert _as_app(f"SELECT * FROM {table}") == [], table  # noqa: S608
    for table in LOG_TABLES:
        rows = _as_app(f"SELECT mechanism_id FROM {table}")  # noqa: S608
        assert {r.mechanism_id for r in rows} <= {None}, table


def test_one_mechanism_never_sees_another(world, backend):
    alpha, beta = world.mechanisms["alpha"], world.mechanisms["beta"]
    for table in TENANT_TABLES + LOG_TABLES:
        rows = _as_app(f"SELECT mechanism_id FROM {table}", alpha.id)  # noqa: S608
        seen = {r.mechanism_id for r in rows}
        assert alpha.id in seen, table
        assert beta.id not in seen, table


def test_a_user_sees_their_own_memberships_across_mechanisms(world, backend):
    user = world.users[world.account("a1", "admin")]
    rows = _as_app("SELECT mechanism_id, user_id FROM memberships", None, user.id)
    assert {r.user_id for r in rows} == {user.id}
    bodies = _as_app("SELECT slug FROM bodies", None, user.id)
    assert {b.slug for b in bodies} == {"a1"}


def test_writes_into_another_mechanism_are_refused(world, backend):
    alpha, beta = world.mechanisms["alpha"], world.mechanisms["beta"]
    b1 = world.bodies["b1"]
    with pytest.raises(sa.exc.ProgrammingError, match="row-level security"):
        _as_app(
            "INSERT INTO memberships (id, mechanism_id, body_id, user_id, role, created_at)"
            " VALUES (:id, :m, :b, :u, 'admin', now())",
            alpha.id,
            id=uuid.uuid4(),
            m=beta.id,
            b=b1.id,
            u=world.operator.id,
        )
    # updates and deletes of another mechanism's rows touch nothing
    with db.engine.connect() as conn, conn.begin():
        conn.execute(
            sa.text("SELECT set_config(:k, :v, true)"),
            {"k": rls.TENANT_SETTING, "v": str(alpha.id)},
        )
        assert (
            conn.execute(
                sa.text("UPDATE bodies SET name = 'x' WHERE mechanism_id = :m"), {"m": beta.id}
            ).rowcount
            == 0
        )
        assert (
            conn.execute(
                sa.text("DELETE FROM job_outputs WHERE mechanism_id = :m"), {"m": beta.id}
            ).rowcount
            == 0
        )


def test_moving_a_row_to_another_mechanism_is_refused(world, backend):
    alpha, beta = world.mechanisms["alpha"], world.mechanisms["beta"]
    with pytest.raises(sa.exc.ProgrammingError, match="row-level security"):
        _as_app("UPDATE job_outputs SET mechanism_id = :b", alpha.id, b=beta.id)


def test_audit_events_cannot_be_changed_or_deleted(world, backend):
    alpha = world.mechanisms["alpha"]
    for sql in ("UPDATE audit_events SET summary = 'x'", "DELETE FROM audit_events"):
        with pytest.raises(sa.exc.ProgrammingError, match="permission denied"):
            _as_app(sql, alpha.id)


def test_the_setting_does_not_outlive_its_transaction(world, backend):
    alpha = world.mechanisms["alpha"]
    with db.engine.connect() as conn:
        with conn.begin():
            conn.execute(
                sa.text("SELECT set_config(:k, :v, true)"),
                {"k": rls.TENANT_SETTING, "v": str(alpha.id)},
            )
            assert conn.execute(sa.text("SELECT count(*) FROM bodies")).scalar() == 2
        with conn.begin():
            assert conn.execute(sa.text("SELECT count(*) FROM bodies")).scalar() == 0


def test_the_orm_hands_the_tenant_to_the_database(world, backend):
    """Through the application's session, a raw query sees what the tenant may."""
    alpha, a1 = world.mechanisms["alpha"], world.bodies["a1"]
    db.session.rollback()
    with tenant_scope(alpha.id, a1.id, layer=Layer.BODY):
        raw = db.session.execute(sa.text("SELECT DISTINCT mechanism_id FROM bodies")).all()
        assert raw == [(alpha.id,)]
        # switching tenant inside one transaction hands over the new one
        with tenant_scope(world.mechanisms["beta"].id, layer=Layer.PLATFORM):
            raw = db.session.execute(sa.text("SELECT slug FROM bodies")).all()
            assert raw == [("b1",)]
    assert db.session.execute(sa.text("SELECT count(*) FROM memberships")).scalar() == 0
    with acting_user(world.operator.id):
        assert db.session.execute(sa.text("SELECT count(*) FROM memberships")).scalar() == 0
    db.session.rollback()


def test_a_pooled_connection_carries_no_tenant_into_the_next_request(world, backend, app):
    alpha = world.mechanisms["alpha"]
    with tenant_scope(alpha.id, layer=Layer.PLATFORM):
        assert len(db.session.scalars(sa.select(Body)).all()) == 2
        db.session.commit()
    db.session.remove()
    assert db.session.execute(sa.text("SELECT count(*) FROM bodies")).scalar() == 0
    assert db.session.execute(
        sa.text("SELECT current_setting(:k, true)"), {"k": rls.TENANT_SETTING}
    ).scalar() in ("", None)
    with tenant_scope(alpha.id, layer=Layer.PLATFORM), acting_user(None):
        assert db.session.scalar(sa.select(sa.func.count(Membership.id))) == 10


def test_platform_log_rows_are_hidden_from_tenants(world, backend):
    alpha = world.mechanisms["alpha"]
    _as_app("INSERT INTO audit_events (occurred_at, action, summary) VALUES (now(), 'p', 'x')")
    assert _as_app("SELECT id FROM audit_events WHERE mechanism_id IS NULL") != []
    assert _as_app("SELECT id FROM audit_events WHERE mechanism_id IS NULL", alpha.id) == []
    with pytest.raises(sa.exc.ProgrammingError, match="row-level security"):
        _as_app(
            "INSERT INTO audit_events (occurred_at, action, summary) VALUES (now(), 'forged', 'x')",
            alpha.id,
        )
    with pytest.raises(sa.exc.ProgrammingError, match="row-level security"):
        _as_app("UPDATE job_runs SET mechanism_id = NULL", alpha.id)


def test_a_users_own_rows_are_read_only_across_mechanisms(world, backend):
    beta = world.mechanisms["beta"]
    user = world.users[world.account("a1", "admin")]
    with db.engine.connect() as conn, conn.begin():
        conn.execute(
            sa.text("SELECT set_config(:k1, :v1, true), set_config(:k2, :v2, true)"),
            {
                "k1": rls.TENANT_SETTING,
                "v1": str(beta.id),
                "k2": rls.USER_SETTING,
                "v2": str(user.id),
            },
        )
        assert (
            conn.execute(
                sa.text("SELECT count(*) FROM memberships WHERE user_id = :u"), {"u": user.id}
            ).scalar()
            == 1
        )  # visible...
        deleted = conn.execute(
            sa.text("DELETE FROM memberships WHERE user_id = :u"), {"u": user.id}
        ).rowcount
        updated = conn.execute(sa.text("UPDATE bodies SET name = 'x' WHERE slug = 'a1'")).rowcount
    assert deleted == 0 and updated == 0  # ...but not writable from beta


def test_the_tenant_reaches_streamed_queries_too(world, backend):
    """A server-side cursor's statement is only declared: the setting goes
    through a plain cursor of its own."""
    alpha, beta = world.mechanisms["alpha"], world.mechanisms["beta"]
    from app.audit.models import AuditEvent

    db.session.rollback()
    with tenant_scope(alpha.id, layer=Layer.PLATFORM):
        assert db.session.scalar(sa.select(sa.func.count(Body.id))) == 2
        with tenant_scope(beta.id, layer=Layer.PLATFORM):
            streamed = db.session.scalars(
                sa.select(AuditEvent.mechanism_id).execution_options(yield_per=10)
            ).all()
    assert streamed and set(streamed) == {beta.id}
    db.session.rollback()
    with tenant_scope(beta.id, layer=Layer.PLATFORM):
        first = db.session.scalars(
            sa.select(AuditEvent.mechanism_id).execution_options(yield_per=10)
        ).all()
    assert first and set(first) == {beta.id}
    db.session.rollback()
