"""Generated input to every route: each query parameter and form field of
every route of the URL map, as a signed-in account of each role (and the
operator for the provisioning pages), on each database. No answer is a
server error, each comes within a bounded time, and no job the requests
start fails.

The fields of a route are found as a browser would: in the forms and links
of the pages each role reads (``tests/isolation/routes.py`` adds the ids
and data the matrix sends). Hypothesis generates the values: text,
numbers far out of range, dates, ids, markup, control characters, and
files. ``CONCERT_FUZZ_EXAMPLES`` sets the examples per route and role
(CI's budget is the default); ``CONCERT_FUZZ_RANDOM=1`` draws new ones.
"""

from __future__ import annotations

import io
import os
import time
import uuid
from collections import defaultdict
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urlsplit

import sqlalchemy as sa
from flask import url_for
from hypothesis import HealthCheck, Phase, example, given, settings
from hypothesis import strategies as st
from werkzeug.exceptions import HTTPException
from werkzeug.routing import RequestRedirect

from app.extensions import db
from app.jobs.models import JobRun, JobState
from tenants.context import Layer, tenant_scope
from tests.isolation.objects import object_value
from tests.isolation.routes import (
    BODY_ROUTES,
    COORDINATION_ROUTES,
    OPERATOR_ROUTES,
    PUBLIC_ROUTES,
    TENANT_ARGUMENTS,
)
from tests.support import sign_in
from tests.world import ROLES, build_world

# generated examples per route, method and role, after those sending one
# value everywhere (numbers past 32 and 64 bits, the last day)
EXAMPLES = int(os.environ.get("CONCERT_FUZZ_EXAMPLES", "3"))
EVERYWHERE = ["99999999999999999999999999", "2147483648", "9999-12-31"]
# and, for the roles that may use every route, each field alone with these
PER_FIELD = {"admin", "operator"}
ONE_BY_ONE = ["99999999999999999999999999", "2147483648"]
SECONDS_PER_REQUEST = 3.0
TENANT_ROUTES = {**BODY_ROUTES, **COORDINATION_ROUTES}
# Signing out would end the session the next routes are asked with; the
# static files take no input.
NOT_FUZZED = {"auth.logout", "static"}

# Values that have broken servers before
HOSTILE = [
    "",
    "0",
    "-1",
    "2147483648",
    "9223372036854775807",
    "9223372036854775808",
    "99999999999999999999999999",
    "9" * 400,
    "1e309",
    "NaN",
    "0x10",
    "9999-12-31",
    "0001-01-01",
    "2026-02-30",
    "00000000-0000-0000-0000-000000000000",
    "\x00",
    "a\x00b",
    "\ud7ff\ufffe",
    "'; DROP TABLE people; --",
    "<script>alert(1)</script>",
    "{{ 7 * 7 }}",
    "%",
    "_",
    "\\",
    "../../etc/passwd",
    "=cmd|' /C calc'!A0",
    "x" * 20_000,
]
XLSX_MAGIC = b"PK\x03\x04"
FILES = [
    b"",
    b"name,kind\nAna,member\n",
    b"name,kind\n" + b"x" * 200_000 + b",member\n",
    XLSX_MAGIC + b"\x00" * 64,
    "name,kind\nAnа,member\n".encode("utf-16"),
]


def values(samples: list[str]) -> st.SearchStrategy[str]:
    return st.one_of(
        st.sampled_from(HOSTILE + samples),
        st.text(max_size=40),
        st.integers().map(str),
        st.dates().map(str),
        st.uuids().map(str),
    )


def upload(filename: str) -> st.SearchStrategy:
    content = st.one_of(st.sampled_from(FILES), st.binary(max_size=300))
    names = st.sampled_from([filename, "people.csv", "people.xlsx", "x.exe", ""])
    return st.tuples(content, names).map(lambda pair: (io.BytesIO(pair[0]), pair[1]))


# What a browser would find: forms and links, by the endpoint they go to ---------------


class _Page(HTMLParser):
    def __init__(self):
        super().__init__()
        self.forms: list[tuple[str, str, dict[str, list[str]]]] = []
        self.links: list[str] = []
        self._select: str | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])
        if tag == "form":
            method = (attrs.get("method") or "get").upper()
            self.forms.append((attrs.get("action") or "", method, {}))
        if not self.forms:
            return
        fields = self.forms[-1][2]
        name = attrs.get("name")
        if tag in ("input", "textarea", "select", "button") and name:
            kind = "file" if attrs.get("type") == "file" else "value"
            fields.setdefault(name, []).append(f"\0{kind}")
            if attrs.get("value"):
                fields[name].append(attrs["value"])
            self._select = name if tag == "select" else None
        elif tag == "option" and self._select and attrs.get("value") is not None:
            fields[self._select].append(attrs["value"])

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None


class Fields:
    """Per (endpoint, method): field name -> sample values ("\\0file" marks a
    file input)."""

    def __init__(self, app):
        self.urls = app.url_map.bind("localhost")
        self.found: dict[tuple[str, str], dict[str, set[str]]] = defaultdict(
            lambda: defaultdict(set)
        )

    def endpoint(self, path: str, method: str) -> str | None:
        try:
            return self.urls.match(urlsplit(path).path, method=method)[0]
        except (HTTPException, RequestRedirect):
            return None

    def read(self, page_path: str, html: str) -> None:
        page = _Page()
        page.feed(html)
        for action, method, fields in page.forms:
            target = action or page_path
            endpoint = self.endpoint(target, method)
            if endpoint:
                for name, samples in fields.items():
                    self.found[endpoint, method][name].update(samples)
        for href in page.links:
            endpoint = self.endpoint(href, "GET")
            if endpoint:
                for name, value in parse_qsl(urlsplit(href).query, keep_blank_values=True):
                    self.found[endpoint, "GET"][name].add(value)

    def of(self, endpoint: str, method: str, declared: dict) -> dict[str, list[str]]:
        found = dict(self.found.get((endpoint, method), {}))
        for name, value in declared.items():
            found.setdefault(name, set()).add(str(value) if not hasattr(value, "content") else "")
        if method == "GET":
            found.setdefault("page", set()).add("2")
        return {name: sorted(samples) for name, samples in found.items() if name != "csrf_token"}


# The requests -----------------------------------------------------------------------


def _methods(app, endpoint: str) -> list[str]:
    rule = next(app.url_map.iter_rules(endpoint))
    return sorted(rule.methods - {"HEAD", "OPTIONS"})


def _tenant_url(app, world, endpoint: str, email: str) -> str:
    route = TENANT_ROUTES[endpoint]
    args = {
        name: object_value(world, kind, email)
        for name, kind in route.objects.items()
        if name not in TENANT_ARGUMENTS
    }
    args["mechanism_slug"] = "alpha"
    if endpoint.startswith("body."):
        args["body_slug"] = "a1"
    with app.test_request_context():
        return url_for(endpoint, **args)


def _open_url(app, endpoint: str, objects: dict) -> str:
    """A route outside the tenant layers, in mechanism alpha, naming objects
    that do not exist (the isolation tests ask them with real ones)."""
    rule = next(app.url_map.iter_rules(endpoint))
    known = {"mechanism_slug": "alpha", "slug": "alpha", "answer": "accept"}
    args = {name: known.get(name, objects.get(name, str(uuid.uuid4()))) for name in rule.arguments}
    if "form" in args:
        args["form"] = objects["form"]
    with app.test_request_context():
        return url_for(endpoint, **args)


def _everywhere(fields: dict[str, list[str]], value: str) -> dict:
    """The same value in every field (a file where a file goes)."""
    return {
        name: (io.BytesIO(FILES[2]), "people.csv") if "\0file" in samples else value
        for name, samples in fields.items()
    }


def _strategy(fields: dict[str, list[str]]) -> st.SearchStrategy[dict]:
    optional = {}
    for name, samples in fields.items():
        plain = [sample for sample in samples if not sample.startswith("\0")]
        optional[name] = upload(name) if "\0file" in samples else values(plain)
    return st.fixed_dictionaries({}, optional=optional)


class Fuzzer:
    def __init__(self, app):
        self.app = app
        self.fields = Fields(app)
        self.requests = 0
        self.cases: set[tuple[str, str]] = set()

    def discover(self, client, urls: list[str]) -> None:
        for url in urls:
            response = client.get(url)
            if response.status_code == 200 and response.mimetype == "text/html":
                self.fields.read(url, response.get_data(as_text=True))

    def fuzz(self, client, who: str, endpoint: str, url: str, declared: dict) -> None:
        for method in _methods(self.app, endpoint):
            fields = self.fields.of(endpoint, method, declared)
            self._run(client, who, endpoint, method, url, fields)
        self.cases.add((endpoint, who))

    def _run(self, client, who, endpoint, method, url, fields) -> None:
        explicit = [_everywhere(fields, value) for value in EVERYWHERE]
        if who in PER_FIELD:  # one field at a time: no other field's refusal hides it
            explicit += [
                {name: value}
                for name, samples in fields.items()
                if "\0file" not in samples
                for value in ONE_BY_ONE
            ]

        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            database=None,
            derandomize=not os.environ.get("CONCERT_FUZZ_RANDOM"),
            phases=(Phase.explicit, Phase.generate, Phase.shrink),
            suppress_health_check=list(HealthCheck),
        )
        @given(_strategy(fields))
        def request(sent):
            started = time.perf_counter()
            if method == "GET":
                response = client.get(url, query_string=sent)
            else:
                response = client.open(url, method=method, data=sent)
            elapsed = time.perf_counter() - started
            status = response.status_code
            response.close()
            self.requests += 1
            assert status < 500, f"{method} {url} as {who} with {sent!r}: {status}"
            assert elapsed < SECONDS_PER_REQUEST, f"{method} {url} as {who}: {elapsed:.1f} s"

        for sent in explicit:
            request = example(sent)(request)
        request()


def test_generated_input_never_makes_a_server_error(app, backend, capsys):
    world = build_world()
    fuzzer = Fuzzer(app)
    started = time.perf_counter()
    accounts = [(role.value, world.account("a1", role)) for role in ROLES]
    for who, email in accounts:
        client = app.test_client()
        sign_in(client, email)
        urls = {endpoint: _tenant_url(app, world, endpoint, email) for endpoint in TENANT_ROUTES}
        fuzzer.discover(client, [url for e, url in urls.items() if "GET" in _methods(app, e)])
        for endpoint in sorted(TENANT_ROUTES):
            route = TENANT_ROUTES[endpoint]
            declared = {**route.data, **route.query, **route.form}
            fuzzer.fuzz(client, who, endpoint, urls[endpoint], declared)
        for endpoint, route in sorted(PUBLIC_ROUTES.items()):
            if endpoint not in NOT_FUZZED:
                url = _open_url(app, endpoint, route.objects)
                fuzzer.fuzz(client, who, endpoint, url, route.data)
    operator = app.test_client()
    sign_in(operator, "operator@test.example")
    urls = {e: _open_url(app, e, route.objects) for e, route in OPERATOR_ROUTES.items()}
    fuzzer.discover(operator, [url for e, url in urls.items() if "GET" in _methods(app, e)])
    for endpoint, route in sorted(OPERATOR_ROUTES.items()):
        fuzzer.fuzz(operator, "operator", endpoint, urls[endpoint], route.data)

    with tenant_scope(world.mechanisms["alpha"].id, layer=Layer.JOB):
        failed = db.session.scalars(
            sa.select(JobRun.name).where(JobRun.state == JobState.FAILED)
        ).all()
    assert failed == [], f"jobs started by generated input failed: {failed}"

    routes = {endpoint for endpoint, _who in fuzzer.cases}
    roles = {who for _endpoint, who in fuzzer.cases}
    unfuzzed = {rule.endpoint for rule in app.url_map.iter_rules()} - routes - NOT_FUZZED
    assert unfuzzed == set(), "routes the fuzzing never asked"
    with capsys.disabled():
        print(
            f"\nfuzzing on {backend}: {len(routes)} routes x {len(roles)} roles x"
            f" {len(EVERYWHERE) + EXAMPLES} examples = {len(fuzzer.cases)} cases,"
            f" {fuzzer.requests} requests,"
            f" 0 server errors, {time.perf_counter() - started:.0f} s"
        )
