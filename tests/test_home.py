"""The home pages say what needs each person and each body now: the tasks
every capability declares, one query per kind, and the coordinator's board
of bodies."""

from __future__ import annotations

from datetime import date, timedelta

import sqlalchemy as sa

from app.capabilities import declared, task_kinds
from app.extensions import db
from app.notices.services import notify
from app.people.models import PeopleImport
from tenants import provisioning
from tenants.context import Layer, tenant_scope
from tenants.models import Membership, Role, User
from tests.growth import people
from tests.support import add_member, make_user

BODY_HOME = "/m/alpha/b/a1/"


def _page(client, url=BODY_HOME) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def _tasks(html: str) -> str:
    return html[html.index('id="tasks"') : html.index("</section>", html.index('id="tasks"'))]


def test_task_kinds_are_declared_by_capabilities_for_both_home_pages():
    names = {kind.name for capability in declared() for kind in capability.tasks}
    assert {"notices", "charters.decide", "people.terms", "rules.consultation"} <= names
    assert {kind.name for kind in task_kinds("coordination")} >= {"charters.comments"}
    # a kind reaches only the roles it concerns
    assert "charters.decide" not in {kind.name for kind in task_kinds("body", Role.MEMBER)}


def test_body_home_lists_what_waits_for_an_administrator(app, world):
    a1 = world.bodies["a1"]
    alpha = world.mechanisms["alpha"]
    people(world, "a1", 1, term_end=date.today() + timedelta(days=20))
    provisioning.invite_user(
        mechanism_slug="alpha",
        body_slug="a1",
        email="late@test.example",
        role="member",
        notify=False,
    )
    with tenant_scope(alpha.id, a1.id, layer=Layer.BODY):
        db.session.add(PeopleImport(body_id=a1.id, filename="board.csv", parsed_rows=[]))
        db.session.commit()
    tasks = _tasks(_page(world.client(app, "a1", "admin")))
    assert "a1 person 0" in tasks  # the term ending, with its due date
    assert "board.csv" in tasks
    assert "late@test.example" in tasks
    assert "open for your comments" in tasks  # the body's rules in consultation
    assert "ethics code and confirm" in tasks  # the adopted code, not yet read
    # the term-ending notice is the live task itself: not listed twice
    assert "someone of a1" not in tasks


def test_a_task_comes_off_the_home_page_once_done(app, world):
    client = world.client(app, "a1", "member")
    assert "ethics code and confirm" in _tasks(_page(client))
    version = world.charters["alpha"]["charter_published"]
    assert client.post(f"/m/alpha/b/a1/charters/versions/{version}/acknowledge").status_code == 302
    assert "ethics code and confirm" not in _tasks(_page(client))


def test_tasks_concern_the_roles_that_can_do_them(app, world):
    provisioning.invite_user(
        mechanism_slug="alpha",
        body_slug="a1",
        email="late@test.example",
        role="member",
        notify=False,
    )
    member = _tasks(_page(world.client(app, "a1", "member")))
    assert "late@test.example" not in member
    # a member's notice of a term ending is a notice: listed, with its dismissal
    assert "someone of a1" in member and "Dismiss" in member
    expert = _tasks(_page(world.client(app, "a1", "external_expert")))
    assert "open for your comments" not in expert


def test_other_bodies_tasks_never_show(app, world):
    a2, alpha = world.bodies["a2"], world.mechanisms["alpha"]
    with tenant_scope(alpha.id, a2.id, layer=Layer.BODY):
        db.session.add(PeopleImport(body_id=a2.id, filename="secret-a2.csv", parsed_rows=[]))
        db.session.commit()
    assert "secret-a2.csv" not in _page(world.client(app, "a1", "admin"))
    assert "secret-a2.csv" in _page(world.client(app, "a2", "admin"), "/m/alpha/b/a2/")


def test_the_header_counts_a_persons_notices_in_the_body(app, world):
    client = world.client(app, "a1", "member")
    assert "1 notice<" in _page(client)
    user_id = db.session.scalar(
        sa.select(User.id).where(User.email == world.account("a1", "member"))
    )
    with tenant_scope(world.mechanisms["alpha"].id, world.bodies["a1"].id, layer=Layer.BODY):
        notify([user_id], "people.term_ending", {"name": "n", "term_end": "2030-01-01", "days": 9})
        db.session.commit()
    assert "2 notices<" in _page(client, "/m/alpha/b/a1/charters/")


def test_the_overview_tells_the_coordinator_what_waits(app, world):
    html = _page(world.client(app, "a1", "member"), "/m/alpha/coordination/")
    tasks = _tasks(html)
    # each body's comment on the code in consultation is unanswered
    assert "2 comments on version 2 of the ethics code wait for your answer." in tasks
    assert "Where each body stands" in html


def test_the_board_puts_a_body_without_administrator_first(app, world):
    alpha = world.mechanisms["alpha"]
    # a2 loses its administrator: it can no longer be reminded of anything
    with tenant_scope(alpha.id, layer=Layer.PLATFORM):
        membership = db.session.scalars(
            sa.select(Membership)
            .join(User, User.id == Membership.user_id)
            .where(User.email == world.account("a2", "admin"))
        ).one()
        membership.role = Role.EDITOR
        db.session.commit()
    add_member(make_user("z@test.example"), alpha, world.bodies["a1"], "member")
    html = _page(world.client(app, "a1", "member"), "/m/alpha/coordination/")
    board = html[html.index('class="board"') :]
    assert board.index("no administrator") < board.index("1 administrator")
    assert 'class="needs-attention"' in board
