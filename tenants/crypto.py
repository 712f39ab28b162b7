"""Encryption at rest of the two-factor (TOTP) secrets.

The keys come from the application's configuration, handed over by
``register_keys`` in the factory: this layer imports nothing from ``app``.
They are kept per application, so that two apps in one process (tests) never
read with each other's keys. Fernet authenticates what it decrypts, so a wrong
key fails loudly instead of yielding a wrong secret.
"""

from __future__ import annotations

from collections.abc import Iterable

import sqlalchemy as sa
from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from flask import current_app

_EXTENSION = "concert.totp_fernet"


class DecryptionError(RuntimeError):
    pass


def fernet_for(keys: Iterable[str]) -> MultiFernet:
    """The first key encrypts; every key decrypts (rotation)."""
    return MultiFernet([Fernet(key) for key in keys])


def register_keys(app, keys: Iterable[str]) -> None:
    app.extensions[_EXTENSION] = fernet_for(keys)


def _fernet() -> MultiFernet:
    fernet = current_app.extensions.get(_EXTENSION)
    if fernet is None:
        raise RuntimeError("No encryption keys are registered for this application.")
    return fernet


class EncryptedString(sa.types.TypeDecorator):
    """Text that Python sees in the clear and the column holds as a Fernet
    token. ``length`` is the column's, which must fit the token: about 140
    characters for a 32-character secret."""

    impl = sa.String
    cache_ok = True

    def process_bind_param(self, value: str | None, dialect) -> str | None:
        if value is None:
            return None
        return _fernet().encrypt(value.encode()).decode()

    def process_result_value(self, value: str | None, dialect) -> str | None:
        if value is None:
            return None
        try:
            return _fernet().decrypt(value.encode()).decode()
        except InvalidToken:
            raise DecryptionError(
                "A two-factor secret in the database does not decrypt with any key of"
                " TOTP_ENCRYPTION_KEYS: the key that encrypted it is missing or wrong."
            ) from None
