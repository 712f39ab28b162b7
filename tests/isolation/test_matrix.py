"""The isolation matrix, built from the application's URL map.

Every tenant route, asked by a member of another body or of another
mechanism, with the first body's slugs or objects, answers 404, also when
the object's id comes in the query string or a form field; every route
enforces its lowest role and serves its allowed roles; no answer shows
content its viewer may not see; every route is classified.
"""

from __future__ import annotations

import pytest
from flask import url_for

from tenants import provisioning
from tests.isolation.matrix import (
    assert_served,
    follow_job,
    form_fields,
    has_field_error,
    methods,
    send,
    sends_to_sign_in,
)
from tests.isolation.objects import missing_value, object_value
from tests.isolation.routes import (
    BODY_ROUTES,
    COORDINATION_ROUTES,
    OPERATOR_ROUTES,
    PUBLIC_ROUTES,
    SHARED_KINDS,
    TENANT_ARGUMENTS,
    UNSHARED,
    TenantRoute,
)
from tests.world import ROLES

STATE_CHANGING = {"POST", "PUT", "PATCH", "DELETE"}
TENANT_ROUTES = {**BODY_ROUTES, **COORDINATION_ROUTES}


def _slugs(world, endpoint: str, body: str) -> dict:
    """The tenant part of a URL: ``body``'s space, or its mechanism's
    coordination layer."""
    slugs = {"mechanism_slug": world.mechanism_of(body).slug}
    if endpoint.startswith("body."):
        slugs["body_slug"] = body
    return slugs


def _url(matrix, endpoint: str, body: str, owner_email: str, **ids) -> str:
    """The URL of ``endpoint`` in ``body``'s space (or layer), naming the
    objects of ``owner_email``'s body, with ``ids`` in its query string."""
    route = TENANT_ROUTES[endpoint]
    values = {
        name: object_value(matrix.world, kind, owner_email)
        for name, kind in {**route.objects, **route.query}.items()
    }
    with matrix.app.test_request_context():
        return url_for(endpoint, **_slugs(matrix.world, endpoint, body), **{**values, **ids})


def _data(matrix, route: TenantRoute, owner_email: str, page=None, url: str = "") -> dict:
    """A request that succeeds: the fields of the form on ``page`` (the GET
    of the same URL) as shown, the route's data, and ids of its own objects."""
    fields = form_fields(page.get_data(as_text=True), url.split("?")[0]) if page else {}
    ids = {name: object_value(matrix.world, kind, owner_email) for name, kind in route.form.items()}
    return {**fields, **route.data, **ids}


def _exercise(matrix, client, endpoint: str, url: str, email: str, allowed: bool) -> None:
    """Every method of the route at ``url``, as ``email``: served (a page with
    a form is read first, and the form sent as shown) or refused with 403."""
    route = TENANT_ROUTES[endpoint]
    page = None
    for method in methods(matrix.app, endpoint):
        data = _data(matrix, route, email, page, url) if method != "GET" else {}
        response = send(client, method, url, data)
        if not allowed:
            assert response.status_code == 403, (email, method, url, response.status_code)
            continue
        assert_served(response, email, method, url)
        follow_job(client, response)
        if method == "GET" and response.status_code == 200:
            page = response


# Classification -----------------------------------------------------------------


def test_every_route_is_classified(app):
    known = set(TENANT_ROUTES) | set(PUBLIC_ROUTES) | set(OPERATOR_ROUTES)
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    assert endpoints - known == set(), "routes missing from the isolation matrix"
    assert known - endpoints == set(), "the matrix names routes that no longer exist"


def test_every_object_a_url_names_is_declared(app):
    """A route cannot be listed without objects while its URL names one: each
    argument of its URL rule (but the tenant's slugs) is in its ``objects``."""
    tables = [TENANT_ROUTES, PUBLIC_ROUTES, OPERATOR_ROUTES]
    for table in tables:
        for endpoint, route in table.items():
            rule = next(app.url_map.iter_rules(endpoint))
            named = set(rule.arguments) - TENANT_ARGUMENTS
            undeclared = named - set(route.objects)
            assert not undeclared, (
                f"{endpoint} ({rule.rule}): its URL names {sorted(undeclared)}, which its"
                " `objects` in tests/isolation/routes.py do not declare: add each with its kind"
            )
            extra = set(route.objects) - named
            assert not extra, (
                f"{endpoint} ({rule.rule}): {sorted(extra)} are not arguments of its URL:"
                " declare ids from the query string in `query=`, from a form in `form=`"
            )
            clash = set(getattr(route, "query", {})) & set(getattr(route, "form", {}))
            assert not clash, f"{endpoint}: {sorted(clash)} declared in both query and form"


def test_every_body_route_is_under_the_body_layer():
    for endpoint in BODY_ROUTES:
        assert endpoint.startswith("body."), endpoint
    for endpoint in COORDINATION_ROUTES:
        assert endpoint.startswith("coordination."), endpoint


# A body's space -------------------------------------------------------------------


@pytest.mark.parametrize("endpoint", sorted(BODY_ROUTES))
def test_body_routes_answer_only_their_members_from_their_lowest_role(matrix, endpoint):
    """A route of a1's space: 404 to another body's or mechanism's members and
    to the operator, with a1's slugs or with their own and a1's objects; the
    sign-in page to an anonymous visitor; 403 below its lowest role; served
    from it. Ids of other tenants in its query or form: as if missing."""
    world, route = matrix.world, BODY_ROUTES[endpoint]
    owner = world.account("a1", "admin")
    intruders = {body: matrix.client(world.account(body, "admin")) for body in ("a2", "b1")}
    operator, anonymous = matrix.client("operator@test.example"), matrix.client()
    for method in methods(matrix.app, endpoint):
        url = _url(matrix, endpoint, "a1", owner)
        data = _data(matrix, route, owner)
        for intruder, client in intruders.items():
            # a1's slugs in the path
            assert send(client, method, url, data).status_code == 404, (method, url, intruder)
            shared = set(route.objects.values()) <= SHARED_KINDS
            if route.objects and not (shared and intruder == "a2"):
                # the intruder's own slugs, a1's objects
                foreign = _url(matrix, endpoint, intruder, owner)
                response = send(client, method, foreign, data)
                assert response.status_code == 404, (method, foreign, intruder)
        assert send(operator, method, url, data).status_code == 404
        assert sends_to_sign_in(send(anonymous, method, url, data)), (method, url)
        # the coordinator's drafts where a shared object goes, from a1's space
        # and a2's: as if they did not exist
        drafts = {
            name: object_value(world, UNSHARED[kind], owner)
            for name, kind in {**route.objects, **route.query}.items()
            if kind in UNSHARED
        }
        for body in ("a1", "a2") if drafts else ():
            client = matrix.client(world.account(body, "admin"))
            draft_url = _url(matrix, endpoint, body, owner, **drafts)
            response = send(client, method, draft_url, data)
            assert response.status_code == 404, (method, draft_url, response.status_code)
    _check_ids_of_other_tenants(matrix, endpoint)
    for role in ROLES:
        email = world.account("a1", role)
        # a fresh URL: the previous role may have removed its object
        url = _url(matrix, endpoint, "a1", email)
        _exercise(matrix, matrix.client(email), endpoint, url, email, role.at_least(route.min_role))
    _observe_every_space(matrix)


def _check_ids_of_other_tenants(matrix, endpoint: str) -> None:
    """An id from the query string or a form field, of another body or of
    another mechanism, gets the answer an id that exists nowhere gets (404,
    a form error, or nothing found), and nothing of its object."""
    world, route = matrix.world, TENANT_ROUTES[endpoint]
    if not route.ids:
        return
    owner = world.account("a1", "admin")
    client = matrix.client(owner)
    page = None
    for method in methods(matrix.app, endpoint):
        url = _url(matrix, endpoint, "a1", owner)
        if method == "GET":
            page = send(client, "GET", url)
        names = route.query if method == "GET" else route.ids
        for name, kind in names.items():
            own = object_value(world, kind, owner)
            missing = _ask(matrix, client, endpoint, method, page, name, missing_value(kind))
            for body in ("a2", "b1"):
                value = object_value(world, kind, world.account(body, "admin"))
                if value == own:
                    continue  # an object the body shares with its mechanism
                response = _ask(matrix, client, endpoint, method, page, name, value)
                assert response.status_code == missing.status_code, (
                    f"{method} {endpoint} with {body}'s {kind} in {name!r} answered"
                    f" {response.status_code}; an id that exists nowhere gets"
                    f" {missing.status_code}"
                )
                if response.status_code == 422:
                    assert has_field_error(response), (endpoint, name, body)
                follow_job(client, response)


def _ask(matrix, client, endpoint, method, page, name, value):
    """The route's request as a1's administrator, with ``value`` in ``name``."""
    route, owner = TENANT_ROUTES[endpoint], matrix.world.account("a1", "admin")
    if name in route.query:
        url = _url(matrix, endpoint, "a1", owner, **{name: value})
        return send(client, method, url, _data(matrix, route, owner, page, url))
    url = _url(matrix, endpoint, "a1", owner)
    return send(client, method, url, {**_data(matrix, route, owner, page, url), name: value})


# The coordination layer -------------------------------------------------------------


@pytest.mark.parametrize("endpoint", sorted(COORDINATION_ROUTES))
def test_coordination_routes_are_for_the_coordinating_body_only(matrix, endpoint):
    world, route = matrix.world, COORDINATION_ROUTES[endpoint]
    owner = world.account("a1", "admin")
    url = _url(matrix, endpoint, "a1", owner)
    data = _data(matrix, route, owner)
    # Members of a non-coordinating body of the mechanism, of another
    # mechanism's coordinating body: as if it did not exist. Membership is
    # checked before the role: one role each, another on each route.
    turn = sorted(COORDINATION_ROUTES).index(endpoint)
    for offset, outsider in enumerate(("a2", "b1")):
        client = matrix.client(world.account(outsider, ROLES[(turn + offset) % len(ROLES)]))
        for method in methods(matrix.app, endpoint):
            assert send(client, method, url, data).status_code == 404, (outsider, method, url)
    if set(route.objects.values()) - {"charter_kind"}:
        # the other mechanism's coordinator, in its own layer, with alpha's objects
        client = matrix.client(world.account("b1", "admin"))
        foreign = _url(matrix, endpoint, "b1", owner)
        for method in methods(matrix.app, endpoint):
            assert send(client, method, foreign, data).status_code == 404, (method, foreign)
    _check_ids_of_other_tenants(matrix, endpoint)
    for role in ROLES:
        email = world.account("a1", role)
        # a fresh URL: the previous role may have removed its object
        url = _url(matrix, endpoint, "a1", owner)
        allowed = role.at_least(route.min_role) and role.at_least(ROLES[2])
        _exercise(matrix, matrix.client(email), endpoint, url, email, allowed)
    _observe_every_space(matrix)


def _observe_every_space(matrix) -> None:
    """What a route did shows nowhere it should not: after its requests, each
    body's administrator reads the body's home (its notices) and its audit
    trail (every answer is scanned)."""
    for body in ("a1", "a2", "b1"):
        email = matrix.world.account(body, "admin")
        client = matrix.client(email)
        for endpoint in ("body.home.home", "body.audit.events"):
            url = _url(matrix, endpoint, body, email)
            assert client.get(url).status_code == 200, url


# What each space shows ----------------------------------------------------------------


def test_an_account_of_several_bodies_sees_each_space_apart(matrix):
    """a1's member also administers a2, and b1 (the coordinating body of
    another mechanism). Each page of a2's and b1's spaces and of beta's
    coordination layer shows that space's content only (every answer is
    scanned; the account's own name and spaces aside); its own jobs and
    notices of a1 are not found there."""
    world = matrix.world
    email = world.account("a1", "member")
    for body in ("a2", "b1"):
        provisioning.invite_user(
            mechanism_slug=world.mechanism_of(body).slug,
            body_slug=body,
            email=email,
            role="admin",
            notify=False,
            accepted=True,
        )
        matrix.joined[email].add(body)
    client = matrix.client(email)
    for body, table in (("a2", BODY_ROUTES), ("b1", BODY_ROUTES), ("b1", COORDINATION_ROUTES)):
        for endpoint in sorted(table):
            if "GET" in methods(matrix.app, endpoint):
                url = _url(matrix, endpoint, body, world.account(body, "admin"))
                response = client.get(url)
                assert response.status_code < 400, (email, url, response.status_code)
        if table is BODY_ROUTES:
            for endpoint in ("body.jobs.status", "body.jobs.download", "body.notices.dismiss"):
                url = _url(matrix, endpoint, body, email)
                response = send(client, methods(matrix.app, endpoint)[0], url)
                assert response.status_code == 404, (url, response.status_code)


# Answers that name no route's object ---------------------------------------------------


def test_unknown_mechanism_and_body_answer_404(matrix):
    client = matrix.client(matrix.world.account("a1", "admin"))
    for url in (
        "/m/nowhere/b/a1/",
        "/m/alpha/b/nobody/",
        "/m/nowhere/coordination/",
        "/m/nowhere/",
        "/m/beta/b/a1/",
    ):
        assert client.get(url).status_code == 404, url


def test_job_of_another_account_answers_404_unless_admin(matrix):
    world = matrix.world
    member = matrix.client(world.account("a1", "member"))
    others_run = world.job_runs[world.account("a1", "editor")]
    assert member.get(f"/m/alpha/b/a1/jobs/{others_run}").status_code == 404
    admin = matrix.client(world.account("a1", "admin"))
    assert admin.get(f"/m/alpha/b/a1/jobs/{others_run}").status_code == 200


def test_malformed_object_ids_answer_404(matrix):
    client = matrix.client(matrix.world.account("a1", "admin"))
    for bad in ("not-a-uuid", "1", "%00", "00000000-0000-0000-0000-000000000000"):
        assert client.get(f"/m/alpha/b/a1/jobs/{bad}").status_code == 404
        assert client.get(f"/m/alpha/b/a1/jobs/{bad}/download").status_code == 404


def test_state_changing_routes_are_never_get(app):
    for rule in app.url_map.iter_rules():
        verbs = rule.methods - {"HEAD", "OPTIONS"}
        if verbs & STATE_CHANGING and "GET" in verbs:
            # a form page: GET shows it, POST changes state
            assert rule.endpoint in {
                "auth.login",
                "auth.second_factor",
                "auth.request_reset",
                "auth.accept_invitation",
                "auth.reset_password",
                "profile.profile",
                "profile.change_password",
                "profile.change_email",
                "profile.two_factor",
                "body.accounts.invite",
                "body.people.new",
                "body.people.edit",
                "body.people.edit_position",
                "body.people.me",
                "body.people.settings",
                "body.people.upload",
                "operator.onboard",  # POST checks a file and writes nothing
                "body.rules.add_section",
                "body.rules.edit_section",
                "body.rules.adopt",
                "body.charters.adopt",
                "coordination.charters.add_section",
                "coordination.charters.edit_section",
                "coordination.charters.publish",
                "coordination.settings.mechanism",
                "operator.new_mechanism",
            }, rule.endpoint
