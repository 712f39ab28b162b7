"""The load harness: a mechanism generated at scale on PostgreSQL, served by
gunicorn as the application role under row-level security, read by wrk at a
fixed concurrency, page after page with the ceiling page in between.

Each capability declares its key pages (``KeyPage`` in ``app/capabilities.py``)
and its part of the generated data; this module knows neither by name.
"""

from __future__ import annotations

import http.cookiejar
import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pyotp
import sqlalchemy as sa
from sqlalchemy.engine import make_url

ROOT = Path(__file__).resolve().parent.parent
LUA = Path(__file__).resolve().parent / "report.lua"
SLUG = "uk"
SEED = 7
APP_ROLE = "concert_bench"
# The generated accounts (app/demo/scale.py): user0 administers the
# coordinating body-00; user1 administers body-01; user101 is an editor there
# (the 25 first are administrators, then every fourth is an editor).
PERSONAS = {"coordinator": "user0", "admin": "user1", "editor": "user101"}
BODY = "body-01"
SECRET_KEY = "benchmark"  # noqa: S105 (a throw-away server)
TOTP_KEY = "bXlfYmVuY2htYXJrX2tleV9vZl8zMl9ieXRlc19fX18="  # a Fernet key, throw-away


@dataclass
class Site:
    """One generated database and the environment that serves it."""

    factor: float
    owner_url: str
    env: dict = field(default_factory=dict)

    @property
    def app_url(self) -> str:
        return (
            make_url(self.owner_url)
            .set(username=APP_ROLE, password=None)
            .render_as_string(hide_password=False)
        )


def _flask(site: Site, *args: str) -> str:
    out = subprocess.run(
        [sys.executable, "-m", "flask", "--app", "wsgi", *args],
        cwd=ROOT,
        env=site.env,
        check=True,
        capture_output=True,
        text=True,
    )
    return out.stdout


def prepare(server_url: str, factor: float) -> Site:
    """A fresh database with the migrations run as its owner and the
    mechanism generated as the application role."""
    name = f"concert_bench_{str(factor).replace('.', '_')}"
    admin = sa.create_engine(server_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}"'))
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    site = Site(factor, make_url(server_url).set(database=name).render_as_string(False))
    site.env = {
        **os.environ,
        "MIGRATIONS_DATABASE_URL": site.owner_url,
        "DATABASE_URL": site.app_url,
        "DATABASE_APP_ROLE": APP_ROLE,
        "SECRET_KEY": SECRET_KEY,
        "TOTP_ENCRYPTION_KEYS": TOTP_KEY,
        "CONCERT_BENCHMARK": "1",
        "RATELIMIT_ENABLED": "0",
        "SESSION_IDLE_MINUTES": "600",
    }
    _flask(site, "db", "upgrade")
    started = time.monotonic()
    _flask(site, "demo", "scale", "--factor", str(factor), "--seed", str(SEED), "--slug", SLUG)
    # Statistics for the planner, as after any bulk load (autovacuum would
    # take its time): without them PostgreSQL chose nested loops that read
    # every position once per person.
    owner = sa.create_engine(site.owner_url, isolation_level="AUTOCOMMIT")
    with owner.connect() as conn:
        conn.execute(sa.text("ANALYZE"))
    owner.dispose()
    print(f"factor {factor}: generated in {time.monotonic() - started:.0f} s", file=sys.stderr)
    return site


def resolve_pages(site: Site) -> list[tuple[str, str, str]]:
    """(name, persona, URL) of every key page, with its objects found in the
    generated data (in-process, as the application role)."""
    from app import capabilities
    from app.extensions import db
    from tenants.context import Layer, tenant_scope
    from tenants.models import Body
    from tenants.provisioning import get_mechanism

    app = _in_process_app(site)
    pages = []
    with app.app_context():
        mechanism = get_mechanism(SLUG)
        with tenant_scope(mechanism.id, layer=Layer.PLATFORM):
            body = db.session.scalars(sa.select(Body).where(Body.slug == BODY)).one()
        roots = {
            "body": f"/m/{SLUG}/b/{BODY}",
            "coordination": f"/m/{SLUG}/coordination",
            "public": f"/m/{SLUG}",
        }
        with tenant_scope(mechanism.id, body.id, layer=Layer.BODY):
            for page in capabilities.key_pages():
                path = page.path() if callable(page.path) else page.path
                pages.append((page.name, page.persona, roots[page.space] + path))
    return pages


def _in_process_app(site: Site):
    from app import create_app

    return create_app(
        {
            "SQLALCHEMY_DATABASE_URI": site.app_url,
            "MIGRATIONS_DATABASE_URL": site.owner_url,
            "DATABASE_APP_ROLE": APP_ROLE,
            "SECRET_KEY": SECRET_KEY,
            "TOTP_ENCRYPTION_KEYS": TOTP_KEY,
            "REDIS_URL": None,
            "RATELIMIT_ENABLED": False,
        }
    )


@dataclass
class Reading:
    """One page read in-process: its statements, and the slowest with its
    plan (``EXPLAIN ANALYZE`` in the same transaction, so under the same
    tenant settings)."""

    queries: int = 0
    slowest_ms: float = 0.0
    slowest_sql: str = ""
    plan: list[str] = field(default_factory=list)


def read_in_process(site: Site, pages, explain: bool = False) -> dict[str, Reading]:
    """Each page read once in-process as its persona, its statements counted
    and, with ``explain``, the slowest explained."""
    from sqlalchemy import event

    from app.demo.scale import PASSWORD
    from app.extensions import db

    app = _in_process_app(site)
    app.config["WTF_CSRF_ENABLED"] = False
    clients = {}
    reading = Reading()
    started: dict[int, float] = {}

    explaining = False

    def before(conn, cursor, statement, parameters, context, many):
        reading.queries += 1
        started[id(cursor)] = time.perf_counter()

    def after(conn, cursor, statement, parameters, context, many):
        elapsed = (time.perf_counter() - started.pop(id(cursor), time.perf_counter())) * 1000
        if explaining and elapsed > reading.slowest_ms and statement.lstrip().startswith("SELECT"):
            with cursor.connection.cursor() as other:
                other.execute("EXPLAIN (ANALYZE, COSTS OFF) " + statement, parameters)
                reading.plan = [row[0] for row in other.fetchall()]
            reading.slowest_ms, reading.slowest_sql = elapsed, " ".join(statement.split())

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", before)
    event.listen(engine, "after_cursor_execute", after)
    result = {}
    for name, persona, url in pages:
        if persona not in clients:
            client = app.test_client()
            if persona != "anonymous":
                email = f"{PERSONAS[persona]}@{SLUG}.scale.example"
                answer = client.post("/login", data={"email": email, "password": PASSWORD})
                if answer.headers.get("Location", "").startswith("/login/code"):
                    client.post("/login/code", data={"code": _unused_code(site.owner_url, email)})
            clients[persona] = client
        clients[persona].get(url)  # warm
        reading = Reading()
        status = clients[persona].get(url).status_code
        if status != 200:
            raise RuntimeError(f"{name}: {url} answered {status}")
        queries = reading.queries
        if explain:  # a second reading: the plans' own statements are not counted
            explaining, reading = True, Reading()
            clients[persona].get(url)
            explaining = False
        # kept apart from the reading the next page's sign-in will count into
        result[name] = Reading(queries, reading.slowest_ms, reading.slowest_sql, reading.plan)
        reading = Reading()
    return result


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def serve(site: Site, workers: int):
    port = _free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "--no-control-socket", "-w", str(workers),
         "-b", f"127.0.0.1:{port}", "--log-level", "warning", "wsgi:app"],
        cwd=ROOT,
        env=site.env,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(base + "/login", timeout=1)  # noqa: S310
                break
            except OSError:
                time.sleep(0.2)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=30)


def _unused_code(owner_url: str, email: str) -> str:
    """A code of the current step, or of the next when this step's was used
    (a code is accepted once)."""
    from app.demo.scale import ADMIN_TOTP

    engine = sa.create_engine(owner_url)
    with engine.connect() as conn:
        last = conn.scalar(
            sa.text("SELECT totp_last_step FROM users WHERE email = :e"), {"e": email}
        )
    engine.dispose()
    step = int(time.time() // 30)
    if last is not None and last >= step:
        step = last + 1
    return pyotp.TOTP(ADMIN_TOTP).at(step * 30)


def sign_in(base: str, persona: str, owner_url: str) -> str:
    """A session cookie, through the sign-in forms (second factor included)."""
    from app.demo.scale import PASSWORD

    if persona == "anonymous":
        return ""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))

    def post(path: str, fields: dict) -> str:
        html = opener.open(base + path).read().decode()
        token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html).group(1)
        data = urllib.parse.urlencode({"csrf_token": token, **fields}).encode()
        return opener.open(base + path, data).geturl()

    email = f"{PERSONAS[persona]}@{SLUG}.scale.example"
    landed = post("/login", {"email": email, "password": PASSWORD})
    if "/login/code" in landed:
        post("/login/code", {"code": _unused_code(owner_url, email)})
    return "; ".join(f"{cookie.name}={cookie.value}" for cookie in jar)


def load(url: str, cookie: str, seconds: float, connections: int, check: bool = True) -> dict:
    duration = max(1, round(seconds))  # wrk takes whole seconds
    command = ["wrk", "-t2", f"-c{connections}", f"-d{duration}s", "--timeout", "60s"]
    command += ["-s", str(LUA), url]
    if cookie:
        command[1:1] = ["-H", f"Cookie: {cookie}"]
    out = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    figures = json.loads(out.strip().splitlines()[-1])
    if check and (figures["non_2xx"] or figures["errors"]):
        raise RuntimeError(
            f"{url}: {figures['non_2xx']} answers not 2xx, {figures['errors']} errors"
        )
    return figures


def measure(site: Site, pages, seconds: float, connections: int, workers: int) -> dict:
    """Each page's throughput as a share of the ceiling measured just before
    and just after it, so that the machine's drift cancels."""
    results = {}
    with serve(site, workers) as base:
        cookies = {}
        for persona in {persona for _, persona, _ in pages} | {"editor"}:
            cookies[persona] = sign_in(base, persona, site.owner_url)
        ceiling_url = f"{base}/m/{SLUG}/b/{BODY}/benchmark/ceiling"
        load(ceiling_url, cookies["editor"], 3, connections, check=False)  # warm the workers
        before = load(ceiling_url, cookies["editor"], seconds, connections)
        for name, persona, path in pages:
            figures = load(base + path, cookies[persona], seconds, connections)
            after = load(ceiling_url, cookies["editor"], seconds, connections)
            ceiling = (before["rps"] + after["rps"]) / 2
            results[name] = {**figures, "ceiling_rps": round(ceiling, 1),
                             "ratio": round(figures["rps"] / ceiling, 3)}  # fmt: skip
            before = after
    return results
