"""Provisioning from the command line and from the operator's pages: good
input creates the tenant, bad input says why, exits non-zero or answers 4xx,
and writes nothing."""

from __future__ import annotations

import re

import pyotp
import pytest
import sqlalchemy as sa

from app.audit.models import AuditEvent
from app.extensions import db
from tenants.models import Mechanism, User
from tests.support import add_member, login, make_body, make_mechanism, make_user

TABLES = (
    "mechanisms",
    "bodies",
    "users",
    "memberships",
    "audit_events",
    "platform_audit_events",
    "job_runs",
    "platform_job_runs",
)


@pytest.fixture
def snapshot(owner_engine):
    """Row counts of every provisioning table, read as the schema owner."""

    def take():
        with owner_engine.connect() as conn:
            return {
                t: conn.execute(sa.text(f"SELECT count(*) FROM {t}")).scalar()  # noqa: S608
                for t in TABLES
            }

    return take


def test_commands_provision_a_mechanism(cli, snapshot, owner_engine):
    result = cli.invoke(
        args=[
            "tenants",
            "create-mechanism",
            "--slug",
            "nordland",
            "--name",
            "NPM of Nordland",
            "--country",
            "Nordland",
            "--year-start",
            "4",
        ]
    )
    assert result.exit_code == 0, result.output
    result = cli.invoke(
        args=[
            "tenants",
            "add-body",
            "--mechanism",
            "nordland",
            "--slug",
            "ombuds",
            "--name",
            "Ombuds",
            "--kind",
            "ombuds",
        ]
    )
    assert result.exit_code == 0 and "coordinating body" in result.output
    result = cli.invoke(
        args=[
            "tenants",
            "add-body",
            "--mechanism",
            "nordland",
            "--slug",
            "board",
            "--name",
            "Board",
            "--kind",
            "lay_board",
            "--no-visits",
        ]
    )
    assert result.exit_code == 0, result.output
    result = cli.invoke(
        args=["tenants", "designate-coordinator", "--mechanism", "nordland", "--body", "board"]
    )
    assert result.exit_code == 0, result.output
    result = cli.invoke(
        args=[
            "tenants",
            "invite",
            "--mechanism",
            "nordland",
            "--body",
            "board",
            "--email",
            "Chair@Example.org",
            "--role",
            "admin",
        ]
    )
    assert result.exit_code == 0 and "chair@example.org" in result.output
    listing = cli.invoke(args=["tenants", "list"]).output
    assert "board\tBoard <lay_board> [coordinator]" in listing
    assert "ombuds\tOmbuds <ombuds>\n" in listing
    counts = snapshot()
    assert counts["mechanisms"] == 1 and counts["bodies"] == 2 and counts["memberships"] == 1
    with owner_engine.connect() as conn:
        actions = set(conn.scalars(sa.select(AuditEvent.action)))
    assert {
        "mechanism.create",
        "body.create",
        "body.designate_coordinator",
        "membership.create",
    } <= actions


BAD_COMMANDS = [
    (["create-mechanism", "--slug", "alpha", "--name", "x", "--country", "y"], "already exists"),
    (
        ["create-mechanism", "--slug", "Bad Slug", "--name", "x", "--country", "y"],
        "not a usable identifier",
    ),
    (
        ["create-mechanism", "--slug", "coordination", "--name", "x", "--country", "y"],
        "is reserved",
    ),
    (["create-mechanism", "--slug", "new", "--name", " ", "--country", "y"], "required"),
    (
        [
            "create-mechanism",
            "--slug",
            "new",
            "--name",
            "x",
            "--country",
            "y",
            "--year-start",
            "13",
        ],
        "month from 1 to 12",
    ),
    (
        ["create-mechanism", "--slug", "new", "--name", "x", "--country", "y", "--language", "xx"],
        "language",
    ),
    (
        ["add-body", "--mechanism", "nowhere", "--slug", "b", "--name", "B", "--kind", "other"],
        "no mechanism",
    ),
    (
        ["add-body", "--mechanism", "alpha", "--slug", "a1", "--name", "B", "--kind", "other"],
        "already has a body",
    ),
    (
        [
            "add-body",
            "--mechanism",
            "alpha",
            "--slug",
            "a3",
            "--name",
            "B",
            "--kind",
            "other",
            "--coordinating",
        ],
        "already coordinates",
    ),
    (["designate-coordinator", "--mechanism", "alpha", "--body", "a1"], "already coordinates"),
    (["designate-coordinator", "--mechanism", "alpha", "--body", "zz"], "has no body"),
    (
        [
            "invite",
            "--mechanism",
            "alpha",
            "--body",
            "a1",
            "--email",
            "not-an-address",
            "--role",
            "admin",
        ],
        "not a valid e-mail",
    ),
    (
        [
            "invite",
            "--mechanism",
            "nowhere",
            "--body",
            "a1",
            "--email",
            "x@example.org",
            "--role",
            "admin",
        ],
        "no mechanism",
    ),
    (
        [
            "invite",
            "--mechanism",
            "alpha",
            "--body",
            "b1",
            "--email",
            "x@example.org",
            "--role",
            "admin",
        ],
        "has no body",
    ),
    (
        [
            "invite",
            "--mechanism",
            "alpha",
            "--body",
            "a1",
            "--email",
            "a1@example.org",
            "--role",
            "member",
        ],
        "already belongs",
    ),
    (
        [
            "invite",
            "--mechanism",
            "alpha",
            "--body",
            "a1",
            "--email",
            "x@example.org",
            "--role",
            "boss",
        ],
        "Invalid value",
    ),
]


@pytest.mark.parametrize(("args", "message"), BAD_COMMANDS, ids=lambda v: str(v)[:40])
def test_bad_commands_say_why_and_write_nothing(cli, snapshot, args, message):
    alpha = make_mechanism("alpha")
    a1 = make_body(alpha, "a1")
    make_body(make_mechanism("beta"), "b1")

    add_member(make_user("a1@example.org"), alpha, a1, "admin")
    before = snapshot()
    result = cli.invoke(args=["tenants", *args])
    assert result.exit_code != 0
    assert message in result.output
    assert "Traceback" not in result.output
    assert snapshot() == before


def test_one_coordinator_is_enforced_by_the_database(app, owner_engine):
    alpha = make_mechanism("alpha")
    make_body(alpha, "a1")
    second = make_body(alpha, "a2")
    assert second.is_coordinator is False
    with owner_engine.connect() as conn, pytest.raises(sa.exc.IntegrityError):
        conn.execute(
            sa.text("UPDATE bodies SET is_coordinator = :t WHERE slug = 'a2'"), {"t": True}
        )


@pytest.fixture
def operator_client(app):
    make_user("op@example.org", operator=True)
    client = app.test_client()
    login(client, "op@example.org")
    return client


FORM_PREFIXES = {"/bodies": "body", "/coordinator": "coordinator", "/invitations": "invite"}


def post_form(client, url: str, data: dict):
    """Post to an operator form, naming fields as its page does (prefixed)."""
    prefix = next((p for end, p in FORM_PREFIXES.items() if url.endswith(end)), None)
    if prefix:
        data = {f"{prefix}-{key}": value for key, value in data.items()}
    return client.post(url, data=data)


def test_the_operator_provisions_on_the_web(operator_client, snapshot):
    c = operator_client
    r = post_form(
        c,
        "/operator/mechanisms/new",
        {
            "slug": "nordland",
            "name": "NPM Nordland",
            "country": "Nordland",
            "default_language": "fr",
            "reporting_year_start_month": "7",
        },
    )
    assert r.status_code == 302
    mechanism = db.session.scalars(sa.select(Mechanism)).one()
    assert (mechanism.default_language, mechanism.reporting_year_start_month) == ("fr", 7)
    r = post_form(
        c,
        "/operator/mechanisms/nordland/bodies",
        {"slug": "insp", "name": "Inspectorate", "kind": "inspectorate", "visits_places": "y"},
    )
    assert r.status_code == 302
    r = post_form(
        c,
        "/operator/mechanisms/nordland/bodies",
        {"slug": "board", "name": "Board", "kind": "lay_board"},
    )
    assert r.status_code == 302
    r = post_form(c, "/operator/mechanisms/nordland/coordinator", {"body_slug": "board"})
    assert r.status_code == 302
    r = post_form(
        c,
        "/operator/mechanisms/nordland/invitations",
        {
            "body_slug": "insp",
            "email": "new@example.org",
            "role": "admin",
            "display_name": "New Admin",
        },
    )
    assert r.status_code == 302
    page = c.get("/operator/mechanisms/nordland").get_data(as_text=True)
    assert "Inspectorate" in page and "Board" in page
    invited = db.session.scalars(sa.select(User).where(User.email == "new@example.org")).one()
    assert invited.password_hash is None  # sets it from the mailed link
    assert snapshot()["memberships"] == 1


def test_the_invitation_form_opens_on_the_body_it_was_asked_for(operator_client, world):
    c = operator_client
    r = post_form(
        c, "/operator/mechanisms/alpha/bodies", {"slug": "a9", "name": "Ninth", "kind": "ombuds"}
    )
    # adding a body leads to inviting its administrator
    assert r.status_code == 302 and r.location.endswith("/alpha?invite=a9#invite")
    page = c.get("/operator/mechanisms/alpha?invite=a9").get_data(as_text=True)
    form = page.split('id="invite"')[1]
    assert re.search(r'<option[^>]*selected[^>]*value="a9"|<option value="a9" selected', form)
    assert re.search(r'<option[^>]*selected[^>]*value="admin"|<option value="admin" selected', form)
    # each body has its link; a body of another mechanism preselects nothing
    assert "?invite=a2#invite" in page
    page = c.get("/operator/mechanisms/alpha?invite=b1").get_data(as_text=True)
    assert "selected" not in page.split('id="invite"')[1].split("</select>")[0]


BAD_FORMS = [
    (
        "/operator/mechanisms/new",
        {
            "slug": "alpha",
            "name": "x",
            "country": "y",
            "default_language": "en",
            "reporting_year_start_month": "1",
        },
        "already exists",
    ),
    (
        "/operator/mechanisms/new",
        {
            "slug": "",
            "name": "x",
            "country": "y",
            "default_language": "en",
            "reporting_year_start_month": "1",
        },
        "required",
    ),
    (
        "/operator/mechanisms/new",
        {
            "slug": "ok",
            "name": "x",
            "country": "y",
            "default_language": "en",
            "reporting_year_start_month": "13",
        },
        "Not a valid choice",
    ),
    (
        "/operator/mechanisms/alpha/bodies",
        {"slug": "a1", "name": "x", "kind": "other"},
        "already has a body",
    ),
    (
        "/operator/mechanisms/alpha/bodies",
        {"slug": "zz", "name": "x", "kind": "moon"},
        "Not a valid choice",
    ),
    (
        "/operator/mechanisms/alpha/bodies",
        {"slug": "zz", "name": "x", "kind": "other", "coordinating": "y"},
        "already coordinates",
    ),
    ("/operator/mechanisms/alpha/coordinator", {"body_slug": "a1"}, "already coordinates"),
    ("/operator/mechanisms/alpha/coordinator", {"body_slug": "b1"}, "Not a valid choice"),
    (
        "/operator/mechanisms/alpha/invitations",
        {"body_slug": "a1", "email": "nope", "role": "admin"},
        "not a valid e-mail",
    ),
    (
        "/operator/mechanisms/alpha/invitations",
        {"body_slug": "a1", "email": "x@example.org", "role": "root"},
        "Not a valid choice",
    ),
]


@pytest.mark.parametrize(("url", "data", "message"), BAD_FORMS, ids=lambda v: str(v)[:30])
def test_bad_operator_forms_answer_422_and_write_nothing(
    operator_client, snapshot, url, data, message
):
    alpha = make_mechanism("alpha")
    make_body(alpha, "a1")
    make_body(make_mechanism("beta"), "b1")
    before = snapshot()
    response = post_form(operator_client, url, data)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert snapshot() == before


def test_unknown_mechanism_pages_answer_404(operator_client):
    assert operator_client.get("/operator/mechanisms/nowhere").status_code == 404
    assert (
        post_form(
            operator_client,
            "/operator/mechanisms/nowhere/bodies",
            {"slug": "a", "name": "a", "kind": "other"},
        ).status_code
        == 404
    )


def test_the_first_operator_comes_from_a_command(app, cli, client):
    result = cli.invoke(args=["operator", "create", "--email", "Ops@Example.org", "--name", "Ops"])
    assert result.exit_code == 0, result.output
    link = result.output.strip().splitlines()[-1].replace("http://127.0.0.1:5000", "")
    response = client.post(
        link,
        data={"password": "quiet lantern orbit meadow", "confirm": "quiet lantern orbit meadow"},
    )
    assert response.status_code == 302
    # an operator must set up two-factor sign-in before anything else
    response = client.get("/operator/")
    assert response.status_code == 302 and response.headers["Location"] == "/account/two-factor"
    page = client.get("/account/two-factor").get_data(as_text=True)
    secret = re.search(r'<code class="secret">([A-Z2-7]+)</code>', page).group(1)
    response = client.post(
        "/account/two-factor",
        data={"code": pyotp.TOTP(secret).now(), "current": "quiet lantern orbit meadow"},
    )
    assert "Your recovery codes" in response.get_data(as_text=True)
    assert client.get("/operator/").status_code == 200
    again = cli.invoke(args=["operator", "create", "--email", "ops@example.org", "--name", "X"])
    assert again.exit_code != 0 and "already exists" in again.output
    bad = cli.invoke(args=["operator", "create", "--email", "nope", "--name", "X"])
    assert bad.exit_code != 0 and "not a valid e-mail" in bad.output


def test_operator_accounts_never_join_a_body(app, cli):
    alpha = make_mechanism("alpha")
    make_body(alpha, "a1")
    make_user("ops@example.org", operator=True)
    result = cli.invoke(
        args=[
            "tenants",
            "invite",
            "--mechanism",
            "alpha",
            "--body",
            "a1",
            "--email",
            "ops@example.org",
            "--role",
            "admin",
        ]
    )
    assert result.exit_code != 0 and "cannot be invited to a body" in result.output


def test_an_operator_with_a_membership_still_reads_no_tenant_content(app):
    from tenants import tenant_scope
    from tenants.context import Layer
    from tenants.models import Membership

    alpha = make_mechanism("alpha")
    a1 = make_body(alpha, "a1")
    ops = make_user("ops@example.org", operator=True)
    with tenant_scope(alpha.id, layer=Layer.PLATFORM):  # as if added behind our back
        db.session.add(
            Membership(mechanism_id=alpha.id, body_id=a1.id, user_id=ops.id, role="admin")
        )
        db.session.commit()
    client = app.test_client()
    login(client, "ops@example.org")
    assert client.get("/m/alpha/b/a1/accounts/").status_code == 404
    assert client.get("/m/alpha/coordination/").status_code == 404


def test_the_coordinator_form_shows_the_current_coordinator(operator_client):
    alpha = make_mechanism("alpha")
    make_body(alpha, "zz-first")
    make_body(alpha, "aa-second")
    page = operator_client.get("/operator/mechanisms/alpha").get_data(as_text=True)
    select = page.split('id="coordinator-body_slug"')[1].split("</select>")[0]
    assert '<option selected value="zz-first">' in select


def test_reloading_a_refused_operator_form_returns_to_the_mechanism(operator_client):
    make_mechanism("alpha")
    response = operator_client.get("/operator/mechanisms/alpha/bodies")
    assert response.status_code == 302
    assert response.headers["Location"] == "/operator/mechanisms/alpha"
