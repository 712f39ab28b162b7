"""Rules and charters pages send a bounded number of SQL statements, however
many versions, sections, comments and bodies there are."""

from __future__ import annotations

from datetime import date

import pytest

from app.charters.models import CharterAdoption, CharterComment, Outcome
from app.documents.vocabulary import RuleArea, VersionState, Visibility
from app.extensions import db
from app.rules.models import RuleComment, RuleSection, RuleVersion
from tenants.context import Layer, tenant_scope
from tests.support import (
    add_member,
    assert_max_queries,
    count_queries,
    make_body,
    make_user,
    sign_in,
)
from tests.world import build_world

# page (with the world's object it names) → budget, at 5 and at 50 versions,
# comments and readers, and 1 and 10 more bodies on the board
BUDGETS = {
    "/m/alpha/b/a1/rules/": 9,
    "/m/alpha/b/a1/rules/versions/{rule_consultation}": 11,
    "/m/alpha/b/a1/charters/": 12,
    "/m/alpha/b/a1/charters/versions/{charter_consultation}": 16,
    "/m/alpha/coordination/charters/": 13,
    "/m/alpha/coordination/charters/versions/{charter_consultation}": 13,
    "/m/alpha/rules/": 7,
}


@pytest.fixture
def world(app):
    return build_world()


def _grow(world, scale: int) -> None:
    alpha, a1 = world.mechanisms["alpha"], world.bodies["a1"]
    rules, charters = world.rules["a1"], world.charters["alpha"]
    # accounts are created outside any tenant, as sign-up and provisioning do
    users = [make_user(f"grow{scale}-{i}@test.example") for i in range(scale)]
    with tenant_scope(alpha.id, a1.id, layer=Layer.BODY):
        for number in range(100 * scale, 101 * scale):
            version = RuleVersion(
                body_id=a1.id,
                number=number,
                state=VersionState.SUPERSEDED,
                visibility=Visibility.PUBLIC,
            )
            version.sections.extend(
                RuleSection(body_id=a1.id, area=RuleArea.ETHICS, title=f"S{i}") for i in range(5)
            )
            db.session.add(version)
        for i, user in enumerate(users):
            add_member(user, alpha, a1, "member")
            db.session.add(
                RuleComment(
                    body_id=a1.id,
                    section_id=rules["rule_consultation_section"],
                    author_id=user.id,
                    text=f"c{i}",
                )
            )
            db.session.add(
                CharterComment(
                    body_id=a1.id,
                    section_id=charters["charter_consultation_section"],
                    author_id=user.id,
                    text=f"c{i}",
                )
            )
        db.session.commit()
    for i in range(scale // 5):
        body = make_body(alpha, f"g{scale}x{i}")
        with tenant_scope(alpha.id, body.id, layer=Layer.BODY):
            db.session.add(
                CharterAdoption(
                    body_id=body.id,
                    version_id=charters["charter_published"],
                    outcome=Outcome.ADOPTED,
                    decided_on=date(2026, 1, 3),
                )
            )
            db.session.commit()


@pytest.mark.parametrize("page", sorted(BUDGETS))
def test_rules_and_charters_pages_keep_their_budget(app, world, page):
    url = page.format(**world.rules["a1"], **world.charters["alpha"])
    client = app.test_client()
    sign_in(client, world.account("a1", "admin"))
    _grow(world, 5)
    with count_queries() as few:
        assert client.get(url).status_code == 200
    _grow(world, 50)
    with assert_max_queries(BUDGETS[page]) as many:
        assert client.get(url).status_code == 200
    assert many.count == few.count, "the number of queries grows with the data"
