"""Configuration from the environment (and an optional ``.env`` file).

With nothing set, Concert runs on its embedded default: a SQLite file in the
instance folder, jobs run in-process, mail written to the log, and a secret
key and a key for the two-factor secrets generated once and kept in the
instance folder.

``CONCERT_ENV=production`` makes the configuration strict: no start without
an explicit ``SECRET_KEY`` and ``TOTP_ENCRYPTION_KEYS``, secure cookies.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable, Iterable
from pathlib import Path

from cryptography.fernet import Fernet
from dotenv import load_dotenv

LANGUAGES = ("en", "fr")


class ConfigError(RuntimeError):
    pass


def _flag(value: str | None, default: bool = False) -> bool:
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def database_url(url: str) -> str:
    """Use the psycopg 3 driver for plain PostgreSQL URLs."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def _instance_secret(path: Path, generate: Callable[[], str]) -> str:
    """A key generated once into the instance folder, readable by its owner only."""
    try:
        # Created with its mode: never readable by others, not even for a moment.
        with os.fdopen(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "w") as file:
            file.write(generate())
    except FileExistsError:
        pass
    return path.read_text().strip()


def _totp_keys(value: str | Iterable[str]) -> tuple[str, ...]:
    """Fernet keys, comma-separated: the first encrypts, all decrypt."""
    keys = value.split(",") if isinstance(value, str) else value
    keys = tuple(key.strip() for key in keys if key.strip())
    for number, key in enumerate(keys, start=1):
        try:
            Fernet(key)
        except ValueError:
            raise ConfigError(
                f"TOTP_ENCRYPTION_KEYS: key {number} is not a Fernet key (32 url-safe"
                " base64-encoded bytes, as Fernet.generate_key() makes)."
            ) from None
    return keys


def load(app, overrides: dict | None = None) -> None:
    root = Path(app.root_path).parent
    load_dotenv(root / ".env", override=False)
    env = os.environ
    instance = Path(app.instance_path)
    instance.mkdir(parents=True, exist_ok=True)

    production = env.get("CONCERT_ENV", "development").strip().lower() == "production"
    overrides = dict(overrides or {})
    secret = overrides.pop("SECRET_KEY", None) or env.get("SECRET_KEY")
    if not secret:
        if production:
            raise ConfigError("CONCERT_ENV=production needs an explicit SECRET_KEY.")
        secret = _instance_secret(instance / "secret_key", lambda: secrets.token_hex(32))
    # Kept out of the database, so that a copy of it does not give away the
    # two-factor secrets.
    totp_keys = _totp_keys(
        overrides.pop("TOTP_ENCRYPTION_KEYS", None) or env.get("TOTP_ENCRYPTION_KEYS") or ""
    )
    if not totp_keys:
        if production:
            raise ConfigError(
                "CONCERT_ENV=production needs TOTP_ENCRYPTION_KEYS, the key that encrypts the"
                " two-factor secrets (make one with: python -c 'from cryptography.fernet"
                " import Fernet; print(Fernet.generate_key().decode())')."
            )
        totp_keys = _totp_keys(
            _instance_secret(instance / "totp_key", lambda: Fernet.generate_key().decode())
        )

    db_url = database_url(env.get("DATABASE_URL") or f"sqlite:///{instance / 'concert.db'}")
    app.config.update(
        PRODUCTION=production,
        SECRET_KEY=secret,
        TOTP_ENCRYPTION_KEYS=totp_keys,
        SQLALCHEMY_DATABASE_URI=db_url,
        # Migrations run as the role that owns the tables; the application
        # connects as DATABASE_URL's role, granted by DATABASE_APP_ROLE.
        MIGRATIONS_DATABASE_URL=database_url(env.get("MIGRATIONS_DATABASE_URL") or db_url),
        DATABASE_APP_ROLE=env.get("DATABASE_APP_ROLE") or None,
        SQLALCHEMY_ENGINE_OPTIONS={"pool_pre_ping": True},
        REDIS_URL=env.get("REDIS_URL") or None,
        # Seconds before each retry of a failed job on RQ.
        JOB_RETRY_INTERVALS=[int(x) for x in env.get("JOB_RETRY_INTERVALS", "10,60").split(",")],
        MAIL_SERVER=env.get("MAIL_SERVER") or None,
        MAIL_PORT=int(env.get("MAIL_PORT", "25")),
        MAIL_USERNAME=env.get("MAIL_USERNAME") or None,
        MAIL_PASSWORD=env.get("MAIL_PASSWORD") or None,
        MAIL_USE_TLS=_flag(env.get("MAIL_USE_TLS")),
        MAIL_FROM=env.get("MAIL_FROM", "Concert <no-reply@concert.invalid>"),
        BASE_URL=env.get("BASE_URL", "http://127.0.0.1:5000").rstrip("/"),
        BABEL_DEFAULT_LOCALE="en",
        BABEL_TRANSLATION_DIRECTORIES=str(Path(app.root_path) / "translations"),
        LANGUAGES=LANGUAGES,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=production,
        REMEMBER_COOKIE_SECURE=production,
        WTF_CSRF_TIME_LIMIT=None,  # the token lives as long as the session
        SESSION_COOKIE_NAME="__Host-concert" if production else "concert_session",
        SESSION_IDLE_MINUTES=int(env.get("SESSION_IDLE_MINUTES", "30")),
        SESSION_MAX_HOURS=int(env.get("SESSION_MAX_HOURS", "12")),
        RATELIMIT_ENABLED=_flag(env.get("RATELIMIT_ENABLED"), default=True),
        # How many reverse proxies in front of Concert set X-Forwarded-For and
        # -Proto; without it those headers are ignored.
        TRUSTED_PROXIES=int(env.get("TRUSTED_PROXIES", "0")),
        PER_PAGE=int(env.get("PER_PAGE", "50")),
        # Serves the load harness's ceiling page (benchmarks/); never in production.
        BENCHMARK_MODE=_flag(env.get("CONCERT_BENCHMARK")) and not production,
        # Larger requests (uploads above all) are refused before they are
        # read: 413, with a page that says so.
        MAX_CONTENT_LENGTH=int(env.get("MAX_REQUEST_MB", "10")) * 1024 * 1024,
        SEND_FILE_MAX_AGE_DEFAULT=3600,
    )
    app.config.update(overrides)
