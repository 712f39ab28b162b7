"""Test fixtures: one migrated database per backend, an app per test.

The whole suite runs on SQLite. With ``TEST_DATABASE_URL`` (a PostgreSQL
URL of a role that may create databases and roles) every database test also
runs on PostgreSQL, the application connecting as a separate role that is
neither superuser nor BYPASSRLS. With ``REDIS_URL`` the job tests run a real
RQ worker. ``CONCERT_REQUIRE_LEGS=postgresql,redis,browser`` turns a leg that
did not run into a failure (CI sets it).
"""

from __future__ import annotations

import contextvars
import os
import shutil
from collections import Counter

import pytest
import sqlalchemy as sa
from flask.testing import FlaskClient
from sqlalchemy.engine import make_url

from app import create_app
from app.config import database_url
from app.extensions import db
from tenants import context as tenant_context
from tenants.database import configure_engine

TEST_DATABASE_URL = os.environ.get("TEST_DATABASE_URL")
REDIS_URL = os.environ.get("REDIS_URL")
APP_ROLE = "concert_app_test"
BACKENDS = ["sqlite"] + (["postgresql"] if TEST_DATABASE_URL else [])
LEGS = ("postgresql", "redis", "browser")

_leg_outcomes: dict[str, Counter] = {leg: Counter() for leg in LEGS}


# --- backends ----------------------------------------------------------------


def pytest_generate_tests(metafunc):
    if "backend" in metafunc.fixturenames:
        # A test marked ``postgresql`` runs on PostgreSQL only (and is
        # reported as a skipped PostgreSQL test when there is none).
        only_pg = metafunc.definition.get_closest_marker("postgresql") is not None
        metafunc.parametrize("backend", ["postgresql"] if only_pg else BACKENDS, scope="session")


def pytest_collection_modifyitems(config, items):
    for item in items:
        callspec = getattr(item, "callspec", None)
        if callspec and callspec.params.get("backend") == "postgresql":
            item.add_marker(pytest.mark.postgresql)
        if "redis_url" in item.fixturenames:
            item.add_marker(pytest.mark.redis)
        if "browser_page" in item.fixturenames or "live_server" in item.fixturenames:
            item.add_marker(pytest.mark.browser)


def _migrate(app) -> None:
    from flask_migrate import upgrade

    with app.app_context():
        upgrade()


@pytest.fixture(scope="session")
def database(backend, tmp_path_factory):
    """A migrated database for this backend: URLs for the app and the owner."""
    if backend == "sqlite":
        folder = tmp_path_factory.mktemp("sqlite")
        template = folder / "template.db"
        url = f"sqlite:///{template}"
        _migrate(create_app(_overrides(url, url)))
        yield {"backend": "sqlite", "template": template, "folder": folder}
        return
    if not TEST_DATABASE_URL:
        pytest.skip("PostgreSQL leg: TEST_DATABASE_URL is not set")
    owner_url = make_url(database_url(TEST_DATABASE_URL))
    name = f"concert_test_{os.getpid()}"
    admin = sa.create_engine(owner_url, isolation_level="AUTOCOMMIT", poolclass=sa.pool.NullPool)
    with admin.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}"'))
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    owner = owner_url.set(database=name)
    app_url = owner.set(username=APP_ROLE, password=None)
    if os.environ.get("TEST_DATABASE_APP_PASSWORD"):
        app_url = app_url.set(password=os.environ["TEST_DATABASE_APP_PASSWORD"])
    owner_str = owner.render_as_string(hide_password=False)
    _migrate(create_app(_overrides(owner_str, owner_str, app_role=APP_ROLE)))
    yield {
        "backend": "postgresql",
        "owner_url": owner_str,
        "app_url": app_url.render_as_string(hide_password=False),
    }
    with admin.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def _overrides(url: str, migrations_url: str, app_role: str | None = None, **extra) -> dict:
    return {
        "TESTING": True,
        "SECRET_KEY": "test-secret-key",
        "TOTP_ENCRYPTION_KEYS": "BRPfRSlEQ5kxWQR5P7l4WZf8-EkpDfysOFFv27f-8dE=",
        "SQLALCHEMY_DATABASE_URI": url,
        "MIGRATIONS_DATABASE_URL": migrations_url,
        "DATABASE_APP_ROLE": app_role,
        "REDIS_URL": None,
        "MAIL_SERVER": None,
        "WTF_CSRF_ENABLED": False,
        "JOB_RETRY_INTERVALS": [0],
        # Tests sign in many times from one address; test_limits turns it on.
        "RATELIMIT_ENABLED": False,
        **extra,
    }


class IsolatedClient(FlaskClient):
    """Each request runs in a fresh context, as in a real server: its own
    application context, database session, ``g`` and tenant variables, never
    those of the test that sends it."""

    def open(self, *args, **kwargs):
        return contextvars.Context().run(super().open, *args, **kwargs)


@pytest.fixture
def owner_engine(database, make_app):
    """An engine as the owner of the schema (bypasses row-level security)."""
    if database["backend"] == "sqlite":
        engine = sa.create_engine(f"sqlite:///{database['path']}")
        configure_engine(engine)
    else:
        engine = sa.create_engine(database["owner_url"], poolclass=sa.pool.NullPool)
    yield engine
    engine.dispose()


@pytest.fixture
def make_app(database, tmp_path):
    """Build an app on this test's own copy of the database."""
    created = []
    if database["backend"] == "sqlite":
        path = tmp_path / "concert.db"
        shutil.copyfile(database["template"], path)
        database["path"] = path
        url = f"sqlite:///{path}"
        migrations_url = url
    else:
        url = database["app_url"]
        migrations_url = database["owner_url"]

    def build(**extra):
        app = create_app(_overrides(url, migrations_url, **extra))
        app.test_client_class = IsolatedClient
        created.append(app)
        return app

    yield build
    tenant_context.clear()
    for app in created:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()
    if database["backend"] == "postgresql":
        _truncate_all(database["owner_url"])


def _truncate_all(owner_url: str) -> None:
    engine = sa.create_engine(owner_url, poolclass=sa.pool.NullPool)
    tables = ", ".join(t.name for t in db.metadata.sorted_tables)
    with engine.begin() as conn:
        conn.execute(sa.text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
    engine.dispose()


@pytest.fixture
def app(make_app):
    app = make_app()
    with app.app_context():
        yield app


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def cli(app):
    return app.test_cli_runner()


# --- legs ----------------------------------------------------------------------


@pytest.fixture
def redis_url():
    if not REDIS_URL:
        pytest.skip("Redis leg: REDIS_URL is not set")
    return REDIS_URL


def _legs_of(item) -> list[str]:
    return [leg for leg in LEGS if item.get_closest_marker(leg)]


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if report.when == "call" or (report.when == "setup" and report.outcome != "passed"):
        for leg in _legs_of(item):
            _leg_outcomes[leg][report.outcome] += 1
            # "<Leg> leg: ..." is how a fixture says its service is missing
            if report.skipped and f"{leg} leg:" in str(report.longrepr).lower():
                _leg_outcomes[leg]["unavailable"] += 1


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    terminalreporter.section("test legs")
    for leg in LEGS:
        counts = _leg_outcomes[leg]
        terminalreporter.write_line(
            f"{leg} leg: {counts['passed']} passed, {counts['failed']} failed,"
            f" {counts['skipped']} skipped"
        )


def pytest_sessionfinish(session, exitstatus):
    required = [x for x in os.environ.get("CONCERT_REQUIRE_LEGS", "").split(",") if x]
    if not required or session.config.option.collectonly:
        return
    missing = [
        leg
        for leg in required
        if _leg_outcomes[leg]["passed"] == 0 or _leg_outcomes[leg]["unavailable"] > 0
    ]
    if missing:
        print(f"\nRequired test legs did not (fully) run: {', '.join(missing)}")
        session.exitstatus = 1


@pytest.fixture(autouse=True)
def _no_tenant_leaks():
    """Every test starts and ends with no tenant active."""
    tenant_context.clear()
    yield
    tenant_context.clear()


@pytest.fixture
def world(app):
    """Two mechanisms (alpha: a1, a2; beta: b1), an account of each role in
    each body, and an object of each capability in each (``tests/world.py``)."""
    from tests.world import build_world

    return build_world()
