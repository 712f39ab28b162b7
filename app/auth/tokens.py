"""Signed, expiring, single-use links to set a password.

The token names the account and a fingerprint of its current password hash:
once a password is set the fingerprint changes and the link stops working.
"""

from __future__ import annotations

import hashlib

from flask import current_app
from itsdangerous import BadSignature, URLSafeTimedSerializer

from app.extensions import db
from tenants.models import User

SET_PASSWORD_MAX_AGE = 7 * 24 * 3600


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="concert.set-password")


def _fingerprint(user: User) -> str:
    return hashlib.sha256((user.password_hash or "unset").encode()).hexdigest()[:16]


def make_set_password_token(user: User) -> str:
    return _serializer().dumps({"u": user.id, "f": _fingerprint(user)})


def user_for_set_password_token(token: str) -> User | None:
    try:
        data = _serializer().loads(token, max_age=SET_PASSWORD_MAX_AGE)
    except BadSignature:  # also covers an expired signature
        return None
    user = db.session.get(User, data.get("u")) if isinstance(data, dict) else None
    if user is None or not user.active or data.get("f") != _fingerprint(user):
        return None
    return user
