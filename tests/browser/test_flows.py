"""Flows a person goes through in a real browser."""

from __future__ import annotations

import logging
import re

import pyotp
import sqlalchemy as sa
from playwright.sync_api import expect

from app.extensions import db
from app.jobs.models import JobRun, JobState
from tenants import tenant_scope
from tenants.context import Layer
from tenants.models import Role, User
from tests.support import PASSWORD, add_member, next_code


def _code_for(app, email: str) -> str:
    with app.app_context():
        user = db.session.scalars(sa.select(User).where(User.email == email)).one()
        return next_code(user)


def _sign_in(page, server, email, password=PASSWORD):
    page.goto(server["url"] + "/login")
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Two-factor sign-in")).to_be_visible()
    page.get_by_label("Code").fill(_code_for(server["app"], email))
    page.get_by_role("button", name="Sign in").click()


def test_sign_in_switch_body_and_sign_out(live_server, browser_page):
    page, base, world = browser_page, live_server["url"], live_server["world"]
    email = world.account("a1", "editor")
    with live_server["app"].app_context():
        add_member(world.users[email], world.mechanisms["beta"], world.bodies["b1"], Role.MEMBER)

    _sign_in(page, live_server, email)
    expect(page.get_by_role("heading", name="Your spaces")).to_be_visible()

    page.get_by_role("link", name="Body a1").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Body a1")

    switcher = page.get_by_role("navigation", name="Your spaces")
    switcher.locator("summary").click()
    switcher.get_by_role("link", name="Body b1").click()
    expect(page).to_have_url(base + "/m/beta/b/b1/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Body b1")

    page.get_by_role("button", name="Sign out").click()
    expect(page).to_have_url(base + "/login")
    expect(page.get_by_text("You are signed out.")).to_be_visible()
    page.goto(base + "/m/beta/b/b1/")
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    assert page.problems == []


def test_a_job_page_follows_progress_by_itself(live_server, browser_page):
    page, base, world = browser_page, live_server["url"], live_server["world"]
    email = world.account("a1", "admin")
    a1 = world.bodies["a1"]
    app = live_server["app"]
    with app.app_context(), tenant_scope(a1.mechanism_id, a1.id, layer=Layer.BODY):
        run = JobRun(
            mechanism_id=a1.mechanism_id,
            body_id=a1.id,
            name="audit.export_csv",
            params={},
            state=JobState.QUEUED,
            created_by=world.users[email].id,
        )
        db.session.add(run)
        db.session.commit()
        run_id = run.id

    _sign_in(page, live_server, email)
    page.goto(f"{base}/m/alpha/b/a1/jobs/{run_id}")
    expect(page.get_by_text("Waiting to start…")).to_be_visible()

    with app.app_context(), tenant_scope(a1.mechanism_id, a1.id, layer=Layer.BODY):
        stored = db.session.get(JobRun, (a1.mechanism_id, run_id))
        stored.state, stored.progress, stored.message = JobState.RUNNING, 60, "3 / 5"
        db.session.commit()
    # htmx polls the fragment and swaps it in, with no reload
    expect(page.get_by_text("Working… 3 / 5")).to_be_visible()
    expect(page.locator("progress")).to_have_attribute("value", "60")

    with app.app_context(), tenant_scope(a1.mechanism_id, a1.id, layer=Layer.BODY):
        stored = db.session.get(JobRun, (a1.mechanism_id, run_id))
        stored.state, stored.progress = JobState.FINISHED, 100
        db.session.commit()
    expect(page.get_by_text("Done.")).to_be_visible()
    assert page.problems == []  # no CSP violation, no script error


class _MailCatcher(logging.Handler):
    def __init__(self):
        super().__init__()
        self.text = ""

    def emit(self, record):
        self.text += record.getMessage() + "\n"


def test_invitation_enrolment_code_sign_in_and_signing_out_elsewhere(
    live_server, browser_page, _chromium
):
    page, base, world = browser_page, live_server["url"], live_server["world"]
    mail = _MailCatcher()
    logging.getLogger("concert.mail").addHandler(mail)
    try:
        # an administrator invites a newcomer to the coordinating body
        _sign_in(page, live_server, world.account("a1", "admin"))
        page.goto(base + "/m/alpha/b/a1/accounts/")
        page.get_by_role("link", name="Invite someone").click()
        page.get_by_label("E-mail address").fill("newcomer@test.example")
        page.get_by_label("Name").fill("Nia Newcomer")
        page.get_by_label("Role").select_option("editor")
        page.get_by_role("button", name="Invite").click()
        expect(page.get_by_text("Invitation sent to newcomer@test.example.")).to_be_visible()
        link = re.search(r"http://\S+/invitation/\S+", mail.text).group(0)
    finally:
        logging.getLogger("concert.mail").removeHandler(mail)

    newcomer = _chromium.new_context().new_page()
    newcomer.goto(link.replace("http://127.0.0.1:5000", base))
    newcomer.get_by_label("New password").fill("plum harbour violin sketch")
    newcomer.get_by_label("Repeat the password").fill("plum harbour violin sketch")
    newcomer.get_by_role("button", name="Save the password").click()

    # a coordinating body requires two-factor sign-in: enrolment comes first
    expect(newcomer.get_by_role("heading", name="Set up two-factor sign-in")).to_be_visible()
    expect(newcomer.get_by_role("img", name="QR code of your two-factor key")).to_be_visible()
    secret = newcomer.locator("code.secret").inner_text().strip()
    newcomer.get_by_label("Code from the app").fill(pyotp.TOTP(secret).now())
    newcomer.get_by_label("Current password").fill("plum harbour violin sketch")
    newcomer.get_by_role("button", name="Turn on two-factor sign-in").click()
    expect(newcomer.get_by_role("heading", name="Your recovery codes")).to_be_visible()
    assert newcomer.locator("ul.codes li").count() == 10
    newcomer.get_by_role("link", name="I have kept them").click()
    expect(newcomer.get_by_role("heading", name="Your spaces")).to_be_visible()

    # the same person signs in on a second device, with a code
    second = _chromium.new_context().new_page()
    _sign_in(second, live_server, "newcomer@test.example", "plum harbour violin sketch")
    expect(second.get_by_role("heading", name="Your spaces")).to_be_visible()

    # from the second device: sign out everywhere else
    second.goto(base + "/account/sessions")
    expect(second.get_by_text("this session")).to_be_visible()
    second.get_by_role("button", name="Sign out everywhere else").click()
    expect(second.get_by_text("Your other sessions are signed out.")).to_be_visible()

    newcomer.goto(base + "/m/alpha/b/a1/")
    expect(newcomer.get_by_role("heading", name="Sign in")).to_be_visible()
    second.goto(base + "/m/alpha/b/a1/")
    expect(second.get_by_role("heading", level=1)).to_have_text("Body a1")
    assert page.problems == []


def test_seconded_staff_cannot_be_made_leadership(live_server, browser_page):
    page, base, world = browser_page, live_server["url"], live_server["world"]
    _sign_in(page, live_server, world.account("a1", "editor"))
    page.goto(base + "/m/alpha/b/a1/people/")
    page.get_by_role("link", name="Add a person").click()

    page.get_by_label("Kind").select_option("staff")
    # the fields of other kinds step aside (CSS alone: no script needed)
    expect(page.get_by_label("Term end")).to_be_hidden()
    page.get_by_label("Name", exact=True).fill("Sam Seconded")
    page.get_by_label("Position", exact=True).fill("Head of visits")
    page.get_by_label("Employment").select_option("seconded")
    page.get_by_label("Seconded from (organisation of origin)").fill("Ministry of Justice")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sam Seconded")

    page.get_by_role("link", name="Edit", exact=True).click()
    page.get_by_label("Leadership or decision-making position").check()
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("alert").filter(has_text="Seconded staff cannot hold")).to_be_visible()
    expect(page.get_by_label("Leadership or decision-making position")).to_be_checked()
    expect(page.get_by_label("Name", exact=True)).to_have_value("Sam Seconded")

    page.goto(base + "/m/alpha/b/a1/people/")
    row = page.get_by_role("row").filter(has_text="Sam Seconded")
    expect(row).to_contain_text("seconded")
    expect(row).not_to_contain_text("leadership")
    # the refused save answers 422, which the browser reports; nothing else went wrong
    assert [p for p in page.problems if "422" not in p] == []


def test_coordinator_publishes_the_ethics_code_and_a_body_adopts_it(live_server, browser_page):
    page, base, world = browser_page, live_server["url"], live_server["world"]
    coordinator, body_admin = world.account("a1", "admin"), world.account("a2", "admin")

    _sign_in(page, live_server, coordinator)
    page.goto(base + "/m/alpha/coordination/charters/")
    code = page.get_by_role("region", name="Ethics code")
    code.get_by_role("link", name="version 2").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ethics code, version 2")
    page.get_by_role("link", name="Publish for adoption").click()
    page.get_by_label("Reference").fill("Steering group, 3 March")
    page.get_by_label("Who may read it").select_option("public")
    page.get_by_role("button", name="Publish").click()
    expect(page.get_by_text("Version 2 is published")).to_be_visible()
    code = page.get_by_role("region", name="Ethics code")
    expect(code.get_by_role("row", name=re.compile("Body a2"))).to_contain_text("not adopted")
    page.get_by_role("button", name="Sign out").click()

    _sign_in(page, live_server, body_admin)
    expect(page.get_by_role("heading", name="Your spaces")).to_be_visible()
    page.goto(base + "/m/alpha/b/a2/")
    expect(
        page.get_by_role(
            "link", name="Record your body's decision on version 2 of the ethics code."
        )
    ).to_be_visible()
    page.get_by_role("navigation", name="Body a2").get_by_role("link", name="Charters").click()
    row = page.get_by_role("row", name=re.compile("Ethics code"))
    expect(row).to_contain_text("awaiting adoption")
    row.get_by_role("link", name="Record the body's decision").click()
    page.get_by_label("Reference of the decision").fill("Board decision 7/2026")
    page.get_by_role("button", name="Record").click()
    expect(
        page.get_by_text("The adoption is recorded and shared with the coordinator.")
    ).to_be_visible()
    page.get_by_role("button", name="Sign out").click()

    _sign_in(page, live_server, coordinator)
    expect(page.get_by_role("heading", name="Your spaces")).to_be_visible()
    page.goto(base + "/m/alpha/coordination/charters/")
    row = page.get_by_role("region", name="Ethics code").get_by_role(
        "row", name=re.compile("Body a2")
    )
    expect(row).to_contain_text("version 2")
    expect(row).to_contain_text("Board decision 7/2026")
    expect(row.locator(".tag")).to_have_text("adopted")
    assert page.problems == []
