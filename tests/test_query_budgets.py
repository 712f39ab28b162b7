"""Pages send a bounded number of SQL statements, whatever the data volume."""

from __future__ import annotations

import pytest

from tests.support import add_member, assert_max_queries, count_queries, make_user, sign_in
from tests.world import build_world

# What each page needs today; raise a budget only with a reason.
BUDGETS = {
    "/": 4,  # the session, the user, their spaces across mechanisms (one query)
    "/m/alpha/b/a1/": 8,  # with the reader's open notices
    "/m/alpha/b/a1/accounts/": 8,
    "/m/alpha/b/a1/audit/": 10,
    "/m/alpha/coordination/": 8,
    "/m/alpha/": 5,
}


@pytest.fixture
def world(app):
    return build_world()


def _grow(world, people: int) -> None:
    alpha, a1, a2 = world.mechanisms["alpha"], world.bodies["a1"], world.bodies["a2"]
    for i in range(people):
        user = make_user(f"extra{i}@test.example")
        add_member(user, alpha, a1 if i % 2 else a2, "member")


@pytest.mark.parametrize("url", sorted(BUDGETS))
def test_pages_stay_within_their_query_budget(app, world, url):
    client = app.test_client()
    sign_in(client, world.account("a1", "admin"))
    with count_queries() as small:
        assert client.get(url).status_code == 200
    _grow(world, 40)
    with assert_max_queries(BUDGETS[url]) as large:
        assert client.get(url).status_code == 200
    assert large.count == small.count, "the number of queries grows with the data"
