"""Pages send a bounded number of SQL statements, whatever the data volume.
Each page's budget stands beside its entry in the isolation matrix
(``tests/isolation/routes.py``); raise one only with a reason."""

from __future__ import annotations

import pytest

from tests.growth import GROWTH
from tests.isolation.routes import BODY_ROUTES, COORDINATION_ROUTES, PUBLIC_ROUTES
from tests.support import assert_max_queries, count_queries, sign_in

BUDGETS = {
    endpoint: route.budget
    for routes in (BODY_ROUTES, COORDINATION_ROUTES, PUBLIC_ROUTES)
    for endpoint, route in routes.items()
    if route.budget is not None
}


@pytest.mark.parametrize("endpoint", sorted(BUDGETS))
def test_pages_stay_within_their_query_budget(app, world, endpoint):
    budget = BUDGETS[endpoint]
    few, many = GROWTH[budget.grow]
    url = budget.path.format(**world.rules["a1"], **world.charters["alpha"])
    client = app.test_client()
    sign_in(client, world.account("a1", "admin"))
    few(world)
    with count_queries() as small:
        assert client.get(url).status_code == 200
    many(world)
    with assert_max_queries(budget.queries) as large:
        assert client.get(url).status_code == 200
    assert large.count == small.count, "the number of queries grows with the data"


def test_the_budgets_are_read_from_the_matrix():
    # home, accounts, audit, people, rules, charters, public site and spaces
    assert len(BUDGETS) == 16
