"""One's own account: name, language, password, e-mail address, sessions."""

from __future__ import annotations

import logging
import re

import sqlalchemy as sa

from app.extensions import db
from tenants.models import User
from tests.support import PASSWORD, login, make_user

NEW = "plum harbour violin sketch"


def _user(email="ann@example.org") -> User:
    db.session.expire_all()
    return db.session.scalars(sa.select(User).where(User.email == email)).one()


def test_the_profile_saves_name_and_language(app, client):
    make_user("ann@example.org")
    login(client, "ann@example.org")
    response = client.post("/account", data={"display_name": "Ann Example", "language": "fr"})
    assert response.status_code == 302
    page = client.get("/account").get_data(as_text=True)
    assert "Nom et langue" in page and 'value="Ann Example"' in page
    assert _user().language == "fr"
    bad = client.post("/account", data={"display_name": "", "language": "xx"})
    page = bad.get_data(as_text=True)
    assert bad.status_code == 422
    # each error is announced beside its field (in the user's language)
    assert page.count('role="alert"') == 2 and 'id="language-error"' in page


def test_changing_the_password_needs_the_current_one_and_ends_other_sessions(app, client):
    make_user("ann@example.org")
    other = app.test_client()
    login(other, "ann@example.org")
    login(client, "ann@example.org")
    wrong = client.post(
        "/account/password", data={"current": "not it at all", "password": NEW, "confirm": NEW}
    )
    assert wrong.status_code == 422 and "not your current password" in wrong.get_data(as_text=True)
    right = client.post(
        "/account/password", data={"current": PASSWORD, "password": NEW, "confirm": NEW}
    )
    assert right.status_code == 302
    assert client.get("/account").status_code == 200  # this session stays
    assert other.get("/account").status_code == 302  # the other one ended
    login(app.test_client(), "ann@example.org", NEW)


def test_changing_the_address_is_confirmed_from_the_new_one(app, client, caplog):
    make_user("ann@example.org")
    make_user("taken@example.org")
    login(client, "ann@example.org")
    caplog.set_level(logging.INFO, logger="concert.mail")
    response = client.post(
        "/account/email", data={"current": PASSWORD, "email": "Ann.New@Example.org"}
    )
    assert response.status_code == 302
    assert _user().email == "ann@example.org"  # not before confirmation
    assert "mail to ann.new@example.org" in caplog.text
    assert "mail to ann@example.org: Your e-mail address is about to change" in caplog.text
    link = re.search(r"http://\S+(/account/email/\S+)", caplog.text).group(1)
    assert client.get(link).status_code == 302
    assert _user("ann.new@example.org").id
    assert client.get(link).status_code == 400  # once only
    # an address another account uses is refused on confirmation
    client.post("/account/email", data={"current": PASSWORD, "email": "taken@example.org"})
    link = re.findall(r"http://\S+(/account/email/\S+)", caplog.text)[-1]
    page = client.get(client.get(link).headers["Location"]).get_data(as_text=True)
    assert "Another account already uses this address" in page
    assert _user("ann.new@example.org").email == "ann.new@example.org"


def test_the_address_change_needs_the_password(app, client):
    make_user("ann@example.org")
    login(client, "ann@example.org")
    response = client.post("/account/email", data={"current": "nope", "email": "x@example.org"})
    assert response.status_code == 422


def test_sessions_are_listed_and_the_others_signed_out(app, client):
    make_user("ann@example.org")
    phone = app.test_client()
    login(phone, "ann@example.org")
    login(client, "ann@example.org")
    page = client.get("/account/sessions").get_data(as_text=True)
    assert page.count("<tr>") == 3 and "this session" in page  # header + two sessions
    client.post("/account/sessions/others")
    assert phone.get("/account").status_code == 302
    assert client.get("/account").status_code == 200
    assert "You are signed in nowhere else." in client.get("/account/sessions").get_data(
        as_text=True
    )
