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

import pyotp  # noqa: E402
from cryptography.fernet import Fernet  # noqa: E402
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
from tenants.models import MechanismAccount, Membership, User, utcnow  # noqa: E402

PASSWORD = "benchmark pass phrase"  # noqa: S105 (a throw-away database)
TOTP_SECRET = "BENCHMARKDEMOCONCERTKEYAAAAAAAAA"  # noqa: S105
PAGES = [
    "/",
    "/m/bench/b/body-0/",
    "/m/bench/b/body-0/accounts/",
    "/m/bench/b/body-0/audit/",
    "/m/bench/b/body-0/audit/?action=bench.other",
    "/m/bench/b/body-0/rules/",
    "/m/bench/b/body-0/rules/versions/{rule_version}",
    "/m/bench/b/body-0/rules/compare?from={first_rule_version}&to={rule_version}",
    "/m/bench/b/body-0/charters/",
    "/m/bench/coordination/",
    "/m/bench/coordination/charters/",
    "/m/bench/coordination/charters/versions/{charter_version}",
    "/m/bench/",
    "/m/bench/rules/",
]
VERSIONS = 30  # of the body's rules and of the ethics code
COMMENTS = 200  # on the latest version of each


def populate(accounts: int, events: int) -> dict:
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
    users[0].totp_secret = TOTP_SECRET  # an administrator of the coordinating body
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
                    accepted_at=utcnow(),
                )
            )
            db.session.add(MechanismAccount(body_id=body.id, user_id=user.id))
        db.session.commit()
    with tenant_scope(mechanism_id, bodies[0].id, layer=Layer.BODY):
        for i in range(events):
            record("bench.event" if i % 10 else "bench.other", actor=users[0], summary=f"event {i}")
            if i % 5000 == 4999:
                db.session.commit()
        db.session.commit()
    return populate_documents(mechanism_id, bodies, users)


def populate_documents(mechanism_id, bodies, users) -> dict:
    """Versions of body-0's rules and of the ethics code, comments on the
    latest, and every body's adoption on the board."""
    from datetime import date

    from app.charters.models import (
        Charter,
        CharterAdoption,
        CharterComment,
        CharterKind,
        CharterSection,
        CharterVersion,
        Outcome,
    )
    from app.documents.vocabulary import VersionState
    from app.rules.models import RuleComment, RuleSection, RuleVersion
    from app.rules.vocabulary import STARTER_SECTIONS

    text = "The board decides on visits, reports and the budget. " * 40
    state = [VersionState.SUPERSEDED] * (VERSIONS - 1) + [VersionState.ADOPTED]
    with tenant_scope(mechanism_id, layer=Layer.JOB):
        charter = Charter(kind=CharterKind.ETHICS_CODE)
        db.session.add(charter)
        db.session.flush()
        code = []
        for number in range(1, VERSIONS + 1):
            version = CharterVersion(charter_id=charter.id, number=number, state=state[number - 1])
            version.sections.extend(
                CharterSection(title=f"Section {i}", body=f"{text} v{number}", position=i)
                for i in range(8)
            )
            db.session.add(version)
            code.append(version)
        db.session.commit()
    for index, body in enumerate(bodies):
        with tenant_scope(mechanism_id, body.id, layer=Layer.BODY):
            db.session.add(
                CharterAdoption(
                    body_id=body.id,
                    version_id=code[-1 - index % 3].id,
                    outcome=Outcome.ADOPTED,
                    decided_on=date(2026, 1, 1),
                )
            )
            for i in range(COMMENTS // len(bodies)):
                db.session.add(
                    CharterComment(
                        body_id=body.id,
                        section_id=code[-1].sections[i % 8].id,
                        author_id=users[index].id,
                        text=f"comment {i}",
                    )
                )
            db.session.commit()
    body = bodies[0]
    with tenant_scope(mechanism_id, body.id, layer=Layer.BODY):
        rules = []
        for number in range(1, VERSIONS + 1):
            version = RuleVersion(body_id=body.id, number=number, state=state[number - 1])
            version.sections.extend(
                RuleSection(body_id=body.id, area=area, title=str(title), body=f"{text} v{number}",
                            position=i)
                for i, (area, title) in enumerate(STARTER_SECTIONS)
            )  # fmt: skip
            db.session.add(version)
            rules.append(version)
        db.session.flush()
        for i in range(COMMENTS):
            db.session.add(
                RuleComment(
                    body_id=body.id,
                    section_id=rules[-1].sections[i % len(STARTER_SECTIONS)].id,
                    author_id=users[0].id,
                    text=f"comment {i}",
                )
            )
        db.session.commit()
    return {
        "rule_version": rules[-1].id,
        "first_rule_version": rules[0].id,
        "charter_version": code[-1].id,
    }


def measure(app, rounds: int, ids: dict) -> list[tuple[str, float, float, int]]:
    client = app.test_client()
    response = client.post("/login", data={"email": "user0@bench.example", "password": PASSWORD})
    assert response.status_code == 302, "sign-in failed"
    response = client.post("/login/code", data={"code": pyotp.TOTP(TOTP_SECRET).now()})
    assert response.status_code == 302, "second factor refused"
    counted: list[str] = []
    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", lambda *a: counted.append(a[2]))
    results = []
    for page in PAGES:
        url = page.format(**ids)
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
        results.append((page, statistics.median(timings), p95, len(counted)))
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
                "TOTP_ENCRYPTION_KEYS": Fernet.generate_key().decode(),
                "REDIS_URL": None,
                "WTF_CSRF_ENABLED": False,
            }
        )
        with app.app_context():
            upgrade()
            ids = populate(args.accounts, args.events)
        backend = url.split(":")[0]
        print(
            f"{args.accounts} accounts in 8 bodies, {args.events} audit events in one body, "
            f"{args.rounds} requests per page, {backend}"
        )
        print(f"{'page':48} {'median ms':>10} {'p95 ms':>8} {'queries':>8}")
        for page, median, p95, queries in measure(app, args.rounds, ids):
            print(f"{page:48} {median:10.1f} {p95:8.1f} {queries:8d}")


if __name__ == "__main__":
    main()
