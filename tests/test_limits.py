"""Brute-force limits on sign-in, codes, resets and invitations."""

from __future__ import annotations

import pytest

from tests.support import make_user


@pytest.fixture
def limited(make_app):
    app = make_app(RATELIMIT_ENABLED=True)
    with app.app_context():
        make_user("ann@example.org")
        make_user("bob@example.org")
        yield app


def test_the_nth_failed_sign_in_of_an_account_answers_429(limited):
    client = limited.test_client()
    statuses = [
        client.post("/login", data={"email": "ann@example.org", "password": "wrong"}).status_code
        for _ in range(6)
    ]
    assert statuses == [200] * 5 + [429]
    response = client.post("/login", data={"email": "ann@example.org", "password": "wrong"})
    page = response.get_data(as_text=True)
    assert "Too many requests" in page and 'class="site-header"' in page
    assert int(response.headers["Retry-After"]) > 0
    # another account from the same address is not locked out by it
    other = client.post("/login", data={"email": "bob@example.org", "password": "wrong"})
    assert other.status_code == 200


def test_one_address_trying_many_accounts_is_limited_too(limited):
    client = limited.test_client()
    statuses = [
        client.post("/login", data={"email": f"u{i}@example.org", "password": "x"}).status_code
        for i in range(21)
    ]
    assert statuses[-1] == 429 and statuses[:20] == [200] * 20


def test_resets_and_invitation_links_are_limited(limited):
    client = limited.test_client()
    statuses = [
        client.post("/reset-password", data={"email": "ann@example.org"}).status_code
        for _ in range(6)
    ]
    assert statuses[-1] == 429
    statuses = [client.post("/invitation/guess", data={}).status_code for _ in range(21)]
    assert statuses[-1] == 429


def _address_seen(app, headers) -> str:
    seen = {}

    @app.get("/whoami")
    def whoami():
        from flask import request

        seen["address"] = request.remote_addr
        return "ok"

    app.test_client().get("/whoami", headers=headers)
    return seen["address"]


def test_proxy_headers_count_only_when_configured(make_app):
    forwarded = {"X-Forwarded-For": "203.0.113.9"}
    assert _address_seen(make_app(), forwarded) == "127.0.0.1"
    assert _address_seen(make_app(TRUSTED_PROXIES=1), forwarded) == "203.0.113.9"


def test_guessing_the_current_password_from_a_session_is_limited(limited):
    client = limited.test_client()
    from tests.support import login

    login(client, "ann@example.org")
    statuses = []
    for path, data in [
        ("/account/password", {"current": "guess", "password": "x", "confirm": "x"}),
        ("/account/email", {"current": "guess", "email": "x@example.org"}),
        ("/account/two-factor/off", {"current": "guess"}),
    ] * 2:
        statuses.append(client.post(path, data=data).status_code)
    assert 429 in statuses and statuses.index(429) == 5  # one counter for all of them
