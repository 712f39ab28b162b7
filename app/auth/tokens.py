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


def issue(user: User, purpose: TokenPurpose, *, new_email: str | None = None) -> str:
    now = utcnow()
    db.session.execute(
        sa.update(AccountToken)
        .where(
            AccountToken.user_id == user.id,
            AccountToken.purpose == purpose,
            AccountToken.used_at.is_(None),
        )
        .values(used_at=now)
    )
    token, token_hash = new_secret()
    db.session.add(
        AccountToken(
            user_id=user.id,
            purpose=purpose,
            token_hash=token_hash,
            new_email=new_email,
            expires_at=now + LIFETIMES[purpose],
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
