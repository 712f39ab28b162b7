"""An invitation opens nothing until the invited person accepts it."""

from __future__ import annotations

import logging
import re

import sqlalchemy as sa

from app.extensions import db
from tenants import provisioning, tenant_scope
from tenants.context import Layer
from tenants.models import Membership
from tests.support import add_member, login, make_body, make_mechanism, make_user


def _invite(email, body="b1", mechanism="beta", role="member"):
    return provisioning.invite_user(
        mechanism_slug=mechanism, body_slug=body, email=email, role=role
    ).membership


def _setup():
    alpha, beta = make_mechanism("alpha"), make_mechanism("beta")
    a1, b1 = make_body(alpha, "a1"), make_body(beta, "b1")
    add_member(make_user("ann@example.org", two_factor=True), alpha, a1, "member")
    add_member(make_user("boss@example.org", two_factor=True), beta, b1, "admin")
    return alpha, beta


def test_an_existing_account_is_asked_before_joining(app, caplog):
    _setup()
    caplog.set_level(logging.INFO, logger="concert.mail")
    membership = _invite("ann@example.org")
    assert "Sign in with your usual account to accept or decline" in caplog.text
    ann = app.test_client()
    login(ann, "ann@example.org")
    assert ann.get("/m/beta/b/b1/").status_code == 404  # not before accepting
    home = ann.get("/").get_data(as_text=True)
    assert "Body b1 (Mechanism beta) invites you as Member." in home
    # the inviting body sees the address it typed, nothing of the account
    boss = app.test_client()
    login(boss, "boss@example.org")
    listing = boss.get("/m/beta/b/b1/accounts/").get_data(as_text=True)
    row = listing.split("ann@example.org")[0].rsplit("<tr>", 1)[1]
    assert "not yet accepted" in row and ">ann<" not in row
    ann.post(f"/invitations/{membership.id}/accept")
    assert ann.get("/m/beta/b/b1/").status_code == 200
    listing = boss.get("/m/beta/b/b1/accounts/").get_data(as_text=True)
    assert "not yet accepted" not in listing


def test_declining_removes_the_invitation(app, owner_engine):
    _setup()
    membership = _invite("ann@example.org")
    ann = app.test_client()
    login(ann, "ann@example.org")
    assert ann.post(f"/invitations/{membership.id}/decline").status_code == 302
    assert ann.get("/m/beta/b/b1/").status_code == 404
    with owner_engine.connect() as conn:
        assert conn.execute(sa.text("SELECT count(*) FROM memberships")).scalar() == 2


def test_nobody_answers_someone_elses_invitation(app):
    _setup()
    make_user("eve@example.org")
    membership = _invite("ann@example.org")
    eve = app.test_client()
    login(eve, "eve@example.org")
    for answer in ("accept", "decline"):
        assert eve.post(f"/invitations/{membership.id}/{answer}").status_code == 404
    assert eve.post("/invitations/not-an-id/accept").status_code == 404
    ann = app.test_client()
    login(ann, "ann@example.org")
    accepted = ann.post(f"/invitations/{membership.id}/accept")
    assert accepted.status_code == 302
    assert ann.post(f"/invitations/{membership.id}/accept").status_code == 404  # answered


def test_a_new_account_accepts_by_setting_its_password(app, client, caplog):
    _, beta = _setup()
    caplog.set_level(logging.INFO, logger="concert.mail")
    invited = _invite("new@example.org")
    key = (beta.id, invited.id)
    link = re.search(r"http://\S+(/invitation/\S+)", caplog.text).group(1)
    client.post(
        link,
        data={"password": "plum harbour violin sketch", "confirm": "plum harbour violin sketch"},
    )
    # b1 coordinates beta: the space is there, behind two-factor enrolment
    response = client.get("/m/beta/b/b1/")
    assert response.headers["Location"] == "/account/two-factor"
    db.session.expunge_all()
    with tenant_scope(beta.id, layer=Layer.PLATFORM):
        assert db.session.get(Membership, key).accepted_at is not None


def test_removing_an_invitee_who_never_came_cancels_the_link(app, caplog):
    _, beta = _setup()
    caplog.set_level(logging.INFO, logger="concert.mail")
    membership = _invite("new@example.org")
    link = re.search(r"http://\S+(/invitation/\S+)", caplog.text).group(1)
    boss = app.test_client()
    login(boss, "boss@example.org")
    boss.post(f"/m/beta/b/b1/accounts/{membership.id}/remove")
    with tenant_scope(beta.id, layer=Layer.PLATFORM):
        assert (
            db.session.scalars(sa.select(Membership).where(Membership.id == membership.id)).first()
            is None
        )
    assert app.test_client().get(link).status_code == 400
