"""Helpers shared by the tests: factories, sign-in, query counting."""

from __future__ import annotations

import contextlib
import re
import time
from dataclasses import dataclass, field

import pyotp
import sqlalchemy as sa
from sqlalchemy import event

from app.auth.passwords import hash_password
from app.extensions import db
from tenants import provisioning
from tenants.models import Body, Mechanism, Membership, Role, User

PASSWORD = "correct horse battery staple"
_PASSWORD_HASH = hash_password(PASSWORD)  # hashed once: argon2 is slow on purpose


def make_mechanism(slug: str, **fields) -> Mechanism:
    fields.setdefault("name", f"Mechanism {slug}")
    fields.setdefault("country", f"Country {slug}")
    return provisioning.create_mechanism(slug=slug, **fields)


def make_body(mechanism: Mechanism, slug: str, kind: str = "ombuds", **fields) -> Body:
    fields.setdefault("name", f"Body {slug}")
    return provisioning.add_body(mechanism_slug=mechanism.slug, slug=slug, kind=kind, **fields)


def make_user(
    email: str, *, operator: bool = False, active: bool = True, two_factor: bool | None = None
) -> User:
    """An account with PASSWORD; operators are enrolled in two-factor sign-in
    unless told otherwise, as their role requires it."""
    user = User(
        email=email,
        display_name=email.split("@")[0],
        password_hash=_PASSWORD_HASH,
        is_operator=operator,
        active=active,
        totp_secret=pyotp.random_base32()
        if (operator if two_factor is None else two_factor)
        else None,
    )
    db.session.add(user)
    db.session.commit()
    return user


def add_member(user: User, mechanism: Mechanism, body: Body, role: Role | str) -> Membership:
    invitation = provisioning.invite_user(
        mechanism_slug=mechanism.slug,
        body_slug=body.slug,
        email=user.email,
        role=role,
        notify=False,
        accepted=True,
    )
    return invitation.membership


def login(client, email: str, password: str = PASSWORD):
    """Sign in through the forms, with a code from the account's authenticator
    when it has one (as a person would)."""
    response = client.post("/login", data={"email": email, "password": password})
    assert response.status_code == 302, response.data[:500]
    if response.headers["Location"].startswith("/login/code"):
        user = db.session.scalars(sa.select(User).where(User.email == email)).one()
        db.session.refresh(user)
        response = client.post("/login/code", data={"code": next_code(user)})
        assert response.status_code == 302, response.data[:500]
    return response


def next_code(user: User) -> str:
    """A code the account has not used yet (one per 30-second step)."""
    step = int(time.time() // 30)
    if user.totp_last_step is not None and user.totp_last_step >= step:
        step = user.totp_last_step + 1
    return pyotp.TOTP(user.totp_secret).at(step * 30)


def sign_in(client, email: str) -> None:
    """Open a signed-in session directly, for tests about something else than
    signing in (the sign-in forms have their own tests)."""
    from app.auth.models import UserSession, new_secret

    user = db.session.scalars(sa.select(User).where(User.email == email)).one()
    token, token_hash = new_secret()
    db.session.add(UserSession(user_id=user.id, token_hash=token_hash, second_factor_done=True))
    db.session.commit()
    with client.session_transaction() as session:
        session["_user_id"] = str(user.id)
        session["_fresh"] = True
        session["sid"] = token


def csrf_token_from(html: str) -> str:
    match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html)
    assert match, "no CSRF token in the page"
    return match.group(1)


@dataclass
class QueryLog:
    statements: list[str] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.statements)


@contextlib.contextmanager
def count_queries(engine=None):
    """Count the SQL statements the block sends (the RLS set_config excluded)."""
    engine = engine or db.engine
    log = QueryLog()

    def before(conn, cursor, statement, parameters, context, executemany):
        log.statements.append(statement)

    event.listen(engine, "before_cursor_execute", before)
    try:
        yield log
    finally:
        event.remove(engine, "before_cursor_execute", before)


@contextlib.contextmanager
def assert_max_queries(limit: int, engine=None):
    with count_queries(engine) as log:
        yield log
    assert log.count <= limit, f"{log.count} queries (budget {limit}):\n" + "\n".join(
        log.statements
    )
