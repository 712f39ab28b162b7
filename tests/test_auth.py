"""Signing in and out, mailed links (invitations, resets), sessions."""

from __future__ import annotations

import logging
import re
from datetime import timedelta

import pytest
import sqlalchemy as sa

from app.audit.models import PlatformAuditEvent
from app.auth.models import UserSession
from app.auth.passwords import hash_password, verify_password
from app.extensions import db
from tenants import provisioning, tenant_scope
from tenants.context import Layer
from tenants.models import Membership, utcnow
from tests.support import PASSWORD, add_member, login, make_body, make_mechanism, make_user

GOOD_PASSWORD = "plum harbour violin sketch"


def test_sign_in_and_out(app, client):
    make_user("ann@example.org")
    response = client.post("/login", data={"email": " ANN@example.org ", "password": PASSWORD})
    assert response.status_code == 302 and response.headers["Location"] == "/"
    assert client.get("/").status_code == 200
    assert client.get("/logout").status_code == 405  # never on GET
    assert client.post("/logout").status_code == 302
    response = client.get("/")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_a_wrong_password_or_unknown_address_gets_the_same_answer(app, client):
    make_user("ann@example.org")
    wrong = client.post("/login", data={"email": "ann@example.org", "password": "nope"})
    unknown = client.post("/login", data={"email": "bob@example.org", "password": "nope"})
    assert wrong.status_code == unknown.status_code == 200
    message = "The e-mail address or the password is not right."
    assert message in wrong.get_data(as_text=True)
    assert message in unknown.get_data(as_text=True)
    assert 'value="ann@example.org"' in wrong.get_data(as_text=True)  # input kept


def test_a_disabled_account_cannot_sign_in(app, client):
    make_user("ann@example.org", active=False)
    response = client.post("/login", data={"email": "ann@example.org", "password": PASSWORD})
    assert response.status_code == 200


def test_sign_in_only_returns_to_same_site_paths(app, client):
    make_user("ann@example.org")
    for target, expected in (
        ("/account", "/account"),
        ("https://evil.example/", "/"),
        ("//evil.example/", "/"),
        ("javascript:alert(1)", "/"),
        ("/\\evil.example/", "/"),
        ("/\t/evil.example", "/"),
    ):
        c = app.test_client()
        response = c.post(
            "/login",
            query_string={"next": target},
            data={"email": "ann@example.org", "password": PASSWORD},
        )
        assert response.headers["Location"] == expected, target


def test_sign_in_and_failures_are_audited(app, client, owner_engine):
    make_user("ann@example.org")
    client.post("/login", data={"email": "ann@example.org", "password": "wrong"})
    login(client, "ann@example.org")
    client.post("/logout")
    with owner_engine.connect() as conn:
        actions = list(
            conn.scalars(sa.select(PlatformAuditEvent.action).order_by(PlatformAuditEvent.id))
        )
    assert actions == ["auth.login_failed", "auth.login", "auth.logout"]


def test_passwords_are_argon2id_and_upgraded_when_parameters_change(app):
    user = make_user("ann@example.org")
    assert user.password_hash.startswith("$argon2id$")
    from argon2 import PasswordHasher

    user.password_hash = PasswordHasher(time_cost=1, memory_cost=8192).hash("old enough pass")
    assert verify_password(user, "old enough pass")
    assert "m=8192" not in user.password_hash  # rehashed with today's parameters
    assert not verify_password(user, "another password")
    assert not verify_password(None, "anything at all")
    assert hash_password("same words here") != hash_password("same words here")


# --- sessions ---------------------------------------------------------------------


def test_each_sign_in_gets_a_new_session_identifier(app, client):
    make_user("ann@example.org")
    login(client, "ann@example.org")
    first = client.get_cookie("concert_session").value
    client.post("/logout")
    login(client, "ann@example.org")
    assert client.get_cookie("concert_session").value != first
    assert db.session.scalar(sa.select(sa.func.count(UserSession.id))) == 2


def test_a_cookie_captured_before_sign_out_is_refused_afterwards(app, client):
    make_user("ann@example.org")
    login(client, "ann@example.org")
    stolen = client.get_cookie("concert_session").value
    client.post("/logout")
    thief = app.test_client()
    thief.set_cookie("concert_session", stolen)
    response = thief.get("/account")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_sessions_end_when_idle_and_after_their_lifetime(app, client):
    make_user("ann@example.org")
    login(client, "ann@example.org")
    row = db.session.scalars(sa.select(UserSession)).one()
    row.last_seen_at = utcnow() - timedelta(minutes=31)
    db.session.commit()
    assert client.get("/account").status_code == 302
    login(client, "ann@example.org")
    row = db.session.scalars(
        sa.select(UserSession)
        .where(UserSession.revoked_at.is_(None))
        .order_by(UserSession.created_at.desc())
    ).first()
    row.created_at = utcnow() - timedelta(hours=12, minutes=1)
    db.session.commit()
    assert client.get("/account").status_code == 302


def test_session_cookies_are_locked_down(make_app, monkeypatch):
    app = make_app()
    with app.app_context():
        make_user("ann@example.org")
    client = app.test_client()
    response = client.post("/login", data={"email": "ann@example.org", "password": PASSWORD})
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    monkeypatch.setenv("CONCERT_ENV", "production")
    production = make_app(SECRET_KEY="x" * 32)
    assert production.config["SESSION_COOKIE_NAME"] == "__Host-concert"
    assert production.config["SESSION_COOKIE_SECURE"] is True


def test_disabling_an_account_ends_its_access_at_once(app, client):
    user = make_user("ann@example.org")
    login(client, "ann@example.org")
    assert client.get("/account").status_code == 200
    user.active = False
    db.session.commit()
    response = client.get("/account")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_removing_a_membership_ends_access_to_the_body_at_once(app, client):
    alpha = make_mechanism("alpha")
    body = make_body(alpha, "a1", kind="other")
    second = make_body(alpha, "a2")  # a1 coordinates: two-factor required there
    membership = add_member(make_user("ann@example.org"), alpha, second, "member")
    login(client, "ann@example.org")
    assert client.get("/m/alpha/b/a2/").status_code == 200
    with tenant_scope(alpha.id, layer=Layer.PLATFORM):
        db.session.delete(membership)
        db.session.commit()
    assert client.get("/m/alpha/b/a2/").status_code == 404
    assert body.slug == "a1"


# --- mailed links -----------------------------------------------------------------


def _mailed_link(caplog, kind: str) -> str:
    match = re.findall(rf"http://\S+/{kind}/\S+", caplog.text)
    assert match, caplog.text
    return match[-1].replace("http://127.0.0.1:5000", "")


def test_an_invitation_sets_the_password_once(app, client, caplog):
    alpha = make_mechanism("alpha")
    make_body(alpha, "a1")
    make_body(alpha, "a2")
    caplog.set_level(logging.INFO, logger="concert.mail")
    provisioning.invite_user(
        mechanism_slug="alpha", body_slug="a2", email="new@example.org", role="editor"
    )
    link = _mailed_link(caplog, "invitation")
    assert client.get(link).status_code == 200
    short = client.post(link, data={"password": "short", "confirm": "short"})
    assert short.status_code == 422 and "at least 12 characters" in short.get_data(as_text=True)
    response = client.post(link, data={"password": GOOD_PASSWORD, "confirm": GOOD_PASSWORD})
    assert response.status_code == 302
    assert client.get("/m/alpha/b/a2/").status_code == 200  # signed in, a member
    again = app.test_client().get(link)
    assert again.status_code == 400 and "no longer works" in again.get_data(as_text=True)


def test_guessable_passwords_are_refused_with_a_reason(app, client, caplog):
    make_body(make_mechanism("alpha"), "a1")
    caplog.set_level(logging.INFO, logger="concert.mail")
    provisioning.invite_user(
        mechanism_slug="alpha",
        body_slug="a1",
        email="maria.lopez@example.org",
        role="member",
        display_name="Maria Lopez",
    )
    link = _mailed_link(caplog, "invitation")
    for weak in ("password1234", "qwertyuiop123", "maria.lopez@example.org", "aaaaaaaaaaaaaaa"):
        response = client.post(link, data={"password": weak, "confirm": weak})
        assert response.status_code == 422, weak
        assert "too easy to guess" in response.get_data(as_text=True)
    long = "x" * 129
    response = client.post(link, data={"password": long, "confirm": long})
    assert "at most 128" in response.get_data(as_text=True)


def test_inviting_again_replaces_the_earlier_link(app, client, caplog):
    alpha = make_mechanism("alpha")
    make_body(alpha, "a1")
    caplog.set_level(logging.INFO, logger="concert.mail")
    invitation = provisioning.invite_user(
        mechanism_slug="alpha", body_slug="a1", email="new@example.org", role="member"
    )
    first = _mailed_link(caplog, "invitation")
    from app.accounts.services import resend_invitation

    with tenant_scope(alpha.id, invitation.membership.body_id, layer=Layer.BODY):
        resend_invitation(Membership.get_scoped(invitation.membership.id), None)
    second = _mailed_link(caplog, "invitation")
    assert first != second
    assert client.get(first).status_code == 400
    assert client.get(second).status_code == 200


def test_an_expired_or_forged_link_is_refused(app, client, caplog):
    alpha = make_mechanism("alpha")
    make_body(alpha, "a1")
    caplog.set_level(logging.INFO, logger="concert.mail")
    provisioning.invite_user(
        mechanism_slug="alpha", body_slug="a1", email="new@example.org", role="member"
    )
    link = _mailed_link(caplog, "invitation")
    assert client.get(link + "x").status_code == 400
    assert client.get("/reset-password/" + link.rsplit("/", 1)[1]).status_code == 400  # purpose
    from app.auth.models import AccountToken

    token = db.session.scalars(sa.select(AccountToken)).one()
    token.expires_at = utcnow() - timedelta(seconds=1)
    db.session.commit()
    response = client.get(link)
    assert response.status_code == 400 and "no longer works" in response.get_data(as_text=True)


def test_an_invitee_without_a_password_gets_a_link_from_every_invitation(app, caplog):
    alpha = make_mechanism("alpha")
    make_body(alpha, "a1")
    make_body(alpha, "a2")
    caplog.set_level(logging.INFO, logger="concert.mail")
    provisioning.invite_user(
        mechanism_slug="alpha", body_slug="a1", email="new@example.org", role="member"
    )
    caplog.clear()
    provisioning.invite_user(
        mechanism_slug="alpha", body_slug="a2", email="new@example.org", role="member"
    )
    assert "/invitation/" in caplog.text


def test_reset_answers_alike_for_known_and_unknown_addresses(app, client, caplog):
    make_user("ann@example.org")
    caplog.set_level(logging.INFO, logger="concert.mail")
    known = client.post("/reset-password", data={"email": "ann@example.org"})
    unknown = client.post("/reset-password", data={"email": "nobody@example.org"})
    assert known.status_code == unknown.status_code == 302
    assert known.headers["Location"] == unknown.headers["Location"]
    follow = client.get(known.headers["Location"]).get_data(as_text=True)
    assert "If an account uses this address" in follow
    assert caplog.text.count("/reset-password/") == 1  # only the real account got mail


def test_a_reset_changes_the_password_and_ends_every_session(app, client, caplog):
    make_user("ann@example.org")
    other = app.test_client()
    login(other, "ann@example.org")
    caplog.set_level(logging.INFO, logger="concert.mail")
    client.post("/reset-password", data={"email": "ann@example.org"})
    link = _mailed_link(caplog, "reset-password")
    response = client.post(link, data={"password": GOOD_PASSWORD, "confirm": GOOD_PASSWORD})
    assert response.status_code == 302
    assert other.get("/account").status_code == 302  # signed out elsewhere
    assert client.get(link).status_code == 400  # used
    login(app.test_client(), "ann@example.org", GOOD_PASSWORD)


@pytest.mark.parametrize("path", ["/account", "/", "/operator/", "/account/sessions"])
def test_pages_for_accounts_need_sign_in(app, client, path):
    response = client.get(path)
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_odd_input_never_breaks_sign_in(app, client):
    make_user("ann@example.org")
    for email in ("ann\x00@example.org", "\x00", "a" * 5000):
        response = client.post("/login", data={"email": email, "password": "x"})
        assert response.status_code in (200, 422), email
    assert client.post("/reset-password", data={"email": "a\x00b@example.org"}).status_code in (
        302,
        422,
    )
    response = client.post(
        "/login?next=//[x", data={"email": "ann@example.org", "password": PASSWORD}
    )
    assert response.status_code == 302 and response.headers["Location"] == "/"
