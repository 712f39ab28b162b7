"""Time the main pages on a populated database, in-process.

    .venv/bin/python benchmarks/pages.py [--accounts 500] [--events 20000] [--rounds 50]

Uses a throw-away SQLite database unless BENCH_DATABASE_URL names an empty
PostgreSQL database (as its owner, who runs the migrations); the pages are
then served as BENCH_APP_ROLE (default concert_bench), a role row-level
security applies to. Prints, per page, the median and 95th percentile time of
a request and the number of SQL queries.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import os  # noqa: E402

from flask_migrate import upgrade  # noqa: E402
from sqlalchemy import event  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

from app import create_app  # noqa: E402
from app.audit.services import record  # noqa: E402
from app.auth.passwords import hash_password  # noqa: E402
from app.config import database_url  # noqa: E402
from app.extensions import db  # noqa: E402
from tenants import provisioning, tenant_scope  # noqa: E402
from tenants.context import Layer  # noqa: E402
from tenants.models import Membership, User  # noqa: E402

PASSWORD = "benchmark pass phrase"  # noqa: S105 (a throw-away database)
PAGES = [
    "/",
    "/m/bench/b/body-0/",
    "/m/bench/b/body-0/accounts/",
    "/m/bench/b/body-0/audit/",
    "/m/bench/b/body-0/audit/?action=bench.other",
    "/m/bench/coordination/",
    "/m/bench/",
]


def populate(accounts: int, events: int) -> None:
    provisioning.create_mechanism(slug="bench", name="Benchmark NPM", country="Benchland")
    bodies = [
        provisioning.add_body(
            mechanism_slug="bench", slug=f"body-{i}", name=f"Body {i}", kind="other"
        )
        for i in range(8)
    ]
    digest = hash_password(PASSWORD)
    users = [
        User(email=f"user{i}@bench.example", display_name=f"User {i}", password_hash=digest)
        for i in range(accounts)
    ]
    db.session.add_all(users)
    db.session.commit()
    mechanism_id = bodies[0].mechanism_id
    with tenant_scope(mechanism_id, layer=Layer.PLATFORM):
        for i, user in enumerate(users):
            body = bodies[i % len(bodies)]
            db.session.add(
                Membership(
                    mechanism_id=mechanism_id,
                    body_id=body.id,
                    user_id=user.id,
                    role="admin" if i == 0 else "member",
                )
            )
        db.session.commit()
    with tenant_scope(mechanism_id, bodies[0].id, layer=Layer.BODY):
        for i in range(events):
            record("bench.event" if i % 10 else "bench.other", actor=users[0], summary=f"event {i}")
            if i % 5000 == 4999:
                db.session.commit()
        db.session.commit()


def measure(app, rounds: int) -> list[tuple[str, float, float, int]]:
    client = app.test_client()
    response = client.post("/login", data={"email": "user0@bench.example", "password": PASSWORD})
    assert response.status_code == 302, "sign-in failed"
    counted: list[str] = []
    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", lambda *a: counted.append(a[2]))
    results = []
    for url in PAGES:
        client.get(url)  # warm up
        timings = []
        for _ in range(rounds):
            counted.clear()
            start = time.perf_counter()
            status = client.get(url).status_code
            timings.append((time.perf_counter() - start) * 1000)
            assert status == 200, (url, status)
        timings.sort()
        p95 = timings[max(0, int(len(timings) * 0.95) - 1)]
        results.append((url, statistics.median(timings), p95, len(counted)))
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--accounts", type=int, default=500)
    parser.add_argument("--events", type=int, default=20000)
    parser.add_argument("--rounds", type=int, default=50)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        owner_url = database_url(os.environ.get("BENCH_DATABASE_URL") or "")
        url = owner_url or f"sqlite:///{folder}/bench.db"
        role = None
        if url.startswith("postgresql"):
            role = os.environ.get("BENCH_APP_ROLE", "concert_bench")
            url = make_url(owner_url).set(username=role, password=None).render_as_string(False)
        app = create_app(
            {
                "SQLALCHEMY_DATABASE_URI": url,
                "MIGRATIONS_DATABASE_URL": owner_url or url,
                "DATABASE_APP_ROLE": role,
                "SECRET_KEY": "bench",
                "REDIS_URL": None,
                "WTF_CSRF_ENABLED": False,
            }
        )
        with app.app_context():
            upgrade()
            populate(args.accounts, args.events)
        backend = url.split(":")[0]
        print(
            f"{args.accounts} accounts in 8 bodies, {args.events} audit events in one body, "
            f"{args.rounds} requests per page, {backend}"
        )
        print(f"{'page':48} {'median ms':>10} {'p95 ms':>8} {'queries':>8}")
        for page, median, p95, queries in measure(app, args.rounds):
            print(f"{page:48} {median:10.1f} {p95:8.1f} {queries:8d}")


if __name__ == "__main__":
    main()
