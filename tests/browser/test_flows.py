"""Flows a person goes through in a real browser."""

from __future__ import annotations

from playwright.sync_api import expect

from app.extensions import db
from app.jobs.models import JobRun, JobState
from tenants import tenant_scope
from tenants.context import Layer
from tenants.models import Role
from tests.support import PASSWORD, add_member


def _sign_in(page, base, email):
    page.goto(base + "/login")
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def test_sign_in_switch_body_and_sign_out(live_server, browser_page):
    page, base, world = browser_page, live_server["url"], live_server["world"]
    email = world.account("a1", "editor")
    with live_server["app"].app_context():
        add_member(world.users[email], world.mechanisms["beta"], world.bodies["b1"], Role.MEMBER)

    _sign_in(page, base, email)
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

    _sign_in(page, base, email)
    page.goto(f"{base}/m/alpha/b/a1/jobs/{run_id}")
    expect(page.get_by_text("Waiting to start…")).to_be_visible()

    with app.app_context(), tenant_scope(a1.mechanism_id, a1.id, layer=Layer.BODY):
        stored = db.session.get(JobRun, run_id)
        stored.state, stored.progress, stored.message = JobState.RUNNING, 60, "3 / 5"
        db.session.commit()
    # htmx polls the fragment and swaps it in, with no reload
    expect(page.get_by_text("Working… 3 / 5")).to_be_visible()
    expect(page.locator("progress")).to_have_attribute("value", "60")

    with app.app_context(), tenant_scope(a1.mechanism_id, a1.id, layer=Layer.BODY):
        stored = db.session.get(JobRun, run_id)
        stored.state, stored.progress = JobState.FINISHED, 100
        db.session.commit()
    expect(page.get_by_text("Done.")).to_be_visible()
    assert page.problems == []  # no CSP violation, no script error
