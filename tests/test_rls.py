"""Row-level security on PostgreSQL, as the application's own role: the
second wall holds even when the application's scoping is bypassed, between
mechanisms and between the bodies of one mechanism."""

from __future__ import annotations

import uuid

import pytest
import sqlalchemy as sa

from app.extensions import db
from tenants import tenant_scope
from tenants.context import Layer, acting_user, raw_sql
from tenants.models import Body, Membership
from tenants.scoping import sharing_of, tenant_models
from tenants.sharing import SETTINGS, fingerprint
from tests.test_schema import GLOBAL_TABLES

pytestmark = pytest.mark.postgresql

PLATFORM_TABLES = ("platform_audit_events", "platform_job_runs")  # rows of no tenant


def _as_app(sql: str, mechanism_id=None, user_id=None, body_id=None, layer="", **params):
    """Run raw SQL as the application role, in one transaction, with the
    settings the application would give for this tenant."""
    if mechanism_id is not None and not layer:
        layer = "job"  # a mechanism-wide job: the whole mechanism
    values = (
        str(mechanism_id or ""),
        str(body_id or ""),
        layer,
        str(user_id or ""),
        params.pop("counting", ""),
    )
    with raw_sql("tests of the database's own wall"), db.engine.connect() as conn, conn.begin():
        for name, value in zip(SETTINGS, values, strict=True):
            conn.execute(sa.text("SELECT set_config(:k, :v, true)"), {"k": name, "v": value})
        result = conn.execute(sa.text(sql), params)
        return result.all() if result.returns_rows else []


def _count(table: str, **tenant) -> int:
    return _as_app(f"SELECT count(*) FROM {table}", **tenant)[0][0]  # noqa: S608


def test_the_application_role_is_plain(app, backend):
    with raw_sql("reads the role's own attributes"):
        row = db.session.execute(
            sa.text(
                "SELECT current_user, rolsuper, rolbypassrls FROM pg_roles"
                " WHERE rolname = current_user"
            )
        ).one()
        owned = db.session.scalar(
            sa.text("SELECT count(*) FROM pg_tables WHERE tableowner = current_user")
        )
    assert row.current_user == "concert_app_test"
    assert row.rolsuper is False and row.rolbypassrls is False
    assert owned == 0


def test_every_tenant_table_has_the_policies_its_model_declares(app, backend):
    """Derived from the metadata, not from a list: a new tenant table whose
    migration forgets row-level security, or a model whose sharing changed
    without a migration, fails here."""
    with raw_sql("reads the catalogue"):
        forced = dict(
            db.session.execute(
                sa.text(
                    "SELECT relname, relrowsecurity AND relforcerowsecurity FROM pg_class"
                    " WHERE relkind = 'r' AND relnamespace = 'public'::regnamespace"
                )
            ).all()
        )
        policies: dict[str, set] = {}
        for table, name in db.session.execute(
            sa.text("SELECT tablename, policyname FROM pg_policies")
        ):
            policies.setdefault(table, set()).add(name)
    tenant_tables = {t.name for t in db.metadata.sorted_tables} - set(GLOBAL_TABLES)
    assert tenant_tables == set(tenant_models())
    for table in tenant_tables:
        assert forced[table] is True, f"{table}: row-level security is not forced"
        mark = fingerprint(table, sharing_of(tenant_models()[table]))
        expected = {f"{verb}_{mark}" for verb in ("read", "insert", "update", "delete")}
        assert policies.get(table) == expected, (
            f"{table}: its policies are not those of its model's __sharing__; write a"
            f" migration calling rls.protect(op, {table!r}, <the declaration>)"
        )
    for table in PLATFORM_TABLES:
        assert forced[table] is True, table


def test_no_tenant_set_sees_no_tenant_row(world, backend):
    for table in tenant_models():
        assert _count(table) == 0, table


def test_one_mechanism_never_sees_another(world, backend):
    alpha = world.mechanisms["alpha"]
    for table in (
        "bodies",
        "memberships",
        "job_outputs",
        "people",
        "rule_versions",
        "audit_events",
        "job_runs",
    ):
        rows = _as_app(f"SELECT mechanism_id FROM {table}", alpha.id)  # noqa: S608
        seen = {r.mechanism_id for r in rows}
        assert seen == {alpha.id}, table


def test_one_body_never_reads_another_bodys_own_rows(world, backend):
    alpha, a1, a2 = world.mechanisms["alpha"], world.bodies["a1"], world.bodies["a2"]
    as_a2 = {"mechanism_id": alpha.id, "body_id": a2.id, "layer": "body"}
    for table in (
        "people",
        "memberships",
        "job_outputs",
        "notices",
        "people_imports",
        "rule_versions",
        "rule_sections",
        "rule_comments",
        "charter_comments",
        "charter_adoptions",
        "audit_events",
        "job_runs",
    ):
        rows = _as_app(f"SELECT body_id FROM {table}", **as_a2)  # noqa: S608
        assert rows and {r.body_id for r in rows} == {a2.id}, table
    # the coordinator's draft of a charter, and the answers to other bodies
    states = {r.state for r in _as_app("SELECT state FROM charter_versions", **as_a2)}
    assert states == {"adopted", "consultation"}
    # a1 makes its rules in force public: a2 reads that version, and only it
    _as_app(
        "UPDATE rule_versions SET audience = 'public' WHERE id = :v",
        alpha.id,
        v=world.rules["a1"]["rule_adopted"],
    )
    shared = _as_app("SELECT id FROM rule_versions WHERE body_id = :b", **as_a2, b=a1.id)
    assert [r.id for r in shared] == [world.rules["a1"]["rule_adopted"]]
    sections = _as_app("SELECT version_id FROM rule_sections WHERE body_id = :b", **as_a2, b=a1.id)
    assert {r.version_id for r in sections} == {world.rules["a1"]["rule_adopted"]}


def test_the_coordinator_reads_what_bodies_share_and_counts_the_rest(world, backend):
    alpha, a1, a2 = world.mechanisms["alpha"], world.bodies["a1"], world.bodies["a2"]
    coordination = {"mechanism_id": alpha.id, "body_id": a1.id, "layer": "coordination"}
    comments = _as_app("SELECT body_id FROM charter_comments", **coordination)
    assert {r.body_id for r in comments} == {a1.id, a2.id}
    adoptions = _as_app("SELECT body_id FROM charter_adoptions", **coordination)
    assert {r.body_id for r in adoptions} == {a1.id, a2.id}
    for table in (
        "people",
        "rule_versions",
        "rule_comments",
        "notices",
        "memberships",
        "audit_events",
        "job_runs",
    ):
        rows = _as_app(f"SELECT body_id FROM {table}", **coordination)  # noqa: S608
        assert {r.body_id for r in rows} == {a1.id}, table
    counted = _as_app("SELECT body_id FROM people", **coordination, counting="on")
    assert {r.body_id for r in counted} == {a1.id, a2.id}
    # counting is for the coordination layer only
    assert {
        r.body_id
        for r in _as_app(
            "SELECT body_id FROM people", alpha.id, body_id=a2.id, layer="body", counting="on"
        )
    } == {a2.id}


def test_the_public_reads_public_rows_only(world, backend):
    alpha = world.mechanisms["alpha"]
    public = {"mechanism_id": alpha.id, "layer": "public"}
    assert _count("bodies", **public) == 2
    for table in ("people", "rule_versions", "rule_comments", "charter_comments", "memberships"):
        assert _count(table, **public) == 0, table
    assert _count("charter_versions", **public) == 0  # internal, all of them
    _as_app(
        "UPDATE charter_versions SET audience = 'public' WHERE id = :v",
        alpha.id,
        v=world.charters["alpha"]["charter_published"],
    )
    assert _count("charter_versions", **public) == 1
    assert _count("charter_sections", **public) == 1


def test_the_operator_reads_provisioning_rows_only(world, backend):
    platform = {"mechanism_id": world.mechanisms["alpha"].id, "layer": "platform"}
    assert _count("bodies", **platform) == 2
    assert _count("memberships", **platform) == 10
    for table in (
        "people",
        "rule_versions",
        "charter_versions",
        "job_outputs",
        "notices",
        "audit_events",
        "job_runs",
    ):
        assert _count(table, **platform) == 0, table


def test_a_user_sees_their_own_memberships_across_mechanisms(world, backend):
    user = world.users[world.account("a1", "admin")]
    rows = _as_app("SELECT mechanism_id, user_id FROM memberships", None, user.id)
    assert {r.user_id for r in rows} == {user.id}
    bodies = _as_app("SELECT slug FROM bodies", None, user.id)
    assert {b.slug for b in bodies} == {"a1"}


def test_a_tenant_reads_the_accounts_of_its_mechanism_and_its_own(world, backend):
    alpha = world.mechanisms["alpha"]
    user = world.users[world.account("b1", "member")]
    rows = _as_app("SELECT email FROM users", alpha.id, body_id=world.bodies["a2"].id, layer="body")
    emails = {r.email for r in rows}
    assert world.account("a1", "admin") in emails and user.email not in emails
    assert _as_app("SELECT email FROM users", alpha.id, layer="public") == []
    own = _as_app("SELECT email FROM users", alpha.id, user.id, layer="public")
    assert [r.email for r in own] == [user.email]
    assert len(_as_app("SELECT email FROM users")) == len(world.users) + 4  # no tenant: sign-in


def test_writes_into_another_mechanism_or_body_are_refused(world, backend):
    alpha, beta = world.mechanisms["alpha"], world.mechanisms["beta"]
    a1, a2, b1 = world.bodies["a1"], world.bodies["a2"], world.bodies["b1"]
    for mechanism_id, body_id in ((beta.id, b1.id), (alpha.id, a1.id)):
        with pytest.raises(sa.exc.ProgrammingError, match="row-level security"):
            _as_app(
                "INSERT INTO notices (id, mechanism_id, body_id, user_id, kind, params, link,"
                " created_at) VALUES (:id, :m, :b, :u, 'x', '{}', '', now())",
                alpha.id,
                body_id=a2.id,
                layer="body",
                id=uuid.uuid4(),
                m=mechanism_id,
                b=body_id,
                u=world.operator.id,
            )
    # updates and deletes of other tenants' rows touch nothing
    as_a2 = {"mechanism_id": alpha.id, "body_id": a2.id, "layer": "body"}
    assert _as_app("UPDATE people SET name = 'x' WHERE body_id <> :b", **as_a2, b=a2.id) == []
    with raw_sql("tests of the database's own wall"), db.engine.connect() as conn, conn.begin():
        for name, value in zip(SETTINGS, (str(alpha.id), str(a2.id), "body", "", ""), strict=True):
            conn.execute(sa.text("SELECT set_config(:k, :v, true)"), {"k": name, "v": value})
        for sql in (
            "UPDATE people SET name = 'x' WHERE body_id = :other",
            "DELETE FROM job_outputs WHERE body_id = :other",
            "UPDATE bodies SET name = 'x' WHERE id = :other",
            "UPDATE charter_versions SET number = 9",
        ):
            assert conn.execute(sa.text(sql), {"other": a1.id}).rowcount == 0, sql
    # the coordination layer writes none of a body's rows either
    coordination = {"mechanism_id": alpha.id, "body_id": a1.id, "layer": "coordination"}
    changed = _as_app(
        "UPDATE charter_comments SET text = 'x' WHERE body_id = :b RETURNING id",
        **coordination,
        b=a2.id,
    )
    assert changed == []  # it reads them, and cannot change them


def test_moving_a_row_to_another_mechanism_or_body_is_refused(world, backend):
    alpha, beta, a1 = world.mechanisms["alpha"], world.mechanisms["beta"], world.bodies["a1"]
    with pytest.raises(sa.exc.ProgrammingError, match="row-level security"):
        _as_app("UPDATE job_outputs SET mechanism_id = :b", alpha.id, b=beta.id)
    with pytest.raises(sa.exc.ProgrammingError, match="row-level security"):
        _as_app(
            "UPDATE notices SET body_id = :other",
            alpha.id,
            body_id=world.bodies["a2"].id,
            layer="body",
            other=a1.id,
        )


def test_audit_events_cannot_be_changed_or_deleted(world, backend):
    alpha = world.mechanisms["alpha"]
    for table, tenant in (("audit_events", alpha.id), ("platform_audit_events", None)):
        for sql in (f"UPDATE {table} SET summary = 'x'", f"DELETE FROM {table}"):  # noqa: S608
            with pytest.raises(sa.exc.ProgrammingError, match="permission denied"):
                _as_app(sql, tenant)


def test_the_setting_does_not_outlive_its_transaction(world, backend):
    alpha = world.mechanisms["alpha"]
    with raw_sql("tests of the database's own wall"), db.engine.connect() as conn:
        with conn.begin():
            for name, value in zip(SETTINGS, (str(alpha.id), "", "job", "", ""), strict=True):
                conn.execute(sa.text("SELECT set_config(:k, :v, true)"), {"k": name, "v": value})
            assert conn.execute(sa.text("SELECT count(*) FROM bodies")).scalar() == 2
        with conn.begin():
            assert conn.execute(sa.text("SELECT count(*) FROM bodies")).scalar() == 0


def test_the_orm_hands_the_tenant_to_the_database(world, backend):
    """Through the application's session, a raw query sees what the tenant may."""
    alpha, a1 = world.mechanisms["alpha"], world.bodies["a1"]
    db.session.rollback()
    with raw_sql("tests of the database's own wall"):
        with tenant_scope(alpha.id, a1.id, layer=Layer.BODY):
            raw = db.session.execute(sa.text("SELECT DISTINCT mechanism_id FROM bodies")).all()
            assert raw == [(alpha.id,)]
            people = db.session.execute(sa.text("SELECT DISTINCT body_id FROM people")).all()
            assert people == [(a1.id,)]
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
    with raw_sql("tests of the database's own wall"):
        assert db.session.execute(sa.text("SELECT count(*) FROM bodies")).scalar() == 0
        for name in SETTINGS:
            setting = db.session.execute(sa.text("SELECT current_setting(:k, true)"), {"k": name})
            assert setting.scalar() in ("", None), name
    with tenant_scope(alpha.id, layer=Layer.PLATFORM), acting_user(None):
        assert db.session.scalar(sa.select(sa.func.count(Membership.id))) == 10


def test_platform_rows_are_the_platforms_alone(world, backend):
    """Rows of no tenant are read and written with no tenant set (sign-in) or
    by the operator's platform layer; never by a tenant's own layers."""
    alpha, a1 = world.mechanisms["alpha"], world.bodies["a1"]
    insert = "INSERT INTO platform_audit_events (occurred_at, action, summary)"
    _as_app(f"{insert} VALUES (now(), 'p', 'x')")
    _as_app(
        "INSERT INTO platform_job_runs (id, name, params, state, progress, message, attempts,"
        " created_at) VALUES (:id, 'p', '{}', 'queued', 0, '', 0, now())",
        id=uuid.uuid4(),
    )
    for table in PLATFORM_TABLES:
        assert _count(table) == 1, table
        assert _count(table, mechanism_id=alpha.id, layer="platform") == 1, table
        for layer in ("body", "coordination", "job", "public"):
            tenant = {"mechanism_id": alpha.id, "body_id": a1.id, "layer": layer}
            assert _count(table, **tenant) == 0, (table, layer)
    as_a1 = {"mechanism_id": alpha.id, "body_id": a1.id, "layer": "body"}
    with pytest.raises(sa.exc.ProgrammingError, match="row-level security"):
        _as_app(f"{insert} VALUES (now(), 'forged', 'x')", **as_a1)
    assert _as_app("UPDATE platform_job_runs SET message = 'x' RETURNING id", **as_a1) == []


def test_the_operator_adds_to_a_bodys_trail_and_reads_none_of_it(world, backend):
    alpha, a1, a2 = world.mechanisms["alpha"], world.bodies["a1"], world.bodies["a2"]
    insert = (
        "INSERT INTO audit_events (id, mechanism_id, body_id, occurred_at, action, summary)"
        " VALUES (:id, :m, :b, now(), 'membership.create', 'x')"
    )
    platform = {"mechanism_id": alpha.id, "layer": "platform"}
    _as_app(insert, **platform, id=uuid.uuid4(), m=alpha.id, b=a1.id)
    assert _count("audit_events", **platform) == 0
    with pytest.raises(sa.exc.ProgrammingError, match="row-level security"):
        _as_app(insert, **platform, id=uuid.uuid4(), m=world.mechanisms["beta"].id, b=None)
    # a body writes its own trail only
    as_a2 = {"mechanism_id": alpha.id, "body_id": a2.id, "layer": "body"}
    with pytest.raises(sa.exc.ProgrammingError, match="row-level security"):
        _as_app(insert, **as_a2, id=uuid.uuid4(), m=alpha.id, b=a1.id)
    as_a1 = {"mechanism_id": alpha.id, "body_id": a1.id, "layer": "body"}
    actions = {r.action for r in _as_app("SELECT action FROM audit_events", **as_a1)}
    assert "membership.create" in actions


def test_a_users_own_rows_are_read_only_across_mechanisms(world, backend):
    beta = world.mechanisms["beta"]
    user = world.users[world.account("a1", "admin")]
    as_beta = {"mechanism_id": beta.id, "user_id": user.id}
    mine = _as_app("SELECT count(*) FROM memberships WHERE user_id = :u", **as_beta, u=user.id)
    assert mine[0][0] == 1  # visible...
    deleted = _as_app(
        "DELETE FROM memberships WHERE user_id = :u RETURNING id", **as_beta, u=user.id
    )
    updated = _as_app("UPDATE bodies SET name = 'x' WHERE slug = 'a1' RETURNING id", **as_beta)
    assert deleted == [] and updated == []  # ...but not writable from beta


def test_the_tenant_reaches_streamed_queries_too(world, backend):
    """A server-side cursor's statement is only declared: the setting goes
    through a plain cursor of its own."""
    alpha, beta = world.mechanisms["alpha"], world.mechanisms["beta"]
    from app.audit.models import AuditEvent

    db.session.rollback()
    with tenant_scope(alpha.id, layer=Layer.PLATFORM):
        assert db.session.scalar(sa.select(sa.func.count(Body.id))) == 2
        with tenant_scope(beta.id, layer=Layer.JOB):
            streamed = db.session.scalars(
                sa.select(AuditEvent.mechanism_id).execution_options(yield_per=10)
            ).all()
    assert streamed and set(streamed) == {beta.id}
    db.session.rollback()
    with tenant_scope(beta.id, layer=Layer.JOB):
        first = db.session.scalars(
            sa.select(AuditEvent.mechanism_id).execution_options(yield_per=10)
        ).all()
    assert first and set(first) == {beta.id}
    db.session.rollback()
