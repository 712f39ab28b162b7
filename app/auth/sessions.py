"""Server-side sessions: the cookie names a row, and the row decides.

Signing out, signing out everywhere else, a password change or a disabled
account end a session on the server at once; sessions also end after an idle
period and after an absolute lifetime.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from flask import current_app, g, request, session
from sqlalchemy.orm import Session

from app.auth.models import UserSession, digest, new_secret
from app.extensions import db
from tenants.context import unscoped
from tenants.models import User, utcnow

SESSION_KEY = "sid"
TOUCH_EVERY = timedelta(seconds=60)  # last-seen precision: fewer writes


def as_utc(moment: datetime) -> datetime:
    """SQLite returns naive datetimes: they are UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def start(user: User, *, second_factor_done: bool) -> UserSession:
    """A new session with a new identifier; nothing from before carries over."""
    session.clear()
    token, token_hash = new_secret()
    row = UserSession(
        user_id=user.id,
        token_hash=token_hash,
        second_factor_done=second_factor_done,
        client_address=request.remote_addr,
        user_agent=(request.user_agent.string or "")[:300],
    )
    db.session.add(row)
    session[SESSION_KEY] = token
    session.permanent = False
    g.user_session = row
    return row


def current_row() -> UserSession | None:
    if "user_session" in g:
        return g.user_session
    token = session.get(SESSION_KEY)
    row = None
    if isinstance(token, str) and token:
        row = db.session.scalars(
            sa.select(UserSession).where(UserSession.token_hash == digest(token))
        ).one_or_none()
    g.user_session = row
    return row


def is_live(row: UserSession | None, now: datetime | None = None) -> bool:
    if row is None or row.revoked_at is not None:
        return False
    now = now or utcnow()
    config = current_app.config
    idle = timedelta(minutes=config["SESSION_IDLE_MINUTES"])
    lifetime = timedelta(hours=config["SESSION_MAX_HOURS"])
    return now - as_utc(row.last_seen_at) < idle and now - as_utc(row.created_at) < lifetime


def load_user(user_id: str) -> User | None:
    """Flask-Login's loader: the account of a live, fully signed-in session."""
    row = current_row()
    if not is_live(row) or not row.second_factor_done or str(row.user_id) != str(user_id):
        return None
    # The signed-in account, whatever tenant the page acts for.
    with unscoped():
        user = db.session.get(User, row.user_id)
    if user is None or not user.active:
        return None
    _touch(row)
    return user


def _touch(row: UserSession) -> None:
    now = utcnow()
    if now - as_utc(row.last_seen_at) < TOUCH_EVERY:
        return
    row_id = row.id
    # Its own short transaction: a page that only reads stays read-only.
    with Session(db.engine) as other, other.begin():
        other.execute(
            sa.update(UserSession).where(UserSession.id == row_id).values(last_seen_at=now)
        )
    db.session.expire(row, ["last_seen_at"])


def end_current() -> None:
    row = current_row()
    if row is not None and row.revoked_at is None:
        row.revoked_at = utcnow()
    session.clear()
    g.pop("user_session", None)


def end_all(user: User, *, keep: UserSession | None = None) -> int:
    """End every live session of ``user`` (but ``keep``); returns how many."""
    stmt = sa.update(UserSession).where(
        UserSession.user_id == user.id, UserSession.revoked_at.is_(None)
    )
    if keep is not None:
        stmt = stmt.where(UserSession.id != keep.id)
    return db.session.execute(stmt.values(revoked_at=utcnow())).rowcount


def live_sessions(user: User) -> list[UserSession]:
    rows = db.session.scalars(
        sa.select(UserSession)
        .where(
            UserSession.user_id == user.id,
            UserSession.revoked_at.is_(None),
            UserSession.second_factor_done.is_(True),
        )
        .order_by(UserSession.last_seen_at.desc())
    ).all()
    now = utcnow()
    return [row for row in rows if is_live(row, now)]
