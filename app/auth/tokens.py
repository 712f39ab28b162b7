"""Single-use, expiring links sent by mail (invitations, password resets,
e-mail address changes). Issuing a new one replaces any unused older one."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from app.auth.models import AccountToken, TokenPurpose, digest, new_secret
from app.auth.sessions import as_utc
from app.extensions import db
from tenants.models import User, utcnow

LIFETIMES = {
    TokenPurpose.INVITATION: timedelta(days=7),
    TokenPurpose.PASSWORD_RESET: timedelta(hours=1),
    TokenPurpose.EMAIL_CHANGE: timedelta(hours=24),
}


def revoke(user: User, *purposes: TokenPurpose) -> None:
    """Retire the account's unused links (of these purposes, or all): after a
    password or address change, an older link must not undo it."""
    stmt = sa.update(AccountToken).where(
        AccountToken.user_id == user.id, AccountToken.used_at.is_(None)
    )
    if purposes:
        stmt = stmt.where(AccountToken.purpose.in_(purposes))
    db.session.execute(stmt.values(used_at=utcnow()))


def issue(user: User, purpose: TokenPurpose, *, new_email: str | None = None) -> str:
    revoke(user, purpose)
    token, token_hash = new_secret()
    db.session.add(
        AccountToken(
            user_id=user.id,
            purpose=purpose,
            token_hash=token_hash,
            new_email=new_email,
            expires_at=utcnow() + LIFETIMES[purpose],
        )
    )
    return token


def find(token: str, purpose: TokenPurpose) -> AccountToken | None:
    """The unused, unexpired token of this purpose, or None."""
    if not token or len(token) > 100:
        return None
    row = db.session.scalars(
        sa.select(AccountToken).where(
            AccountToken.token_hash == digest(token), AccountToken.purpose == purpose
        )
    ).one_or_none()
    if row is None or row.used_at is not None or as_utc(row.expires_at) <= utcnow():
        return None
    return row


def consume(row: AccountToken) -> None:
    row.used_at = utcnow()


def invitation_states(memberships) -> dict:
    """For each membership (by id): ``accepted``; ``sent`` while the person
    can still take it up (a new account's link is live, or an existing
    account finds it in its spaces); ``expired`` when a new account's link
    was not used in time (resending it issues a new one)."""
    waiting = {m.user_id for m in memberships if m.pending and m.user.password_hash is None}
    live = set()
    if waiting:
        live = set(
            db.session.scalars(
                sa.select(AccountToken.user_id).where(
                    AccountToken.user_id.in_(waiting),
                    AccountToken.purpose == TokenPurpose.INVITATION,
                    AccountToken.used_at.is_(None),
                    AccountToken.expires_at > utcnow(),
                )
            )
        )
    # A link is issued by the job that mails it, moments after the invitation.
    recent = utcnow() - LIFETIMES[TokenPurpose.INVITATION]
    states = {}
    for m in memberships:
        if not m.pending:
            states[m.id] = "accepted"
        elif m.user_id in waiting and m.user_id not in live and as_utc(m.created_at) < recent:
            states[m.id] = "expired"
        else:
            states[m.id] = "sent"
    return states
