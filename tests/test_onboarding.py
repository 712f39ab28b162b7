"""A mechanism's bodies and first administrators from one file: checked
whole before anything is written, created in one transaction, with every
administrator invited; the operator's page then says who administers each
body and whether the invitation was taken up."""

from __future__ import annotations

import io
import logging
from datetime import timedelta

import pytest
import sqlalchemy as sa
from openpyxl import Workbook

from app.auth.models import AccountToken
from app.extensions import db
from tenants.context import Layer, tenant_scope
from tenants.models import Body, Membership, Role, User
from tests.support import login, make_body, make_mechanism, make_user

GOOD = (
    "name,kind,coordinating,visits_places,admin_email,admin_name\n"
    "Inspectorate of Prisons,inspectorate,yes,yes,chief@insp.example,Ana Chief\n"
    "Children's Commissioner,Specialised institution,no,no,kid@cc.example,Kit Dale\n"
    "Lay Board,lay_board,,,chief@insp.example,\n"
)


@pytest.fixture
def operator(app):
    make_mechanism("nordland")
    make_user("op@example.org", operator=True)
    client = app.test_client()
    login(client, "op@example.org")
    return client


def upload(client, content: bytes, filename: str = "bodies.csv"):
    return client.post(
        "/operator/mechanisms/nordland/onboarding",
        data={"spreadsheet": (io.BytesIO(content), filename)},
    )


def bodies_of(slug: str = "nordland") -> list[Body]:
    from tenants.provisioning import get_mechanism

    mechanism = get_mechanism(slug)
    with tenant_scope(mechanism.id, layer=Layer.PLATFORM):
        return db.session.scalars(sa.select(Body).order_by(Body.slug)).all()


def apply_preview(client, page: str):
    """Send back the rows the preview carries, as its button does."""
    import html
    import re

    rows = html.unescape(re.search(r'name="rows" type="hidden" value="([^"]*)"', page)[1])
    return client.post("/operator/mechanisms/nordland/onboarding/apply", data={"rows": rows})


def test_a_file_creates_every_body_and_invites_its_administrator(operator, caplog):
    caplog.set_level(logging.INFO, logger="concert.mail")
    preview = upload(operator, GOOD.encode())
    page = preview.get_data(as_text=True)
    assert preview.status_code == 200, page
    assert "3 bodies will be created" in page and "childrens-commissioner" in page
    assert bodies_of() == []  # nothing before the operator confirms
    response = apply_preview(operator, page)
    assert response.status_code == 302
    bodies = {body.slug: body for body in bodies_of()}
    assert set(bodies) == {"inspectorate-of-prisons", "childrens-commissioner", "lay-board"}
    assert [b.slug for b in bodies.values() if b.is_coordinator] == ["inspectorate-of-prisons"]
    assert not bodies["childrens-commissioner"].visits_places
    assert bodies["lay-board"].visits_places
    with tenant_scope(bodies["lay-board"].mechanism_id, layer=Layer.PLATFORM):
        admins = db.session.scalars(sa.select(Membership)).all()
    assert {(m.body_id, m.user.email, m.role) for m in admins} == {
        (bodies["inspectorate-of-prisons"].id, "chief@insp.example", Role.ADMIN),
        (bodies["childrens-commissioner"].id, "kid@cc.example", Role.ADMIN),
        (bodies["lay-board"].id, "chief@insp.example", Role.ADMIN),
    }
    # Each mail says who invites, to which body of which mechanism, in what role.
    assert "op (op@example.org) invites you to join Children's Commissioner" in caplog.text
    assert "of the mechanism Mechanism nordland, as administrator" in caplog.text
    assert "National Preventive Mechanism" in caplog.text
    page = operator.get("/operator/mechanisms/nordland").get_data(as_text=True)
    assert "Kit Dale" in page and "invitation sent" in page


def test_xlsx_files_and_labels_in_french_are_read(operator):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Name", "Kind", "Administrator e-mail", "Visits places"])
    sheet.append(["Médiateur", "Institution de médiation (ombudsman)", "m@med.example", True])
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = upload(operator, buffer.getvalue(), "bodies.xlsx")
    page = response.get_data(as_text=True)
    assert response.status_code == 200, page
    assert apply_preview(operator, page).status_code == 302
    assert [(b.slug, b.kind.value, b.is_coordinator) for b in bodies_of()] == [
        ("mediateur", "ombuds", True)
    ]


def test_every_error_is_listed_by_line_and_nothing_is_written(operator, owner_engine):
    make_body(make_mechanism("other"), "elsewhere")
    from tenants.provisioning import get_mechanism

    make_body(get_mechanism("nordland"), "taken")
    content = (
        "name,slug,kind,coordinating,admin_email\n"
        "One,taken,ombuds,yes,one@example.org\n"
        "Two,,spaceship,maybe,not-an-address\n"
        "Three,dup,other,no,three@example.org\n"
        "Four,dup,,no,\n"
        "Operator's,,other,no,op@example.org\n"
    )
    response = upload(operator, content.encode())
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    for expected in (
        "already has a body “taken”",
        "has a coordinating body",
        "“spaceship” is not a kind of body",
        "Write yes or no.",
        "not a valid e-mail address",
        "Line 4 already adds a body “dup”",
        "cannot be invited to a body",
    ):
        assert expected in page, expected
    assert 'name="rows"' not in page
    assert [b.slug for b in bodies_of()] == ["taken"]


def test_rows_sent_back_are_checked_again(operator):
    rows = '[[2, {"name": "Sneaky", "kind": "other", "admin_email": "op@example.org"}]]'
    response = operator.post("/operator/mechanisms/nordland/onboarding/apply", data={"rows": rows})
    assert response.status_code == 302
    assert bodies_of() == []
    for junk in ("", "[]", "{}", '[[1, {"bogus": "x"}]]', "not json"):
        response = operator.post(
            "/operator/mechanisms/nordland/onboarding/apply", data={"rows": junk}
        )
        assert response.status_code == 302
    assert bodies_of() == []


def test_unreadable_files_say_why(operator):
    response = upload(operator, b"name,kind\nA,ombuds\n")
    assert response.status_code == 422
    assert "missing: admin_email" in response.get_data(as_text=True)
    response = upload(operator, b"name,kind,admin_email,colour\nA,ombuds,a@b.example,red\n")
    assert "Unknown columns: colour" in response.get_data(as_text=True)


def test_the_command_onboards_from_a_file(app, cli, tmp_path):
    make_mechanism("nordland")
    path = tmp_path / "bodies.csv"
    path.write_text(GOOD)
    result = cli.invoke(
        args=["tenants", "onboard", "--mechanism", "nordland", "--dry-run", str(path)]
    )
    assert result.exit_code == 0, result.output
    assert "3 bodies would be created" in result.output and bodies_of() == []
    result = cli.invoke(args=["tenants", "onboard", "--mechanism", "nordland", str(path)])
    assert result.exit_code == 0, result.output
    assert len(bodies_of()) == 3
    # the same file again: every body exists, nothing is written
    result = cli.invoke(args=["tenants", "onboard", "--mechanism", "nordland", str(path)])
    assert result.exit_code != 0 and "line 2, slug" in result.output
    assert len(bodies_of()) == 3


def test_expired_invitations_are_shown_and_can_be_resent(operator, caplog):
    caplog.set_level(logging.INFO, logger="concert.mail")
    assert apply_preview(operator, upload(operator, GOOD.encode()).get_data(as_text=True))
    user = db.session.scalars(sa.select(User).where(User.email == "kid@cc.example")).one()
    # a week and more later, the link has not been used
    body = next(b for b in bodies_of() if b.slug == "childrens-commissioner")
    with tenant_scope(body.mechanism_id, layer=Layer.PLATFORM):
        membership = db.session.scalars(
            sa.select(Membership).where(Membership.user_id == user.id)
        ).one()
        membership.created_at -= timedelta(days=8)
        db.session.execute(
            sa.update(AccountToken)
            .where(AccountToken.user_id == user.id)
            .values(expires_at=AccountToken.expires_at - timedelta(days=8))
        )
        db.session.commit()
        membership_id = membership.id
    page = operator.get("/operator/mechanisms/nordland").get_data(as_text=True)
    assert "invitation expired" in page
    caplog.clear()
    response = operator.post(f"/operator/mechanisms/nordland/memberships/{membership_id}/resend")
    assert response.status_code == 302
    assert "kid@cc.example" in caplog.text and "/invitation/" in caplog.text
    page = operator.get("/operator/mechanisms/nordland").get_data(as_text=True)
    assert "invitation expired" not in page


def test_a_membership_of_another_mechanism_cannot_be_resent(operator):
    other = make_mechanism("other")
    body = make_body(other, "elsewhere")
    from tenants.provisioning import invite_user

    invitation = invite_user(
        mechanism_slug="other",
        body_slug=body.slug,
        email="x@example.org",
        role="admin",
        notify=False,
    )
    url = f"/operator/mechanisms/nordland/memberships/{invitation.membership.id}/resend"
    assert operator.post(url).status_code == 404
