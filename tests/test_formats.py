"""Choices, audit actions and dates are shown in the reader's language;
``<time datetime>`` values are valid HTML."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

import sqlalchemy as sa

from app.audit.labels import LABELS, action_label
from app.audit.services import record
from app.extensions import db
from app.i18n import machine
from tenants.context import Layer, tenant_scope
from tenants.models import User

TIME_VALUE = re.compile(r'<time datetime="([^"]*)"')
# a date, or a UTC moment to the second (what HTML's valid global dates allow)
VALID = re.compile(r"^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}:\d{2}Z)?$")


def _in_french(world, body: str, role: str):
    user = db.session.scalars(sa.select(User).where(User.email == world.account(body, role))).one()
    user.language = "fr"
    db.session.commit()


def test_form_choices_are_in_the_readers_language(app, world):
    _in_french(world, "a1", "admin")
    client = world.client(app, "a1", "admin")
    page = client.get("/m/alpha/b/a1/people/new").get_data(as_text=True)
    options = re.findall(r"<option[^>]*>([^<]*)</option>", page)
    assert "Membre" in options and "Member" not in options
    page = client.get("/m/alpha/b/a1/accounts/invite").get_data(as_text=True)
    assert "Administrateur" in page or "Administratrice" in page
    # the same form, read after in English, is in English again
    client_en = world.client(app, "a1", "editor")
    page = client_en.get("/m/alpha/b/a1/people/new").get_data(as_text=True)
    assert ">Member</option>" in page


def test_the_audit_trail_names_actions_in_words(app, world):
    with tenant_scope(world.mechanisms["alpha"].id, world.bodies["a1"].id, layer=Layer.BODY):
        record("charters.adoption.adopted", object_type="CharterAdoption", summary="version 1")
        db.session.commit()
    page = world.client(app, "a1", "admin").get("/m/alpha/b/a1/audit/").get_data(as_text=True)
    assert "Charter adopted" in page and "charters.adoption.adopted<" not in page
    _in_french(world, "a1", "admin")
    with app.test_request_context(headers={"Accept-Language": "fr"}):
        from flask_babel import force_locale

        with force_locale("fr"):
            assert action_label("charters.adoption.adopted") == "Charte adoptée"
    assert action_label("never.heard.of") == "never.heard.of"
    assert all("." in code for code in LABELS)


def test_time_values_are_valid_html(app, world):
    moment = datetime(2026, 3, 4, 5, 6, 7, 891011, tzinfo=UTC)
    assert machine(moment) == "2026-03-04T05:06:07Z"
    assert machine(date(2026, 3, 4)) == "2026-03-04"
    client = world.client(app, "a1", "admin")
    page = client.get("/m/alpha/b/a1/audit/").get_data(as_text=True)
    values = TIME_VALUE.findall(page)
    assert values and all(VALID.match(value) for value in values)


def test_dates_follow_the_readers_language(app, world):
    _in_french(world, "a1", "admin")
    client = world.client(app, "a1", "admin")
    version = world.charters["alpha"]["charter_published"]
    page = client.get(f"/m/alpha/b/a1/charters/versions/{version}").get_data(as_text=True)
    assert "2 janv. 2026" in page and "2026-01-02" not in page
