"""Brute-force limits on the sign-in, two-factor, reset and invitation
endpoints: per client address and per account; and counters of repeated
events in a window. Counters live in Redis when REDIS_URL is set (shared by
every server), else in memory."""

from __future__ import annotations

import logging

from flask import current_app, request, session
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from limits.storage import storage_from_string

from tenants.models import normalise_email

log = logging.getLogger(__name__)

limiter = Limiter(key_func=get_remote_address, default_limits=[])

PER_ADDRESS = "20 per minute; 200 per hour"
PER_ACCOUNT = "5 per minute; 30 per hour"


def submitted_account() -> str:
    """The account a sign-in or reset form is about (also unknown ones)."""
    return "account:" + normalise_email(request.form.get("email", ""))[:254]


def signed_in_account() -> str:
    """The signed-in account whose current password a form checks."""
    from flask_login import current_user

    return f"password-check:{current_user.get_id()}"


# Pages that ask for the current password share one counter per account, so
# that a stolen session cannot guess the password through them.
password_checks = limiter.shared_limit(
    PER_ACCOUNT, scope="password-check", key_func=signed_in_account, methods=["POST"]
)


def pending_account() -> str:
    """The account half-way through two-factor sign-in."""
    return f"pending:{session.get('pending_user_id', '-')}"


def init_app(app) -> None:
    app.config.setdefault("RATELIMIT_STORAGE_URI", app.config["REDIS_URL"] or "memory://")
    app.config.setdefault("RATELIMIT_HEADERS_ENABLED", True)
    app.config.setdefault("RATELIMIT_STRATEGY", "moving-window")
    app.config.setdefault("RATELIMIT_KEY_PREFIX", "concert-limits")
    limiter.init_app(app)
    # Counters of repeated events, beside the limits (and kept when they are off)
    app.extensions["concert-counters"] = storage_from_string(app.config["RATELIMIT_STORAGE_URI"])


def count_in_window(key: str, seconds: int) -> int:
    """How many times ``key`` was counted in the window that its first count
    opened, this time included (shared by every server with Redis). When the
    counters cannot be reached, every time is the first."""
    try:
        return current_app.extensions["concert-counters"].incr(f"concert-counts:{key}", seconds)
    except Exception:
        log.exception("counter %s unavailable", key)
        return 1
