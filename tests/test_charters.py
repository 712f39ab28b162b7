"""Joint charters: the coordinator's versions and consultation, adoption
body by body with exceptions, the board, reminders and acknowledgements of
the ethics code, and what reaches the public site."""

from __future__ import annotations

import logging
import re
import uuid

import sqlalchemy as sa

from app.charters.models import (
    CharterAcknowledgement,
    CharterAdoption,
    CharterVersion,
    Outcome,
)
from app.documents.vocabulary import VersionState
from app.extensions import db
from app.notices.models import Notice
from tenants.context import Layer, tenant_scope

COORDINATION = "/m/alpha/coordination/charters"


def _body(body: str) -> str:
    return f"/m/alpha/b/{body}/charters"


def _version(world, version_id) -> CharterVersion:
    with tenant_scope(world.mechanisms["alpha"].id, layer=Layer.JOB):
        return db.session.scalars(
            CharterVersion.scoped_select()
            .where(CharterVersion.id == uuid.UUID(str(version_id)))
            .execution_options(populate_existing=True)
        ).one()


def _publish_new_code(app, world, text: str = "Do no harm, ever.") -> str:
    """The coordinator drafts version 3 of the ethics code and publishes it
    (version 2, in consultation in the world, goes back to drafting first)."""
    coordinator = world.client(app, "a1", "admin")
    consultation = world.charters["alpha"]["charter_consultation"]
    coordinator.post(f"{COORDINATION}/versions/{consultation}/draft")
    section = world.charters["alpha"]["charter_consultation_section"]
    response = coordinator.post(
        f"{COORDINATION}/sections/{section}/edit",
        data={"title": "Confidentiality", "body": text, "revision": "1"},
    )
    assert response.status_code == 302
    response = coordinator.post(
        f"{COORDINATION}/versions/{consultation}/publish",
        data={"adopted_on": "2026-03-01", "visibility": "public", "act_reference": "SG 3"},
    )
    assert response.status_code == 302
    return str(consultation)


def test_bodies_comment_in_consultation_and_only_they_and_the_coordinator_see_it(app, world):
    consultation = world.charters["alpha"]["charter_consultation"]
    section = world.charters["alpha"]["charter_consultation_section"]
    editor = world.client(app, "a2", "editor")
    response = editor.post(
        f"{_body('a2')}/sections/{section}/comments", data={"text": "Name the SPT liaison."}
    )
    assert response.status_code == 302
    # a member may read but not comment
    member = world.client(app, "a2", "member")
    assert (
        member.post(f"{_body('a2')}/sections/{section}/comments", data={"text": "x"}).status_code
        == 403
    )
    coordinator = world.client(app, "a1", "editor")
    page = coordinator.get(f"{COORDINATION}/versions/{consultation}").get_data(as_text=True)
    assert "Name the SPT liaison." in page and "Comment of a2" in page
    # the coordinating body's own space shows only its own comments
    own = coordinator.get(f"{_body('a1')}/versions/{consultation}").get_data(as_text=True)
    assert (
        "Comment of a1" in own and "Name the SPT liaison." not in own and "Comment of a2" not in own
    )
    # the coordinator answers and resolves; the body sees the answer
    thread = page.split("Name the SPT liaison.")[1]
    comment_id = re.search(r"/charters/comments/([0-9a-f-]{36})/answer", thread).group(1)
    answered = coordinator.post(
        f"{COORDINATION}/comments/{comment_id}/answer",
        data={"answer": "Added to section 8.", "resolved": "y"},
    )
    assert answered.status_code == 302
    seen = member.get(f"{_body('a2')}/versions/{consultation}").get_data(as_text=True)
    assert "Added to section 8." in seen


def test_a_body_never_sees_the_coordinators_drafts(app, world):
    draft = world.charters["alpha"]["charter_draft"]
    admin = world.client(app, "a2", "admin")
    assert admin.get(f"{_body('a2')}/versions/{draft}").status_code == 404
    assert admin.get(f"{_body('a2')}/versions/{draft}/print").status_code == 404
    section = world.charters["alpha"]["charter_draft_section"]
    assert (
        admin.post(f"{_body('a2')}/sections/{section}/comments", data={"text": "x"}).status_code
        == 404
    )


def test_publishing_asks_every_body_to_adopt_by_mail_and_notice(app, world, caplog):
    caplog.set_level(logging.INFO, logger="concert.mail")
    version_id = _publish_new_code(app, world)
    version = _version(world, version_id)
    assert version.state is VersionState.ADOPTED and version.act_reference == "SG 3"
    # the version published before is superseded
    assert _version(world, world.charters["alpha"]["charter_published"]).state is (
        VersionState.SUPERSEDED
    )
    for body in ("a1", "a2"):
        with tenant_scope(world.mechanisms["alpha"].id, world.bodies[body].id, layer=Layer.BODY):
            notices = db.session.scalars(
                Notice.scoped_select().where(Notice.kind == "charters.awaiting_adoption")
            ).all()
        assert len(notices) == 1, body  # the body's one administrator
        assert f"/b/{body}/charters/versions/{version_id}" in notices[0].link
    mails = [
        r.getMessage() for r in caplog.records if "awaits your body's adoption" in r.getMessage()
    ]
    assert len(mails) == 2
    # the body admin's home shows the notice
    home = world.client(app, "a2", "admin").get("/m/alpha/b/a2/").get_data(as_text=True)
    assert "Record your body&#39;s decision on version" in home, home
    # beta's bodies heard nothing
    with tenant_scope(world.mechanisms["beta"].id, world.bodies["b1"].id, layer=Layer.BODY):
        assert not db.session.scalars(
            Notice.scoped_select().where(Notice.kind == "charters.awaiting_adoption")
        ).all()


def test_adoption_and_exception_body_by_body_on_the_board(app, world):
    version_id = _publish_new_code(app, world)
    admin_a2 = world.client(app, "a2", "admin")
    # an exception needs its reason; nothing is recorded without it
    refused = admin_a2.post(
        f"{_body('a2')}/versions/{version_id}/adopt",
        data={"outcome": "exception", "decided_on": "2026-03-05"},
    )
    assert refused.status_code == 422
    assert "Say why the body makes an exception." in refused.get_data(as_text=True)
    # nor a decision dated before the publication
    early = admin_a2.post(
        f"{_body('a2')}/versions/{version_id}/adopt",
        data={"outcome": "adopted", "decided_on": "2026-02-01", "reference": "Early"},
    )
    assert early.status_code == 422
    assert "the decision cannot be earlier" in early.get_data(as_text=True)
    response = admin_a2.post(
        f"{_body('a2')}/versions/{version_id}/adopt",
        data={"outcome": "exception", "decided_on": "2026-03-05", "reason": "Our statute differs."},
    )
    assert response.status_code == 302
    board = world.client(app, "a1", "member").get(f"{COORDINATION}/").get_data(as_text=True)
    assert "Our statute differs." in board and "waiting since" in board.lower()
    code = board.split('id="charter-ethics_code"')[1].split("</section>")[0]
    a2_row = code.split('<th scope="row">Body a2</th>')[1].split("</tr>")[0]
    assert '<span class="tag">exception</span>' in a2_row and "not adopted" not in a2_row
    a1_row = code.split('<th scope="row">Body a1</th>')[1].split("</tr>")[0]
    assert "2026-03-01" in a1_row  # waiting since the publication
    # then the body adopts after all: the same row changes
    admin_a2.post(
        f"{_body('a2')}/versions/{version_id}/adopt",
        data={"outcome": "adopted", "decided_on": "2026-04-01", "reference": "Board 7/2026"},
    )
    with tenant_scope(world.mechanisms["alpha"].id, world.bodies["a2"].id, layer=Layer.BODY):
        rows = db.session.scalars(
            CharterAdoption.scoped_select().where(
                CharterAdoption.version_id == uuid.UUID(version_id)
            )
        ).all()
    assert [(r.outcome, r.reference, r.reason) for r in rows] == [
        (Outcome.ADOPTED, "Board 7/2026", "")
    ]
    board = world.client(app, "a1", "member").get(f"{COORDINATION}/").get_data(as_text=True)
    code = board.split('id="charter-ethics_code"')[1].split("</section>")[0]
    a1_row = code.split('<th scope="row">Body a1</th>')[1].split("</tr>")[0]
    a2_row = code.split('<th scope="row">Body a2</th>')[1].split("</tr>")[0]
    assert "Board 7/2026" in a2_row and "not adopted" not in a2_row
    assert "version 1" in a1_row and "not adopted" in a1_row and "2026" in a1_row
    # only an admin records; only the published version can be adopted
    assert (
        world.client(app, "a2", "editor")
        .get(f"{_body('a2')}/versions/{version_id}/adopt")
        .status_code
        == 403
    )
    older = world.charters["alpha"]["charter_published"]
    assert admin_a2.get(f"{_body('a2')}/versions/{older}/adopt").status_code == 409
    # the body's rulebook shows the charter version it adopted
    rules = admin_a2.get("/m/alpha/b/a2/rules/").get_data(as_text=True)
    assert "Ethics code, version 2" in rules and "Board 7/2026" in rules


def test_reminders_go_only_to_bodies_that_have_not_decided(app, world, caplog):
    version_id = _publish_new_code(app, world)
    world.client(app, "a2", "admin").post(
        f"{_body('a2')}/versions/{version_id}/adopt",
        data={"outcome": "adopted", "decided_on": "2026-03-05"},
    )
    caplog.clear()
    caplog.set_level(logging.INFO, logger="concert.mail")
    # an editor of the coordinating body may not send them; an admin may
    coordinator = world.client(app, "a1", "editor")
    assert coordinator.post(f"{COORDINATION}/versions/{version_id}/remind").status_code == 403
    world.client(app, "a1", "admin").post(f"{COORDINATION}/versions/{version_id}/remind")
    mails = [
        r.getMessage() for r in caplog.records if "has not recorded its adoption" in r.getMessage()
    ]
    assert len(mails) == 1 and "a1 has not recorded" in mails[0]


def test_people_of_an_adopting_body_acknowledge_the_ethics_code(app, world, caplog):
    version_id = _publish_new_code(app, world)
    admin = world.client(app, "a2", "admin")
    admin.post(
        f"{_body('a2')}/versions/{version_id}/adopt",
        data={"outcome": "adopted", "decided_on": "2026-03-05"},
    )
    # every account of the body is asked, in-app
    with tenant_scope(world.mechanisms["alpha"].id, world.bodies["a2"].id, layer=Layer.BODY):
        asked = db.session.scalars(
            sa.select(Notice.user_id).where(Notice.kind == "charters.acknowledge")
        ).all()
    assert len(asked) == 5  # four roles and the spare member
    expert = world.client(app, "a2", "external_expert")
    page = expert.get(f"{_body('a2')}/versions/{version_id}").get_data(as_text=True)
    assert "I have read the ethics code" in page
    assert expert.post(f"{_body('a2')}/versions/{version_id}/acknowledge").status_code == 302
    # twice is once
    expert.post(f"{_body('a2')}/versions/{version_id}/acknowledge")
    # the request is settled on the expert's home page
    home = expert.get("/m/alpha/b/a2/").get_data(as_text=True)
    assert "Please read version" not in home
    page = expert.get(f"{_body('a2')}/versions/{version_id}").get_data(as_text=True)
    assert "You have confirmed that you read this ethics code." in page
    # the admin sees who has not
    readers = admin.get(f"{_body('a2')}/versions/{version_id}/readers").get_data(as_text=True)
    assert "1 of 5 accounts" in readers
    assert readers.count("not yet") == 4
    # and reminds them, by e-mail and in-app: the expert is left alone
    caplog.set_level(logging.INFO, logger="concert.mail")
    caplog.clear()
    response = admin.post(f"{_body('a2')}/versions/{version_id}/readers/remind")
    assert response.status_code == 302 and "/jobs/" in response.headers["Location"]
    mails = [r.getMessage() for r in caplog.records if "Please read" in r.getMessage()]
    assert len(mails) == 4
    assert not any("a2-external_expert@test.example" in m for m in mails)
    with tenant_scope(world.mechanisms["alpha"].id, world.bodies["a2"].id, layer=Layer.BODY):
        rows = db.session.scalars(CharterAcknowledgement.scoped_select()).all()
    assert len(rows) == 1
    # a body that has not adopted this version: nothing to acknowledge
    a1 = world.client(app, "a1", "member")
    assert a1.post(f"{_body('a1')}/versions/{version_id}/acknowledge").status_code == 404


def test_the_ethics_code_version_differences(app, world):
    version_id = _publish_new_code(app, world, text="Text 2 and do no harm")
    older = world.charters["alpha"]["charter_published"]
    member = world.client(app, "a2", "member")
    html = member.get(f"{_body('a2')}/compare?from={older}&to={version_id}").get_data(as_text=True)
    assert "<del>1</del><ins>2 and do no harm</ins>" in html
    # a version of another charter does not compare
    draft = world.charters["alpha"]["charter_draft"]
    coordinator = world.client(app, "a1", "member")
    assert coordinator.get(f"{COORDINATION}/compare?from={older}&to={draft}").status_code == 404


def test_public_site_shows_public_charters_only(app, world):
    public = app.test_client()
    internal = world.charters["alpha"]["charter_published"]
    assert public.get(f"/m/alpha/charters/{internal}").status_code == 404
    assert "Ethics code" not in public.get("/m/alpha/rules/").get_data(as_text=True)
    version_id = _publish_new_code(app, world)
    listing = public.get("/m/alpha/rules/").get_data(as_text=True)
    assert f"/m/alpha/charters/{version_id}" in listing
    page = public.get(f"/m/alpha/charters/{version_id}")
    assert page.status_code == 200 and "Do no harm, ever." in page.get_data(as_text=True)
    assert public.get(f"/m/beta/charters/{version_id}").status_code == 404
    draft = world.charters["alpha"]["charter_draft"]
    assert public.get(f"/m/alpha/charters/{draft}").status_code == 404


def test_one_working_version_per_charter(app, world):
    coordinator = world.client(app, "a1", "editor")
    # the ethics code has version 2 in consultation: no new draft
    coordinator.post(f"{COORDINATION}/ethics_code/versions")
    with tenant_scope(world.mechanisms["alpha"].id, layer=Layer.JOB):
        count = db.session.scalar(sa.select(sa.func.count()).select_from(CharterVersion))
    assert count == 3
    # the coordination agreement has none: its first draft starts from the topics
    response = coordinator.post(f"{COORDINATION}/coordination_agreement/versions")
    page = coordinator.get(response.headers["Location"]).get_data(as_text=True)
    assert "Liaison with the UN Subcommittee on Prevention of Torture" in page
    assert coordinator.post(f"{COORDINATION}/no_such_charter/versions").status_code == 404


def test_weekly_reminders_go_to_bodies_still_undecided_after_a_week(app, world):
    from datetime import timedelta

    from app.jobs.services import enqueue
    from tenants.models import utcnow

    version_id = _publish_new_code(app, world)
    world.client(app, "a2", "admin").post(
        f"{_body('a2')}/versions/{version_id}/adopt",
        data={"outcome": "adopted", "decided_on": "2026-03-05"},
    )
    # published today: too early to remind anyone
    assert enqueue("charters.weekly").result == {"bodies": 0}
    with tenant_scope(world.mechanisms["alpha"].id, layer=Layer.JOB):
        version = db.session.get(
            CharterVersion, (world.mechanisms["alpha"].id, uuid.UUID(version_id))
        )
        version.state_changed_at = utcnow() - timedelta(days=8)
        db.session.commit()
    # a week on: a1 has not decided, a2 has, beta's bodies are up to date
    assert enqueue("charters.weekly").result == {"bodies": 1}
    with tenant_scope(world.mechanisms["alpha"].id, world.bodies["a1"].id, layer=Layer.BODY):
        waiting = db.session.scalars(
            Notice.scoped_select().where(Notice.kind == "charters.awaiting_adoption")
        ).all()
    assert len(waiting) == 2  # at publication, and now
