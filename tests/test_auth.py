"""Signing in and out, setting a password from an invitation, one's account."""

from __future__ import annotations

import logging
import re

import pytest
import sqlalchemy as sa

from app.audit.models import AuditEvent
from app.auth.passwords import hash_password, verify_password
from app.extensions import db
from tenants import provisioning
from tenants.models import User
from tests.support import PASSWORD, add_member, login, make_body, make_mechanism, make_user


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
        actions = list(conn.scalars(sa.select(AuditEvent.action).order_by(AuditEvent.id)))
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


def _invite_link(caplog) -> str:
    match = re.search(r"(http://\S+/set-password/\S+)", caplog.text)
    assert match, caplog.text
    return match.group(1).replace("http://127.0.0.1:5000", "")


def test_an_invitation_sets_the_password_once(app, client, caplog):
    alpha = make_mechanism("alpha")
    make_body(alpha, "a1")
    caplog.set_level(logging.INFO, logger="concert.mail")
    provisioning.invite_user(
        mechanism_slug="alpha", body_slug="a1", email="new@example.org", role="editor"
    )
    link = _invite_link(caplog)
    assert client.get(link).status_code == 200
    short = client.post(link, data={"password": "short", "confirm": "short"})
    assert short.status_code == 422 and "at least 12 characters" in short.get_data(as_text=True)
    response = client.post(
        link, data={"password": "a long enough phrase", "confirm": "a long enough phrase"}
    )
    assert response.status_code == 302
    assert client.get("/m/alpha/b/a1/").status_code == 200  # signed in, a member
    again = app.test_client().get(link)
    assert again.status_code == 400 and "no longer works" in again.get_data(as_text=True)


def test_a_forged_or_expired_link_is_refused(app, client, monkeypatch):
    user = make_user("ann@example.org")
    from app.auth import tokens

    token = tokens.make_set_password_token(user)
    assert client.get(f"/set-password/{token}x").status_code == 400
    monkeypatch.setattr(tokens, "SET_PASSWORD_MAX_AGE", -1)
    assert client.get(f"/set-password/{token}").status_code == 400


def test_inviting_an_existing_account_adds_the_body_without_a_link(app, caplog):
    alpha = make_mechanism("alpha")
    a1, a2 = make_body(alpha, "a1"), make_body(alpha, "a2")
    user = make_user("ann@example.org")
    add_member(user, alpha, a1, "member")
    caplog.set_level(logging.INFO, logger="concert.mail")
    provisioning.invite_user(
        mechanism_slug="alpha", body_slug="a2", email="ann@example.org", role="admin"
    )
    assert "You now have access to Body a2" in caplog.text
    assert "set-password" not in caplog.text
    assert a2.slug == "a2"


def test_the_account_page_saves_name_and_language(app, client):
    make_user("ann@example.org")
    login(client, "ann@example.org")
    response = client.post("/account", data={"display_name": "Ann Example", "language": "fr"})
    assert response.status_code == 302
    page = client.get("/account").get_data(as_text=True)
    assert "Votre compte" in page and 'value="Ann Example"' in page
    user = db.session.scalars(sa.select(User)).one()
    db.session.refresh(user)
    assert user.language == "fr"
    bad = client.post("/account", data={"display_name": "", "language": "xx"})
    page = bad.get_data(as_text=True)
    assert bad.status_code == 422
    # each error is announced beside its field (in the user's language)
    assert page.count('role="alert"') == 2 and 'id="language-error"' in page


@pytest.mark.parametrize("path", ["/account", "/", "/operator/"])
def test_pages_for_accounts_need_sign_in(app, client, path):
    response = client.get(path)
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_hash_password_is_salted(app):
    assert hash_password("same words here") != hash_password("same words here")


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
    body = make_body(alpha, "a1")
    membership = add_member(make_user("ann@example.org"), alpha, body, "admin")
    login(client, "ann@example.org")
    assert client.get("/m/alpha/b/a1/").status_code == 200
    from tenants import tenant_scope
    from tenants.context import Layer

    with tenant_scope(alpha.id, layer=Layer.PLATFORM):
        db.session.delete(membership)
        db.session.commit()
    assert client.get("/m/alpha/b/a1/").status_code == 404


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
    assert "/set-password/" in caplog.text
