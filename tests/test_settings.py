"""The mechanism's settings: its reporting year, kept by the coordinating
body's administrators."""

from __future__ import annotations

import sqlalchemy as sa

from app.audit.models import AuditEvent
from app.extensions import db
from tenants.context import Layer, tenant_scope
from tenants.models import Mechanism

URL = "/m/alpha/coordination/settings/"


def _month(slug: str) -> int:
    return db.session.scalar(
        sa.select(Mechanism.reporting_year_start_month).where(Mechanism.slug == slug)
    )


def test_the_coordinators_administrator_sets_the_reporting_year(app, world):
    admin = world.client(app, "a1", "admin")
    page = admin.get(URL).get_data(as_text=True)
    assert "The reporting year starts in" in page
    assert 'href="/m/alpha/coordination/settings/"' in page  # in the navigation
    answer = admin.post(URL, data={"reporting_year_start_month": "4"})
    assert answer.status_code == 302
    assert _month("alpha") == 4 and _month("beta") == 1
    alpha = world.mechanisms["alpha"]
    with tenant_scope(alpha.id, world.bodies["a1"].id, layer=Layer.BODY):
        events = db.session.scalars(
            AuditEvent.scoped_select().where(AuditEvent.action == "mechanism.reporting_year")
        ).all()
    assert [event.summary for event in events] == ["1 → 4"]


def test_a_member_of_the_coordinating_body_neither_sees_nor_changes_it(app, world):
    member = world.client(app, "a1", "member")
    overview = member.get("/m/alpha/coordination/").get_data(as_text=True)
    assert "/coordination/settings/" not in overview
    assert member.post(URL, data={"reporting_year_start_month": "4"}).status_code == 403
    assert _month("alpha") == 1


def test_a_month_that_does_not_exist_is_a_field_error(app, world):
    admin = world.client(app, "a1", "admin")
    answer = admin.post(URL, data={"reporting_year_start_month": "13"})
    assert answer.status_code == 422
    assert _month("alpha") == 1
