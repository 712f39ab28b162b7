"""The routes outside the tenant layers, requested as the matrix requests
the others: a mechanism's public site as an anonymous visitor, the sign-in
and account pages, and the operator's pages. Every answer is scanned for
tenant content (``markers.py``)."""

from __future__ import annotations

import uuid

import pytest
from flask import url_for

from app.auth import tokens
from app.auth.models import TokenPurpose
from app.extensions import db
from tenants import provisioning
from tests.isolation.markers import marker_table
from tests.isolation.matrix import (
    assert_served,
    form_fields,
    has_field_error,
    methods,
    send,
    sends_to_sign_in,
)
from tests.isolation.objects import operator_value
from tests.isolation.routes import OPERATOR_ROUTES, PUBLIC_ROUTES
from tests.support import PASSWORD, next_code


def _url(app, endpoint: str, **values) -> str:
    with app.test_request_context():
        return url_for(endpoint, **values)


# The public site ----------------------------------------------------------------------

# What each body and coordinator makes public below, as (owner, kind).
PUBLISHED = {
    ("a1", "rule_adopted"),
    ("b1", "rule_adopted"),
    ("alpha", "charter_draft"),
    ("beta", "charter_draft"),
}


def _publish(matrix) -> None:
    """a1 and b1 make their rules in force public, and each mechanism's
    coordinator publishes its joint working methods for everyone: both
    mechanisms have public content, and alpha has content that is not."""
    world = matrix.world
    for body in ("a1", "b1"):
        mechanism = world.mechanism_of(body).slug
        admin = matrix.client(world.account(body, "admin"))
        version = world.rules[body]["rule_adopted"]
        url = _url(
            matrix.app,
            "body.rules.visibility",
            mechanism_slug=mechanism,
            body_slug=body,
            version_id=version,
        )
        assert admin.post(url, data={"visibility": "public"}).status_code == 302
        url = _url(
            matrix.app,
            "coordination.charters.publish",
            mechanism_slug=mechanism,
            version_id=world.charters[mechanism]["charter_draft"],
        )
        fields = form_fields(admin.get(url).get_data(as_text=True), url)
        response = admin.post(url, data={**fields, "visibility": "public"})
        assert response.status_code == 302, response.status_code


def test_public_site_shows_what_its_mechanism_published_and_nothing_else(matrix):
    """alpha's public site, to an anonymous visitor: its bodies, a1's public
    rules and its public charter; never a draft, an internal version, a person,
    nor anything of beta (whose own public content is on beta's site only)."""
    world, app = matrix.world, matrix.app
    _publish(matrix)
    matrix.markers = marker_table(world, public=PUBLISHED)
    objects = {
        "public_rule": world.rules["a1"]["rule_adopted"],
        "public_charter": world.charters["alpha"]["charter_draft"],
    }
    visitor = matrix.client()
    for endpoint, route in PUBLIC_ROUTES.items():
        if endpoint.startswith("public.site."):
            values = {name: objects[kind] for name, kind in route.objects.items()}
            url = _url(app, endpoint, mechanism_slug="alpha", **values)
            assert visitor.get(url).status_code == 200, url
    not_public = [
        ("alpha", "rule_version", world.rules["a1"]["rule_draft"]),
        ("alpha", "rule_version", world.rules["a1"]["rule_consultation"]),
        ("alpha", "rule_version", world.rules["a2"]["rule_adopted"]),  # internal
        ("alpha", "charter_version", world.charters["alpha"]["charter_published"]),  # internal
        ("alpha", "charter_version", world.charters["alpha"]["charter_consultation"]),
        # public, but of the other mechanism
        ("alpha", "rule_version", world.rules["b1"]["rule_adopted"]),
        ("alpha", "charter_version", world.charters["beta"]["charter_draft"]),
        ("beta", "rule_version", world.rules["a1"]["rule_adopted"]),
        ("beta", "charter_version", world.charters["alpha"]["charter_draft"]),
    ]
    for mechanism, page, version in not_public:
        url = _url(app, f"public.site.{page}", mechanism_slug=mechanism, version_id=version)
        assert visitor.get(url).status_code == 404, url
    for url in ("/m/beta/", "/m/beta/rules/"):
        assert visitor.get(url).status_code == 200, url


# Sign-in and one's own account ----------------------------------------------------------


def test_open_routes_answer_and_show_nothing_of_any_tenant(matrix):
    """Every route outside the tenant layers, but the public site's: the
    pages for signing in, to anyone; the account pages, to a signed-in
    person about themselves only. Another person's invitation or e-mail link
    answers as one that does not exist."""
    world, app = matrix.world, matrix.app
    email = world.account("a1", "member")
    other = world.account("b1", "member")
    invited = provisioning.invite_user(
        mechanism_slug="alpha",
        body_slug="a1",
        email="new@test.example",
        role="member",
        notify=False,
    )
    own_invitation = provisioning.invite_user(
        mechanism_slug="alpha", body_slug="a2", email=email, role="member", notify=False
    ).membership.id
    others_invitation = provisioning.invite_user(
        mechanism_slug="alpha", body_slug="a2", email=other, role="member", notify=False
    ).membership.id
    objects = {
        "static_file": "favicon.svg",
        "invitation_token": tokens.issue(invited.user, TokenPurpose.INVITATION),
        "reset_token": tokens.issue(world.users[other], TokenPurpose.PASSWORD_RESET),
        "own_email_token": tokens.issue(
            world.users[email], TokenPurpose.EMAIL_CHANGE, new_email="a1-moved@test.example"
        ),
        "own_invitation": own_invitation,
        "invitation_answer": "decline",
    }
    others = {
        "own_email_token": tokens.issue(
            world.users[other], TokenPurpose.EMAIL_CHANGE, new_email="b1-moved@test.example"
        ),
        "own_invitation": others_invitation,
    }
    missing = {"own_email_token": "no-such-link", "own_invitation": uuid.uuid4()}
    db.session.commit()

    # Signing in: the password, then the code, as a person does.
    person = matrix.client()
    person.viewer = email
    assert person.get("/login").status_code == 200
    assert person.post("/login", data={"email": email, "password": PASSWORD}).status_code == 302
    assert person.get("/login/code").status_code == 200
    code = next_code(world.users[email])
    assert person.post("/login/code", data={"code": code}).status_code == 302

    anonymous, signed_in = matrix.client(), matrix.client(email)
    # a link mailed to an account is opened by that account's person
    holders = {"invitation_token": "new@test.example", "reset_token": other}
    last = ("auth.logout",)
    for endpoint in sorted(PUBLIC_ROUTES, key=lambda endpoint: endpoint in last):
        route = PUBLIC_ROUTES[endpoint]
        if endpoint.startswith("public.site.") or endpoint.startswith("auth.second_factor"):
            continue
        client = signed_in if route.signed_in else anonymous
        for kind in route.objects.values():
            if kind in holders:
                client = matrix.client()
                client.viewer = holders[kind]
        method = "GET" if "GET" in methods(app, endpoint) else "POST"
        for name, kind in route.objects.items():
            if kind in others:
                # another person's, and one that exists nowhere: the same answer
                url = _url(app, endpoint, **{**_values(route, objects), name: missing[kind]})
                expected = send(client, method, url, route.data).status_code
                url = _url(app, endpoint, **{**_values(route, objects), name: others[kind]})
                status = send(client, method, url, route.data).status_code
                assert status == expected, (endpoint, status, expected)
        url = _url(app, endpoint, **_values(route, objects))
        response = send(client, method, url, route.data)
        assert 200 <= response.status_code < 400, (endpoint, url, response.status_code)
        assert not sends_to_sign_in(response), (endpoint, response.location)


def _values(route, objects: dict) -> dict:
    return {name: objects[kind] for name, kind in route.objects.items()}


# The operator's pages ---------------------------------------------------------------------


@pytest.mark.parametrize("endpoint", sorted(OPERATOR_ROUTES))
def test_operator_routes_answer_404_to_everyone_else(matrix, endpoint):
    """And serve the operator, whose pages show the directory of mechanisms
    and bodies, never their content; a body of another mechanism, in a form
    about this one, is refused as one that does not exist."""
    world, route = matrix.world, OPERATOR_ROUTES[endpoint]
    url = _url(
        matrix.app,
        endpoint,
        **{name: operator_value(world, value) for name, value in route.objects.items()},
    )
    members = [
        matrix.client(world.account("a1", "admin")),
        matrix.client(world.account("b1", "member")),
    ]
    operator = matrix.client("operator@test.example")
    fields = {}
    for method in methods(matrix.app, endpoint):
        data = {**route.data, **route.form}
        for client in members:
            assert send(client, method, url, data).status_code == 404, (client.viewer, method, url)
        if method == "GET":
            page = send(operator, method, url)
            assert_served(page, operator.viewer, method, url)
            fields = form_fields(page.get_data(as_text=True), url)
            continue
        for name in route.form:
            for slug in ("b1", "nobody"):
                response = send(operator, method, url, {**fields, **data, name: slug})
                assert response.status_code == 422 and has_field_error(response), (name, slug)
        assert_served(send(operator, method, url, {**fields, **data}), operator.viewer, method, url)
