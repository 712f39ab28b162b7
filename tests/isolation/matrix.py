"""The matrix's clients and what they record.

A matrix client is a test client whose every answer is scanned for content
its viewer may not see (``markers.py``), and whose successes are counted
per endpoint, for the check that every endpoint answered some request of
the matrix with success (``test_coverage.py``)."""

from __future__ import annotations

import io
import re
from collections import defaultdict
from html.parser import HTMLParser
from urllib.parse import urlsplit

import sqlalchemy as sa
from flask.testing import FlaskClient
from werkzeug.exceptions import HTTPException
from werkzeug.routing import RequestRedirect

from app.extensions import db
from tenants.context import Layer, tenant_scope
from tenants.models import Body
from tests.isolation.markers import describe, marker_table, seat_of
from tests.isolation.routes import Upload
from tests.support import sign_in
from tests.world import World

# Filled as the matrix runs, per backend: the endpoints that answered some
# request with success, and the matrix's tests that passed (conftest.py).
SUCCEEDED: dict[str, set[str]] = defaultdict(set)
COMPLETED: dict[str, set[tuple]] = defaultdict(set)
ENDPOINTS: set[str] = set()


class Matrix:
    """One test's world, its markers, and clients that check every answer."""

    def __init__(self, app, world: World, backend: str):
        self.app, self.world, self.backend = app, world, backend
        self.markers = marker_table(world)
        # bodies an account joined during the test, beyond its own
        self.joined: dict[str, set[str]] = defaultdict(set)
        # what each body's accounts sent (it may come back to the body: the
        # trail of its refused requests)
        self.sent_by: dict[str, list[str]] = defaultdict(list)
        self.coordinators = {}
        for slug, mechanism in world.mechanisms.items():
            with tenant_scope(mechanism.id, layer=Layer.PLATFORM):
                self.coordinators[slug] = db.session.scalar(
                    sa.select(Body.slug).where(Body.is_coordinator.is_(True))
                )
        self.names = {slug: body.name for slug, body in world.bodies.items()}
        self.names |= {slug: mechanism.name for slug, mechanism in world.mechanisms.items()}
        self.urls = app.url_map.bind("localhost")
        ENDPOINTS.update(rule.endpoint for rule in app.url_map.iter_rules())

    def client(self, email: str | None = None) -> FlaskClient:
        """A client signed in as ``email`` (None: an anonymous visitor)."""
        base = self.app.test_client_class or FlaskClient
        client = type("MatrixClient", (_Checked, base), {})(self.app, self.app.response_class)
        client.matrix, client.viewer = self, email
        if email is not None:
            sign_in(client, email)
        return client

    def bodies_of(self, viewer: str | None) -> set[str]:
        if viewer is None or viewer not in self.world.users:
            return set()
        return {viewer.split("-")[0], *self.joined[viewer]}

    def own(self, viewer: str | None) -> list[str]:
        """What a page may always show its viewer: their own name, and the
        names of their spaces (in the space switcher)."""
        bodies = self.bodies_of(viewer)
        if not bodies:
            return []
        mechanisms = {self.world.mechanism_of(body).slug for body in bodies}
        return [viewer.split("@")[0], *(self.names[name] for name in bodies | mechanisms)]

    def known(self, seat, viewer: str | None) -> list[str]:
        """What the seat's body, or the viewer, sent itself."""
        if seat[0] == "body":
            bodies = {seat[1]}
        elif seat[0] == "coordination":
            bodies = {self.coordinators[seat[1]]}
        else:
            bodies = self.bodies_of(viewer)
        return [text for body in bodies for text in self.sent_by[body]]

    def received(self, client, response, data) -> None:
        request = response.request
        status = response.status_code
        sent = " ".join([request.full_path, *(str(value) for value in (data or {}).values())])
        for body in self.bodies_of(client.viewer):
            self.sent_by[body].append(sent)
        seat = seat_of(request.path, status, client.viewer)
        known = " ".join([sent, *self.own(client.viewer), *self.known(seat, client.viewer)])
        content = response.get_data()  # kept by the response: a file it sends can close
        response.close()
        leaks = self.markers.leaks(content, seat, known)
        assert not leaks, (
            f"{request.method} {request.full_path} answered {status} to"
            f" {client.viewer or 'an anonymous visitor'} with "
            + "; ".join(f"{marker.what} ({marker.text!r})" for marker in leaks)
            + f", which {describe(seat)} may not show"
        )
        if status < 400 and not sends_to_sign_in(response):
            try:
                endpoint, _args = self.urls.match(request.path, method=request.method)
            except (HTTPException, RequestRedirect):
                return
            SUCCEEDED[self.backend].add(endpoint)


class _Checked:
    matrix: Matrix
    viewer: str | None

    def open(self, *args, **kwargs):
        response = super().open(*args, **kwargs)
        self.matrix.received(self, response, kwargs.get("data"))
        return response


def sends_to_sign_in(response) -> bool:
    """A refusal to someone not signed in: off to sign in, and back after."""
    if response.status_code not in (301, 302, 303):
        return False
    location = urlsplit(response.location)
    return location.path == "/login" and "next=" in location.query


def methods(app, endpoint: str) -> list[str]:
    rule = next(app.url_map.iter_rules(endpoint))
    return sorted(rule.methods - {"HEAD", "OPTIONS"})


def assert_served(response, who, method: str, url: str) -> None:
    """Served: a page, or a redirection after an action; a form refused
    (422) where it should succeed says which of its fields were wrong."""
    status = response.status_code
    assert status != 422, (
        f"{method} {url} as {who}: the form was refused (422) where it should succeed; send"
        f" valid data (data= in tests/isolation/routes.py): {field_errors(response)}"
    )
    assert 200 <= status < 400, (who, method, url, status)


def send(client, method: str, url: str, data: dict | None = None):
    """A request, with a fresh file for each Upload in ``data``."""
    data = {
        name: (io.BytesIO(value.content), value.filename) if isinstance(value, Upload) else value
        for name, value in (data or {}).items()
    }
    return client.open(url, method=method, data=data)


JOB_PATH = re.compile(r"/jobs/[0-9a-f-]{36}")


def follow_job(client, response) -> None:
    """After a request that started a job: its page, and its file when it has
    one, are read too (and scanned, as every answer)."""
    path = urlsplit(response.location or "").path
    if response.status_code != 302 or not JOB_PATH.search(path):
        return
    page = client.get(path)
    assert page.status_code == 200, (path, page.status_code)
    if f"{path}/download" in page.get_data(as_text=True):
        download = client.get(f"{path}/download")
        assert download.status_code == 200, (path, download.status_code)


_FIELD_ERROR = re.compile(r'id="([\w-]+)-error"[^>]*>([^<]*)<')


def field_errors(response) -> dict[str, str]:
    """The messages a form shown again has next to its fields."""
    return dict(_FIELD_ERROR.findall(response.get_data(as_text=True)))


def has_field_error(response) -> bool:
    return bool(field_errors(response))


def form_fields(html: str, action: str) -> dict:
    """The fields of the page's form that posts to ``action``, as a browser
    would send them."""
    parser = _FormParser()
    parser.feed(html)
    for form_action, fields in parser.forms:
        if urlsplit(form_action).path in ("", action):
            return fields
    return {}


class _FormParser(HTMLParser):
    def __init__(self):
        super().__init__()
        self.forms: list[tuple[str, dict]] = []
        self._select: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.forms.append((attrs.get("action") or "", {}))
        if not self.forms:
            return
        fields = self.forms[-1][1]
        name = attrs.get("name")
        if tag == "input" and name:
            kind = attrs.get("type", "text")
            if kind in ("checkbox", "radio"):
                if "checked" in attrs:
                    fields[name] = attrs.get("value", "y")
            elif kind not in ("file", "submit", "button", "password"):
                fields[name] = attrs.get("value") or ""
        elif tag == "select" and name:
            self._select = name
        elif tag == "option" and self._select:
            # the selected option, or the first one
            if "selected" in attrs or self._select not in fields:
                fields[self._select] = attrs.get("value") or ""
        elif tag == "textarea" and name:
            self._textarea = name
            fields[name] = ""

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._textarea and self.forms:
            self.forms[-1][1][self._textarea] += data
