"""Two-factor secrets are encrypted at rest, with keys from the configuration:
what the database holds, reading with a wrong key, the migration, rotation."""

from __future__ import annotations

import os

import pyotp
import pytest
import sqlalchemy as sa
from cryptography.fernet import Fernet, InvalidToken
from flask_migrate import downgrade, upgrade
from sqlalchemy.engine import make_url

from app import create_app
from app.audit.models import PlatformAuditEvent
from app.config import database_url
from app.extensions import db
from tenants.context import raw_sql
from tenants.crypto import DecryptionError
from tenants.models import User
from tests.support import PASSWORD, login, make_user

NEW_KEY = "Job2LumVhi9qRh0Lzsw6vAcKoGZY2fE2cdp3NGfxhy0="
BEFORE, ENCRYPTED = "a3c9e1f07b52", "dee0e7ba2e6e"


def _stored(owner_engine, email="ann@example.org") -> str | None:
    with owner_engine.connect() as conn:
        return conn.scalar(
            sa.text("SELECT totp_secret FROM users WHERE email = :email"), {"email": email}
        )


def _load(email="ann@example.org") -> User:
    db.session.expire_all()
    return db.session.scalars(sa.select(User).where(User.email == email)).one()


def test_the_database_holds_the_secret_encrypted_not_in_the_clear(app, owner_engine):
    user = make_user("ann@example.org", two_factor=True)
    make_user("bob@example.org", two_factor=False)
    stored = _stored(owner_engine)
    assert stored and user.totp_secret not in stored
    key = app.config["TOTP_ENCRYPTION_KEYS"][0]
    assert Fernet(key).decrypt(stored.encode()).decode() == user.totp_secret
    assert _stored(owner_engine, "bob@example.org") is None
    assert _load().totp_secret == user.totp_secret  # clear again in Python


def test_sign_in_with_a_code_works_with_the_secret_encrypted(app, client):
    user = make_user("ann@example.org", two_factor=True)
    response = client.post("/login", data={"email": "ann@example.org", "password": PASSWORD})
    assert response.headers["Location"] == "/login/code"
    assert client.post("/login/code", data={"code": "000000"}).status_code == 422
    code = pyotp.TOTP(user.totp_secret).now()
    assert client.post("/login/code", data={"code": code}).status_code == 302
    assert client.get("/account").status_code == 200


def test_a_wrong_key_cannot_read_the_secret_and_says_so(app, make_app):
    make_user("ann@example.org", two_factor=True)
    wrong = make_app(TOTP_ENCRYPTION_KEYS=NEW_KEY)
    with wrong.app_context(), pytest.raises(DecryptionError, match="does not decrypt"):
        _load()


def test_rotation_encrypts_again_with_the_new_key_and_old_tokens_stay_readable(
    app, make_app, owner_engine
):
    user = make_user("ann@example.org", two_factor=True)
    old_key = app.config["TOTP_ENCRYPTION_KEYS"][0]
    rotating = make_app(TOTP_ENCRYPTION_KEYS=f"{NEW_KEY},{old_key}")
    # Every server has both keys: the old tokens still sign in.
    login(rotating.test_client(), "ann@example.org")
    Fernet(old_key).decrypt(_stored(owner_engine).encode())  # still the old key's token

    with rotating.app_context():  # else the command runs in the current app's
        result = rotating.test_cli_runner().invoke(args=["operator", "rotate-totp-key"])
    assert result.exit_code == 0 and "1 two-factor secrets" in result.output
    token = _stored(owner_engine).encode()
    assert Fernet(NEW_KEY).decrypt(token).decode() == user.totp_secret
    with pytest.raises(InvalidToken):
        Fernet(old_key).decrypt(token)
    # The old key can go.
    with make_app(TOTP_ENCRYPTION_KEYS=NEW_KEY).app_context():
        assert _load().totp_secret == user.totp_secret
    with owner_engine.connect() as conn:
        assert "operator.rotate_totp_key" in set(conn.scalars(sa.select(PlatformAuditEvent.action)))


@pytest.fixture
def empty_database(backend, tmp_path):
    """The URL of an empty database of this backend, as its owner."""
    if backend == "sqlite":
        yield f"sqlite:///{tmp_path / 'empty.db'}"
        return
    admin_url = make_url(database_url(os.environ["TEST_DATABASE_URL"]))
    name = f"concert_migration_test_{os.getpid()}"
    admin = sa.create_engine(admin_url, isolation_level="AUTOCOMMIT", poolclass=sa.pool.NullPool)
    with admin.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}"'))
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    yield admin_url.set(database=name).render_as_string(hide_password=False)
    with admin.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def test_the_migration_encrypts_clear_secrets_and_its_downgrade_decrypts_them(empty_database):
    key = "BRPfRSlEQ5kxWQR5P7l4WZf8-EkpDfysOFFv27f-8dE="
    app = create_app(
        {
            "TESTING": True,
            "SQLALCHEMY_DATABASE_URI": empty_database,
            "MIGRATIONS_DATABASE_URL": empty_database,
            "DATABASE_APP_ROLE": None,
            "SECRET_KEY": "x",
            "TOTP_ENCRYPTION_KEYS": key,
            "REDIS_URL": None,
        }
    )
    secret = pyotp.random_base32()
    secrets = sa.text("SELECT email, totp_secret FROM users ORDER BY email")
    with app.app_context(), raw_sql("reads and writes the column as the database holds it"):
        upgrade(revision=BEFORE)
        with db.engine.begin() as conn:
            conn.execute(
                sa.text(
                    "INSERT INTO users (email, display_name, active, is_operator, created_at,"
                    " totp_secret) VALUES (:email, 'x', true, false, CURRENT_TIMESTAMP, :secret)"
                ),
                [
                    {"email": "ann@example.org", "secret": secret},
                    {"email": "bob@example.org", "secret": None},
                ],
            )

        upgrade(revision=ENCRYPTED)
        with db.engine.connect() as conn:
            (_, token), bob = conn.execute(secrets).all()
        assert secret not in token and Fernet(key).decrypt(token.encode()).decode() == secret
        assert bob == ("bob@example.org", None)
        assert _load().totp_secret == secret
        db.session.remove()

        downgrade(revision=BEFORE)
        with db.engine.connect() as conn:
            assert conn.execute(secrets).all() == [
                ("ann@example.org", secret),
                ("bob@example.org", None),
            ]
        db.engine.dispose()
