"""What every page shares: the layout, error pages, headers, CSRF, the
space switcher, the public site."""

from __future__ import annotations

import re

import pytest

from app.extensions import db
from tests.support import csrf_token_from, next_code, sign_in
from tests.world import build_world


def test_every_html_response_carries_the_security_headers(app, world):
    client = app.test_client()
    for url in ("/login", "/m/alpha/", "/nowhere"):
        headers = client.get(url).headers
        csp = headers["Content-Security-Policy"]
        assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
        assert "frame-ancestors 'none'" in csp
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["Referrer-Policy"] == "same-origin"
    sign_in(client, world.account("a1", "admin"))
    assert client.get("/m/alpha/b/a1/").headers["Cache-Control"] == "no-store"


def test_error_pages_are_inside_the_layout(app, world):
    client = app.test_client()
    sign_in(client, world.account("a1", "member"))
    missing = client.get("/m/alpha/b/a1/nothing-here")
    assert missing.status_code == 404 and 'class="site-header"' in missing.get_data(as_text=True)
    forbidden = client.get("/m/alpha/b/a1/audit/")
    assert forbidden.status_code == 403
    assert "does not allow this page" in forbidden.get_data(as_text=True)


def test_an_unexpected_error_shows_no_details(make_app):
    app = make_app()

    @app.get("/boom")
    def boom():
        raise RuntimeError("secret internals")

    response = app.test_client().get("/boom")
    body = response.get_data(as_text=True)
    assert response.status_code == 500
    assert "secret internals" not in body and "Traceback" not in body
    assert "Something went wrong" in body


def test_state_changing_requests_need_the_csrf_token(make_app):
    app = make_app(WTF_CSRF_ENABLED=True)
    with app.app_context():
        world = build_world()
    client = app.test_client()
    page = client.get("/login").get_data(as_text=True)
    refused = client.post("/login", data={"email": world.account("a1", "admin"), "password": "x"})
    assert refused.status_code == 400 and "The form has expired" in refused.get_data(as_text=True)
    from tests.support import PASSWORD

    accepted = client.post(
        "/login",
        data={
            "email": world.account("a1", "admin"),
            "password": PASSWORD,
            "csrf_token": csrf_token_from(page),
        },
    )
    assert accepted.headers["Location"] == "/login/code"
    code_page = client.get("/login/code").get_data(as_text=True)
    with app.app_context():
        user = world.users[world.account("a1", "admin")]
        code = next_code(db.session.get(type(user), user.id))
    signed_in = client.post(
        "/login/code", data={"code": code, "csrf_token": csrf_token_from(code_page)}
    )
    assert signed_in.status_code == 302
    home = client.get("/m/alpha/b/a1/audit/").get_data(as_text=True)
    token = csrf_token_from(home)
    assert 'hx-headers:inherited=\'{"X-CSRFToken": "' in home  # htmx sends it too
    for rule in app.url_map.iter_rules():
        methods = rule.methods & {"POST", "PUT", "PATCH", "DELETE"}
        if not methods:
            continue
        url = rule.rule.replace("<mechanism_slug>", "alpha").replace("<body_slug>", "a1")
        url = url.replace("<slug>", "alpha").replace("<token>", "x").replace("<run_id>", "x")
        url = url.replace("<membership_id>", "x")
        url = re.sub(r"<any\(([^,)]+)[^>]*>", r"\1", url)
        for method in methods:
            response = client.open(url, method=method, data={})
            assert response.status_code == 400, (method, url)
    with_header = client.post("/m/alpha/b/a1/audit/export", headers={"X-CSRFToken": token})
    assert with_header.status_code == 302


def test_the_switcher_lists_the_users_spaces_only(app, world):
    from tenants.models import Role

    user_email = world.account("a1", "editor")
    client = app.test_client()
    sign_in(client, user_email)
    # give the same account a role in another mechanism
    from tests.support import add_member

    add_member(world.users[user_email], world.mechanisms["beta"], world.bodies["b1"], Role.MEMBER)
    page = client.get("/").get_data(as_text=True)
    assert "Body a1" in page and "Body b1" in page and "Body a2" not in page
    assert "/m/alpha/coordination/" in page  # a1 coordinates alpha
    assert "/m/beta/coordination/" in page  # b1 coordinates beta
    assert client.get("/m/beta/b/b1/").status_code == 200
    assert client.get("/m/alpha/b/a2/").status_code == 404


def test_external_experts_do_not_see_the_coordination_layer(app, world):
    client = app.test_client()
    sign_in(client, world.account("a1", "external_expert"))
    page = client.get("/").get_data(as_text=True)
    assert "/m/alpha/coordination/" not in page
    assert client.get("/m/alpha/coordination/").status_code == 403


def test_the_public_site_shows_the_mechanism_and_its_active_bodies(app, world):
    page = app.test_client().get("/m/alpha/").get_data(as_text=True)
    assert "Mechanism alpha" in page and "Body a1" in page and "Body a2" in page
    assert "Body b1" not in page
    assert "coordinating body" in page


def test_the_coordination_overview_shows_aggregates_of_every_body(app, world):
    client = app.test_client()
    sign_in(client, world.account("a1", "member"))
    page = client.get("/m/alpha/coordination/").get_data(as_text=True)
    assert "Body a1" in page and "Body a2" in page and "Body b1" not in page
    assert "a2-admin@test.example" not in page  # counts, never people
    # five accounts in each body, one of them its administrator
    assert page.count("5 accounts, 1 administrator<") == 2


def test_a_new_user_without_bodies_gets_an_empty_state(app):
    from tests.support import make_user

    make_user("lonely@example.org")
    client = app.test_client()
    sign_in(client, "lonely@example.org")
    assert "You do not belong to any body yet" in client.get("/").get_data(as_text=True)


def test_the_operator_lands_on_provisioning(app, world):
    client = app.test_client()
    sign_in(client, "operator@test.example")
    response = client.get("/")
    assert response.status_code == 302 and response.headers["Location"] == "/operator/"
    assert "Mechanism alpha" in client.get("/operator/").get_data(as_text=True)


PAGES_FOR_MARKUP = [
    ("a1-admin@test.example", "/m/alpha/b/a1/"),
    ("a1-admin@test.example", "/m/alpha/b/a1/accounts/"),
    ("a1-admin@test.example", "/m/alpha/b/a1/audit/"),
    ("a1-admin@test.example", "/m/alpha/coordination/"),
    ("a1-admin@test.example", "/account"),
    ("operator@test.example", "/operator/mechanisms/alpha"),
    ("operator@test.example", "/operator/mechanisms/new"),
    (None, "/login"),
]


@pytest.mark.parametrize(("email", "url"), PAGES_FOR_MARKUP)
def test_pages_have_unique_ids_labelled_fields_and_no_stray_attributes(app, world, email, url):
    import re

    client = app.test_client()
    if email:
        sign_in(client, email)
    html = client.get(url).get_data(as_text=True)
    ids = re.findall(r'\sid="([^"]+)"', html)
    assert len(ids) == len(set(ids)), sorted(i for i in ids if ids.count(i) > 1)
    assert '="None"' not in html
    labelled = set(re.findall(r'<label[^>]*\sfor="([^"]+)"', html))
    for tag in re.findall(r"<(?:input|select|textarea)\b[^>]*>", html):
        if re.search(r'type="(hidden|submit)"', tag):
            continue
        field_id = re.search(r'\sid="([^"]+)"', tag)
        assert field_id and field_id.group(1) in labelled, (url, tag)
    headings = [int(h) for h in re.findall(r"<h([1-6])", html)]
    assert headings and headings[0] == 1
    assert all(b - a <= 1 for a, b in zip(headings, headings[1:], strict=False)), headings


def test_an_error_inside_a_body_keeps_its_navigation(app, world):
    client = app.test_client()
    sign_in(client, world.account("a1", "member"))
    page = client.get("/m/alpha/b/a1/audit/").get_data(as_text=True)
    assert 'class="subnav"' in page and "Body a1" in page


def test_the_current_page_is_marked_in_the_body_navigation(app, world):
    client = app.test_client()
    sign_in(client, world.account("a1", "admin"))
    page = client.get("/m/alpha/b/a1/accounts/").get_data(as_text=True)
    assert 'href="/m/alpha/b/a1/accounts/" aria-current="page"' in page


def test_a_page_past_the_end_says_so(app, world):
    client = app.test_client()
    sign_in(client, world.account("a1", "admin"))
    page = client.get("/m/alpha/b/a1/accounts/?page=99").get_data(as_text=True)
    assert "past the end" in page and "page=1" in page
