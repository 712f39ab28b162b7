"""Password hashing with argon2id (argon2-cffi's defaults follow RFC 9106)
and a strength check with zxcvbn."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from zxcvbn import zxcvbn

_hasher = PasswordHasher()
# Verified against when the account does not exist, so that a failed login
# takes as long whether or not the address is known.
_DUMMY_HASH = _hasher.hash("concert-timing-equaliser")

MIN_LENGTH = 12
MAX_LENGTH = 128
MIN_SCORE = 3  # zxcvbn: "safely unguessable" for an online attack


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(user, password: str) -> bool:
    """Check ``password``; upgrade the stored hash when parameters changed."""
    stored = user.password_hash if user is not None else None
    try:
        _hasher.verify(stored or _DUMMY_HASH, password)
    except (VerificationError, InvalidHashError):
        return False
    if stored is None:
        return False
    if _hasher.check_needs_rehash(stored):
        user.password_hash = _hasher.hash(password)
    return True


def is_guessable(password: str, personal: list[str] | None = None) -> bool:
    """Common, patterned or personal passwords (name, e-mail) are guessable."""
    inputs = [p for p in personal or [] if p]
    result = zxcvbn(password[:MAX_LENGTH], user_inputs=inputs, max_length=MAX_LENGTH)
    return result["score"] < MIN_SCORE
