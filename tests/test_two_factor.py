"""Two-factor sign-in: codes, replay, recovery codes, who must use it,
resets by an administrator."""

from __future__ import annotations

import re
import time

import pyotp
import pytest
import sqlalchemy as sa

from app.audit.models import AuditEvent, PlatformAuditEvent
from app.auth import two_factor
from app.extensions import db
from tenants.models import User
from tests.support import PASSWORD, add_member, login, make_body, make_mechanism, make_user


def _password_step(client, email="ann@example.org"):
    response = client.post("/login", data={"email": email, "password": PASSWORD})
    assert response.headers["Location"] == "/login/code"


def _user(email="ann@example.org") -> User:
    db.session.expire_all()
    return db.session.scalars(sa.select(User).where(User.email == email)).one()


def test_an_enrolled_account_needs_its_code(app, client):
    user = make_user("ann@example.org", two_factor=True)
    _password_step(client)
    # half-way is not signed in
    assert client.get("/account").status_code == 302
    wrong = client.post("/login/code", data={"code": "000000"})
    assert wrong.status_code == 422 and "not right" in wrong.get_data(as_text=True)
    code = pyotp.TOTP(user.totp_secret).now()
    assert client.post("/login/code", data={"code": code}).status_code == 302
    assert client.get("/account").status_code == 200


def test_a_code_is_refused_when_replayed(app, client):
    user = make_user("ann@example.org", two_factor=True)
    code = pyotp.TOTP(user.totp_secret).now()
    _password_step(client)
    assert client.post("/login/code", data={"code": code}).status_code == 302
    other = app.test_client()
    _password_step(other)
    replay = other.post("/login/code", data={"code": code})
    assert replay.status_code == 422 and "already used" in replay.get_data(as_text=True)


def test_codes_one_step_off_are_accepted_for_clock_drift(app):
    secret = pyotp.random_base32()
    totp = pyotp.TOTP(secret)

    now = time.time()
    assert two_factor.code_is_valid(secret, totp.at(now - 30)) is not None
    assert two_factor.code_is_valid(secret, totp.at(now + 30)) is not None
    assert two_factor.code_is_valid(secret, totp.at(now - 120)) is None
    assert two_factor.code_is_valid(secret, "12345") is None
    assert two_factor.code_is_valid(secret, "abcdef") is None


def test_recovery_codes_work_once_and_are_stored_hashed(app, client, owner_engine):
    user = make_user("ann@example.org", two_factor=True)
    codes = two_factor.issue_recovery_codes(user)
    db.session.commit()
    assert len(codes) == 10 and len(set(codes)) == 10
    with owner_engine.connect() as conn:
        stored = set(conn.scalars(sa.text("SELECT code_hash FROM recovery_codes")))
    assert not set(codes) & stored
    _password_step(client)
    assert client.post("/login/code", data={"code": codes[0].upper()}).status_code == 302
    other = app.test_client()
    _password_step(other)
    assert other.post("/login/code", data={"code": codes[0]}).status_code == 422
    with owner_engine.connect() as conn:
        actions = set(conn.scalars(sa.select(PlatformAuditEvent.action)))
    assert "auth.recovery_code_used" in actions


def test_a_reset_password_does_not_skip_the_second_factor(app, client, caplog):
    import logging

    user = make_user("ann@example.org", two_factor=True)
    caplog.set_level(logging.INFO, logger="concert.mail")
    client.post("/reset-password", data={"email": "ann@example.org"})
    link = re.search(r"http://\S+(/reset-password/\S+)", caplog.text).group(1)
    response = client.post(
        link,
        data={"password": "plum harbour violin sketch", "confirm": "plum harbour violin sketch"},
    )
    assert response.headers["Location"] == "/login"
    assert client.get("/account").status_code == 302  # not signed in
    r = client.post(
        "/login", data={"email": "ann@example.org", "password": "plum harbour violin sketch"}
    )
    assert r.headers["Location"] == "/login/code"
    assert user.totp_secret == _user().totp_secret


@pytest.fixture
def mechanism(app):
    alpha = make_mechanism("alpha")
    coordinator = make_body(alpha, "coord")
    plain = make_body(alpha, "plain")
    return alpha, coordinator, plain


def test_who_must_use_a_second_factor(app, mechanism):
    alpha, coordinator, plain = mechanism
    cases = {
        "admin@example.org": (plain, "admin", True),
        "coordinator-member@example.org": (coordinator, "member", True),
        "plain-member@example.org": (plain, "member", False),
    }
    for email, (body, role, required) in cases.items():
        add_member(make_user(email), alpha, body, role)
        client = app.test_client()
        login(client, email)
        response = client.get("/m/alpha/b/plain/" if body is plain else "/m/alpha/b/coord/")
        if required:
            assert response.headers["Location"] == "/account/two-factor", email
        else:
            assert response.status_code == 200, email


def test_an_administrator_can_require_it_for_the_whole_body(app, mechanism):
    alpha, _coordinator, plain = mechanism
    add_member(make_user("boss@example.org", two_factor=True), alpha, plain, "admin")
    add_member(make_user("staff@example.org"), alpha, plain, "member")
    admin = app.test_client()
    login(admin, "boss@example.org")
    assert (
        admin.post(
            "/m/alpha/b/plain/accounts/two-factor-policy", data={"requires_two_factor": "y"}
        ).status_code
        == 302
    )
    staff = app.test_client()
    login(staff, "staff@example.org")
    assert staff.get("/m/alpha/b/plain/").headers["Location"] == "/account/two-factor"
    # until enrolled, nothing else opens; the enrolment page and sign-out do
    assert staff.get("/account/two-factor").status_code == 200
    assert staff.post("/logout").status_code == 302


def test_enrolment_needs_a_right_code_and_shows_recovery_codes_once(app, client):
    make_user("ann@example.org")
    login(client, "ann@example.org")
    page = client.get("/account/two-factor").get_data(as_text=True)
    secret = re.search(r'<code class="secret">([A-Z2-7]+)</code>', page).group(1)
    assert 'src="data:image/svg+xml' in page  # the QR code, drawn here
    assert (
        client.post("/account/two-factor", data={"code": "123456", "current": PASSWORD}).status_code
        == 422
    )
    no_password = client.post(
        "/account/two-factor", data={"code": pyotp.TOTP(secret).now(), "current": "wrong"}
    )
    assert no_password.status_code == 422 and not _user().has_two_factor
    done = client.post(
        "/account/two-factor",
        data={"code": pyotp.TOTP(secret).at(time.time() + 30), "current": PASSWORD},
    )
    codes = re.findall(r"<li><code>([a-z0-9-]+)</code></li>", done.get_data(as_text=True))
    assert len(codes) == 10
    assert _user().totp_secret == secret
    assert "Unused recovery codes: 10" in client.get("/account/two-factor").get_data(as_text=True)


def test_an_optional_second_factor_can_be_turned_off_with_the_password(app, client):
    make_user("ann@example.org", two_factor=True)
    login(client, "ann@example.org")
    client.post("/account/two-factor/off", data={"current": "wrong password"})
    assert _user().has_two_factor
    client.post("/account/two-factor/off", data={"current": PASSWORD})
    assert not _user().has_two_factor


def test_a_required_second_factor_cannot_be_turned_off(app, mechanism, client):
    alpha, coordinator, _plain = mechanism
    add_member(make_user("ann@example.org", two_factor=True), alpha, coordinator, "member")
    login(client, "ann@example.org")
    response = client.post("/account/two-factor/off", data={"current": PASSWORD})
    assert "cannot be turned off" in client.get(response.headers["Location"]).get_data(as_text=True)
    assert _user().has_two_factor


def test_an_administrator_resets_a_lost_device(app, mechanism, caplog, owner_engine):
    import logging

    alpha, _coordinator, plain = mechanism
    add_member(make_user("boss@example.org", two_factor=True), alpha, plain, "admin")
    staff = add_member(make_user("staff@example.org", two_factor=True), alpha, plain, "member")
    staff_client = app.test_client()
    login(staff_client, "staff@example.org")
    admin = app.test_client()
    login(admin, "boss@example.org")
    caplog.set_level(logging.INFO, logger="concert.mail")
    admin.post(f"/m/alpha/b/plain/accounts/{staff.id}/two-factor-reset")
    assert not _user("staff@example.org").has_two_factor
    assert staff_client.get("/account").status_code == 302  # its sessions ended
    assert "reset the two-factor sign-in" in caplog.text
    with owner_engine.connect() as conn:
        assert "account.two_factor_reset" in set(conn.scalars(sa.select(AuditEvent.action)))


def test_one_body_cannot_reset_the_second_factor_of_an_account_shared_with_others(app):
    alpha, beta = make_mechanism("alpha"), make_mechanism("beta")
    a1, b1 = make_body(alpha, "a1"), make_body(beta, "b1")
    add_member(make_user("boss@example.org", two_factor=True), beta, b1, "admin")
    victim = make_user("victim@example.org", two_factor=True)
    add_member(victim, alpha, a1, "admin")
    # beta's administrator adds alpha's administrator to b1, then tries a reset
    planted = add_member(victim, beta, b1, "member")
    admin = app.test_client()
    login(admin, "boss@example.org")
    response = admin.post(f"/m/beta/b/b1/accounts/{planted.id}/two-factor-reset")
    page = admin.get(response.headers["Location"]).get_data(as_text=True)
    assert "ask the platform operator" in page
    assert _user("victim@example.org").has_two_factor


def test_the_operator_resets_and_disables_accounts_from_the_command_line(app, cli, client):
    make_user("ann@example.org", two_factor=True)
    login(client, "ann@example.org")
    result = cli.invoke(args=["operator", "reset-two-factor", "--email", "ann@example.org"])
    assert result.exit_code == 0 and not _user().has_two_factor
    assert client.get("/account").status_code == 302
    result = cli.invoke(args=["operator", "disable-account", "--email", "ann@example.org"])
    assert result.exit_code == 0 and not _user().active
    assert (
        app.test_client()
        .post("/login", data={"email": "ann@example.org", "password": PASSWORD})
        .status_code
        == 200
    )
    result = cli.invoke(args=["operator", "disable-account", "--email", "nobody@example.org"])
    assert result.exit_code != 0 and "no account" in result.output


def test_the_session_identifier_changes_once_the_code_is_accepted(app, client):
    user = make_user("ann@example.org", two_factor=True)
    _password_step(client)
    half_way = client.get_cookie("concert_session").value
    client.post("/login/code", data={"code": pyotp.TOTP(user.totp_secret).now()})
    assert client.get("/account").status_code == 200
    thief = app.test_client()
    thief.set_cookie("concert_session", half_way)
    assert thief.get("/account").status_code == 302


def test_the_key_being_set_up_never_travels_in_the_cookie(app, client):
    make_user("ann@example.org")
    login(client, "ann@example.org")
    page = client.get("/account/two-factor").get_data(as_text=True)
    secret = re.search(r'<code class="secret">([A-Z2-7]+)</code>', page).group(1)
    serializer = app.session_interface.get_signing_serializer(app)
    contents = serializer.loads(client.get_cookie("concert_session").value)
    assert secret not in str(contents)
    # the same session is offered the same key until it enrols
    again = client.get("/account/two-factor").get_data(as_text=True)
    assert secret in again
