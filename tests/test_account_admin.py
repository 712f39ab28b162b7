"""A body's administrators manage its accounts."""

from __future__ import annotations

import logging

import pytest
import sqlalchemy as sa

from app.audit.models import AuditEvent, PlatformAuditEvent
from app.extensions import db
from tenants import tenant_scope
from tenants.context import Layer
from tenants.models import Membership, Role
from tests.support import add_member, login, make_body, make_mechanism, make_user


@pytest.fixture
def body(app):
    alpha = make_mechanism("alpha")
    make_body(alpha, "coord")
    plain = make_body(alpha, "plain")
    admin = add_member(make_user("boss@example.org", two_factor=True), alpha, plain, "admin")
    staff = add_member(make_user("staff@example.org"), alpha, plain, "member")
    client = app.test_client()
    login(client, "boss@example.org")
    return {"alpha": alpha, "plain": plain, "admin": admin, "staff": staff, "client": client}


def _role(body, membership) -> Role | None:
    key = (body["alpha"].id, membership.id)
    db.session.expunge_all()
    with tenant_scope(key[0], layer=Layer.PLATFORM):
        found = db.session.get(Membership, key)
        return found.role if found else None


def test_administrators_invite_into_their_body(body, caplog):
    caplog.set_level(logging.INFO, logger="concert.mail")
    client = body["client"]
    assert client.get("/m/alpha/b/plain/accounts/invite").status_code == 200
    response = client.post(
        "/m/alpha/b/plain/accounts/invite", data={"email": "new@example.org", "role": "editor"}
    )
    assert response.status_code == 302
    assert "/invitation/" in caplog.text
    bad = client.post(
        "/m/alpha/b/plain/accounts/invite", data={"email": "staff@example.org", "role": "editor"}
    )
    assert bad.status_code == 422 and "already belongs" in bad.get_data(as_text=True)


def test_roles_change_and_the_last_administrator_stays(body, owner_engine):
    client = body["client"]
    client.post(f"/m/alpha/b/plain/accounts/{body['staff'].id}/role", data={"role": "editor"})
    assert _role(body, body["staff"]) is Role.EDITOR
    response = client.post(
        f"/m/alpha/b/plain/accounts/{body['admin'].id}/role", data={"role": "member"}
    )
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "at least one administrator" in page
    assert _role(body, body["admin"]) is Role.ADMIN
    client.post(f"/m/alpha/b/plain/accounts/{body['staff'].id}/role", data={"role": "boss"})
    assert _role(body, body["staff"]) is Role.EDITOR
    with owner_engine.connect() as conn:
        summaries = list(
            conn.scalars(
                sa.select(AuditEvent.summary).where(AuditEvent.action == "membership.role_change")
            )
        )
    assert summaries == ["staff@example.org: member → editor"]


def test_removing_an_account_from_the_body(body):
    client = body["client"]
    client.post(f"/m/alpha/b/plain/accounts/{body['staff'].id}/remove")
    assert _role(body, body["staff"]) is None
    client.post(f"/m/alpha/b/plain/accounts/{body['admin'].id}/remove")
    assert _role(body, body["admin"]) is Role.ADMIN


def test_resending_an_invitation_only_for_accounts_not_yet_in_use(body, caplog):
    client = body["client"]
    caplog.set_level(logging.INFO, logger="concert.mail")
    client.post(f"/m/alpha/b/plain/accounts/{body['staff'].id}/resend")
    assert "/invitation/" not in caplog.text  # staff already has a password
    client.post(
        "/m/alpha/b/plain/accounts/invite", data={"email": "new@example.org", "role": "member"}
    )
    caplog.clear()
    with tenant_scope(body["alpha"].id, layer=Layer.PLATFORM):
        invited = db.session.scalars(
            sa.select(Membership)
            .join(Membership.user)
            .where(Membership.role == Role.MEMBER, Membership.user_id != body["staff"].user_id)
        ).one()
    client.post(f"/m/alpha/b/plain/accounts/{invited.id}/resend")
    assert "/invitation/" in caplog.text


def test_members_see_accounts_without_the_controls(body, app):
    member = app.test_client()
    login(member, "staff@example.org")
    page = member.get("/m/alpha/b/plain/accounts/").get_data(as_text=True)
    assert "boss@example.org" in page and "Remove from the body" not in page
    assert member.post(f"/m/alpha/b/plain/accounts/{body['admin'].id}/remove").status_code == 403


def test_refused_looks_at_a_space_are_audited(body, app, owner_engine):
    outsider = app.test_client()
    make_user("out@example.org")
    login(outsider, "out@example.org")
    assert outsider.get("/m/alpha/b/plain/accounts/").status_code == 404
    member = app.test_client()
    login(member, "staff@example.org")
    assert member.get("/m/alpha/b/plain/audit/").status_code == 403
    with owner_engine.connect() as conn:
        # an outsider is refused before any tenant is set: a platform event
        rows = [
            row
            for model in (AuditEvent, PlatformAuditEvent)
            for row in conn.execute(
                sa.select(model.actor_email, model.summary).where(model.action == "access.refused")
            )
        ]
    assert ("out@example.org", "404 GET /m/alpha/b/plain/accounts/") in rows
    assert ("staff@example.org", "403 GET /m/alpha/b/plain/audit/") in rows


def test_a_pending_invitation_gives_no_say_over_the_account(body, app):
    alpha = body["alpha"]
    other = make_body(alpha, "other")
    outsider = make_user("outsider@example.org", two_factor=True)
    add_member(outsider, alpha, other, "member")
    from tenants import provisioning

    pending = provisioning.invite_user(
        mechanism_slug="alpha",
        body_slug="plain",
        email="outsider@example.org",
        role="member",
        notify=False,
    ).membership
    client = body["client"]
    response = client.post(f"/m/alpha/b/plain/accounts/{pending.id}/two-factor-reset")
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "no two-factor sign-in to reset" in page
    assert "outsider@example" in page and ">outsider<" not in page
    db.session.expire_all()
    assert db.session.get(type(outsider), outsider.id).has_two_factor


def test_a_pending_administrator_invitation_can_be_withdrawn(body):
    from tenants import provisioning

    pending = provisioning.invite_user(
        mechanism_slug="alpha",
        body_slug="plain",
        email="wrong@example.org",
        role="admin",
        notify=False,
    ).membership
    client = body["client"]
    client.post(f"/m/alpha/b/plain/accounts/{pending.id}/role", data={"role": "member"})
    assert _role(body, pending) is Role.MEMBER
    client.post(f"/m/alpha/b/plain/accounts/{pending.id}/remove")
    assert _role(body, pending) is None
