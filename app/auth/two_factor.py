"""Two-factor sign-in with time-based one-time codes (TOTP, RFC 6238),
recovery codes, and who must use them."""

from __future__ import annotations

import base64
import hmac
import secrets
import time
import unicodedata

import pyotp
import segno
import sqlalchemy as sa
from flask import current_app

from app.auth.models import RecoveryCode, digest
from app.extensions import db
from tenants.models import Role, User, utcnow
from tenants.spaces import Space

ISSUER = "Concert"
RECOVERY_CODES = 10
_RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no look-alikes


def new_secret() -> str:
    return pyotp.random_base32()


def enrolment_secret(user: User, session_row) -> str:
    """The key offered while setting up: derived from the server's secret key,
    the account and the session, so it needs no storage and changes with
    every session."""
    material = f"totp-enrolment:{user.id}:{session_row.id if session_row else '-'}"
    mac = hmac.new(current_app.config["SECRET_KEY"].encode(), material.encode(), "sha256")
    return base64.b32encode(mac.digest()[:20]).decode()


def provisioning_uri(secret: str, email: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=email, issuer_name=ISSUER)


def qr_code_data_uri(uri: str) -> str:
    """The QR code as an SVG data URI (drawn here: no outside service)."""
    return segno.make(uri, error="m").svg_data_uri(scale=5, dark="#1d232b", border=2)


def _step(moment: float | None = None) -> int:
    return int((moment if moment is not None else time.time()) // 30)


def code_is_valid(secret: str, code: str, after_step: int | None = None) -> int | None:
    """The time step ``code`` belongs to (now, or one step either side for
    clock drift), provided it is later than ``after_step``; else None."""
    code = "".join(code.split())
    if not (code.isdecimal() and len(code) == 6):
        return None
    # Digits of any script count as what they are (a keyboard may send them).
    code = "".join(str(unicodedata.digit(ch)) for ch in code)
    totp = pyotp.TOTP(secret)
    current = _step()
    for step in (current - 1, current, current + 1):
        if after_step is not None and step <= after_step:
            continue
        if hmac.compare_digest(totp.at(step * 30), code):
            return step
    return None


def verify(user: User, code: str) -> bool:
    """Check a code from the user's app; a code is accepted only once."""
    if user.totp_secret is None:
        return False
    step = code_is_valid(user.totp_secret, code, user.totp_last_step)
    if step is None:
        return False
    user.totp_last_step = step
    return True


def enrol(user: User, secret: str, step: int) -> list[str]:
    user.totp_secret = secret
    user.totp_last_step = step
    return issue_recovery_codes(user)


def reset(user: User) -> None:
    """Forget the user's second factor (a lost device)."""
    user.totp_secret = None
    user.totp_last_step = None
    db.session.execute(sa.delete(RecoveryCode).where(RecoveryCode.user_id == user.id))


def issue_recovery_codes(user: User) -> list[str]:
    """Ten new codes, shown once; older codes stop working."""
    db.session.execute(sa.delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    codes = [
        "-".join("".join(secrets.choice(_RECOVERY_ALPHABET) for _ in range(5)) for _ in range(2))
        for _ in range(RECOVERY_CODES)
    ]
    db.session.add_all(RecoveryCode(user_id=user.id, code_hash=digest(_bare(c))) for c in codes)
    return codes


def _bare(code: str) -> str:
    """A recovery code as typed: case, spaces and dashes do not matter."""
    return "".join(ch for ch in code.lower() if ch.isalnum())


def use_recovery_code(user: User, code: str) -> bool:
    row = db.session.scalars(
        sa.select(RecoveryCode).where(
            RecoveryCode.user_id == user.id,
            RecoveryCode.code_hash == digest(_bare(code)),
            RecoveryCode.used_at.is_(None),
        )
    ).one_or_none()
    if row is None:
        return False
    row.used_at = utcnow()
    return True


def remaining_recovery_codes(user: User) -> int:
    return (
        db.session.scalar(
            sa.select(sa.func.count(RecoveryCode.id)).where(
                RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None)
            )
        )
        or 0
    )


def is_required(user: User, spaces: list[Space]) -> bool:
    """Operators, administrators, members of a coordinating body, and anyone
    in a body that asks for it must sign in with a second factor."""
    return user.is_operator or any(
        space.role is Role.ADMIN or space.body.is_coordinator or space.body.requires_two_factor
        for space in spaces
    )
