"""The isolation matrix, built from the application's URL map.

Every tenant route, asked by a member of another body or of another
mechanism, with the first body's slugs or objects, answers 404; every route
enforces its lowest role; every route is classified.
"""

from __future__ import annotations

import pytest

from tests.isolation.routes import (
    BODY_ROUTES,
    COORDINATION_ROUTES,
    OPERATOR_ROUTES,
    PUBLIC_ROUTES,
    SHARED_KINDS,
    TenantRoute,
)
from tests.support import sign_in
from tests.world import (
    ROLES,
    build_world,
    fresh_charter_section,
    fresh_position,
    fresh_rule_section,
)

STATE_CHANGING = {"POST", "PUT", "PATCH", "DELETE"}


@pytest.fixture
def world(app):
    return build_world()


def _methods(app, endpoint: str) -> list[str]:
    rule = next(app.url_map.iter_rules(endpoint))
    return sorted(rule.methods - {"HEAD", "OPTIONS"})


def _object_values(world, route: TenantRoute, owner_email: str) -> dict:
    values = {}
    for param, kind in route.objects.items():
        if kind == "own_job_run":
            values[param] = world.job_runs[owner_email]
        elif kind == "membership":
            values[param] = world.spare_memberships[owner_email.split("-")[0]]
        elif kind == "person":
            values[param] = world.people[owner_email.split("-")[0]]
        elif kind == "position":
            values[param] = fresh_position(world, owner_email.split("-")[0])
        elif kind == "import":
            values[param] = world.imports[owner_email.split("-")[0]]
        elif kind == "own_notice":
            values[param] = world.notices[owner_email]
        elif kind == "fresh_rule_section":
            values[param] = fresh_rule_section(world, owner_email.split("-")[0])
        elif kind == "fresh_charter_section":
            values[param] = fresh_charter_section(world, world.mechanism_of(owner_email[:2]).slug)
        elif kind.startswith("rule_"):
            values[param] = world.rules[owner_email.split("-")[0]][kind]
        elif kind == "charter_kind":
            values[param] = "working_methods"
        elif kind == "charter_comment":  # a comment of the mechanism's other body
            body = "a2" if owner_email.startswith("a") else "b1"
            values[param] = world.charters[world.mechanism_of(body).slug][f"{kind}_{body}"]
        elif kind.startswith("charter_"):
            values[param] = world.charters[world.mechanism_of(owner_email[:2]).slug][kind]
        else:  # pragma: no cover - a new kind must be taught here
            raise AssertionError(f"unknown object kind {kind}")
    return values


def _body_url(app, world, endpoint, route, body: str, owner_email: str) -> str:
    with app.test_request_context():
        from flask import url_for

        return url_for(
            endpoint,
            mechanism_slug=world.mechanism_of(body).slug,
            body_slug=body,
            **_object_values(world, route, owner_email),
        )


def _coordination_url(app, world, endpoint, mechanism: str, owner_email: str) -> str:
    with app.test_request_context():
        from flask import url_for

        route = COORDINATION_ROUTES[endpoint]
        return url_for(
            endpoint, mechanism_slug=mechanism, **_object_values(world, route, owner_email)
        )


def _request(client, method: str, url: str, data: dict | None = None):
    return client.open(url, method=method, data=data or {})


def test_every_route_is_classified(app):
    known = set(BODY_ROUTES) | set(COORDINATION_ROUTES) | PUBLIC_ROUTES | set(OPERATOR_ROUTES)
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    assert endpoints - known == set(), "routes missing from the isolation matrix"
    assert known - endpoints == set(), "the matrix names routes that no longer exist"


def test_every_body_route_is_under_the_body_layer(app):
    for endpoint in BODY_ROUTES:
        assert endpoint.startswith("body."), endpoint
    for endpoint in COORDINATION_ROUTES:
        assert endpoint.startswith("coordination."), endpoint


@pytest.mark.parametrize("endpoint", sorted(BODY_ROUTES))
def test_other_bodies_and_mechanisms_get_404_on_body_routes(app, world, endpoint):
    route = BODY_ROUTES[endpoint]
    owner = world.account("a1", "admin")
    for method in _methods(app, endpoint):
        url = _body_url(app, world, endpoint, route, "a1", owner)
        for intruder in ("a2", "b1"):
            client = app.test_client()
            sign_in(client, world.account(intruder, "admin"))
            # a1's slugs in the path
            assert _request(client, method, url).status_code == 404, (method, url, intruder)
            shared = set(route.objects.values()) <= SHARED_KINDS
            if route.objects and not (shared and intruder == "a2"):
                # the intruder's own slugs, a1's objects
                foreign = _body_url(app, world, endpoint, route, intruder, owner)
                response = _request(client, method, foreign)
                assert response.status_code == 404, (method, foreign, intruder)
        operator = app.test_client()
        sign_in(operator, "operator@test.example")
        assert _request(operator, method, url).status_code == 404
        anonymous = app.test_client()
        response = _request(anonymous, method, url)
        assert response.status_code == 302 and "/login" in response.headers["Location"]


@pytest.mark.parametrize("endpoint", sorted(BODY_ROUTES))
def test_body_routes_enforce_their_lowest_role(app, world, endpoint):
    route = BODY_ROUTES[endpoint]
    for role in ROLES:
        email = world.account("a1", role)
        client = app.test_client()
        sign_in(client, email)
        for method in _methods(app, endpoint):
            url = _body_url(app, world, endpoint, route, "a1", email)
            status = _request(client, method, url, route.data).status_code
            if role.at_least(route.min_role):
                assert status in (200, 302, 422), (role, method, url, status)
            else:
                assert status == 403, (role, method, url, status)


@pytest.mark.parametrize("endpoint", sorted(COORDINATION_ROUTES))
def test_coordination_routes_are_for_the_coordinating_body_only(app, world, endpoint):
    route = COORDINATION_ROUTES[endpoint]
    owner = world.account("a1", "admin")
    url = _coordination_url(app, world, endpoint, "alpha", owner)
    objects = set(route.objects.values()) - {"charter_kind"}
    for method in _methods(app, endpoint):
        for role in ROLES:
            # members of a non-coordinating body of the mechanism, of another
            # mechanism's coordinating body: as if it did not exist
            for outsider in ("a2", "b1"):
                client = app.test_client()
                sign_in(client, world.account(outsider, role))
                assert _request(client, method, url).status_code == 404
            if objects:
                # the other mechanism's coordinator, in its own space, with alpha's objects
                client = app.test_client()
                sign_in(client, world.account("b1", "admin"))
                foreign = _coordination_url(app, world, endpoint, "beta", owner)
                assert _request(client, method, foreign).status_code == 404, (method, foreign)
            client = app.test_client()
            sign_in(client, world.account("a1", role))
            # a fresh URL: the previous role may have removed its object
            url = _coordination_url(app, world, endpoint, "alpha", owner)
            status = _request(client, method, url, route.data).status_code
            allowed = role.at_least(route.min_role) and role.at_least(ROLES[2])
            if allowed:
                assert status in (200, 302, 422), (role, method, url, status)
            else:
                assert status == 403, (role, method, url, status)


@pytest.mark.parametrize("endpoint", sorted(OPERATOR_ROUTES))
def test_operator_routes_answer_404_to_everyone_else(app, world, endpoint):
    with app.test_request_context():
        from flask import url_for

        url = url_for(endpoint, **OPERATOR_ROUTES[endpoint])
    for method in _methods(app, endpoint):
        for email in (world.account("a1", "admin"), world.account("b1", "member")):
            client = app.test_client()
            sign_in(client, email)
            assert _request(client, method, url).status_code == 404, (email, method, url)
        operator = app.test_client()
        sign_in(operator, "operator@test.example")
        assert _request(operator, method, url).status_code in (200, 302, 422)


def test_unknown_mechanism_and_body_answer_404(app, world):
    client = app.test_client()
    sign_in(client, world.account("a1", "admin"))
    for url in (
        "/m/nowhere/b/a1/",
        "/m/alpha/b/nobody/",
        "/m/nowhere/coordination/",
        "/m/nowhere/",
        "/m/beta/b/a1/",
    ):
        assert client.get(url).status_code == 404, url


def test_job_of_another_account_answers_404_unless_admin(app, world):
    member = app.test_client()
    sign_in(member, world.account("a1", "member"))
    others_run = world.job_runs[world.account("a1", "editor")]
    assert member.get(f"/m/alpha/b/a1/jobs/{others_run}").status_code == 404
    admin = app.test_client()
    sign_in(admin, world.account("a1", "admin"))
    assert admin.get(f"/m/alpha/b/a1/jobs/{others_run}").status_code == 200


def test_malformed_object_ids_answer_404(app, world):
    client = app.test_client()
    sign_in(client, world.account("a1", "admin"))
    for bad in ("not-a-uuid", "1", "%00", "00000000-0000-0000-0000-000000000000"):
        assert client.get(f"/m/alpha/b/a1/jobs/{bad}").status_code == 404
        assert client.get(f"/m/alpha/b/a1/jobs/{bad}/download").status_code == 404


def test_state_changing_routes_are_never_get(app):
    for rule in app.url_map.iter_rules():
        methods = rule.methods - {"HEAD", "OPTIONS"}
        if methods & STATE_CHANGING and "GET" in methods:
            # a form page: GET shows it, POST changes state
            assert rule.endpoint in {
                "auth.login",
                "auth.second_factor",
                "auth.request_reset",
                "auth.accept_invitation",
                "auth.reset_password",
                "account.profile",
                "account.change_password",
                "account.change_email",
                "account.two_factor",
                "body.accounts.invite",
                "body.people.new",
                "body.people.edit",
                "body.people.edit_position",
                "body.people.me",
                "body.people.settings",
                "body.people.upload",
                "body.rules.add_section",
                "body.rules.edit_section",
                "body.rules.adopt",
                "body.charters.adopt",
                "coordination.charters.add_section",
                "coordination.charters.edit_section",
                "coordination.charters.publish",
                "operator.new_mechanism",
            }, rule.endpoint
