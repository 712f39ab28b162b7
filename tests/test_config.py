"""Configuration: the embedded default, the environment, production mode."""

from __future__ import annotations

import pytest

from app import create_app
from app.config import ConfigError, database_url

ENV = (
    "DATABASE_URL",
    "REDIS_URL",
    "SECRET_KEY",
    "MAIL_SERVER",
    "CONCERT_ENV",
    "MIGRATIONS_DATABASE_URL",
    "DATABASE_APP_ROLE",
    "TOTP_ENCRYPTION_KEYS",
    "CONCERT_BENCHMARK",
)
KEY = "BRPfRSlEQ5kxWQR5P7l4WZf8-EkpDfysOFFv27f-8dE="


@pytest.fixture
def clean_env(monkeypatch, tmp_path):
    for name in ENV:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("CONCERT_INSTANCE_PATH", str(tmp_path / "instance"))
    return tmp_path / "instance"


def test_with_nothing_set_concert_runs_embedded(clean_env):
    app = create_app()
    assert app.config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{clean_env / 'concert.db'}"
    assert app.config["REDIS_URL"] is None and app.config["MAIL_SERVER"] is None
    secret = (clean_env / "secret_key").read_text()
    assert len(secret) == 64 and app.config["SECRET_KEY"] == secret
    assert (clean_env / "secret_key").stat().st_mode & 0o077 == 0
    assert create_app().config["SECRET_KEY"] == secret  # generated once, then kept


def test_with_nothing_set_the_two_factor_key_is_generated_once_into_the_instance(clean_env):
    keys = create_app().config["TOTP_ENCRYPTION_KEYS"]
    key_file = clean_env / "totp_key"
    assert keys == (key_file.read_text(),) and len(keys[0]) == 44
    assert key_file.stat().st_mode & 0o077 == 0
    assert create_app().config["TOTP_ENCRYPTION_KEYS"] == keys


def test_the_environment_configures_services(clean_env, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgresql://app@db.internal/concert")
    monkeypatch.setenv("REDIS_URL", "redis://cache.internal:6379/2")
    monkeypatch.setenv("SECRET_KEY", "from-the-environment")
    monkeypatch.setenv("MAIL_SERVER", "smtp.internal")
    app = create_app()
    assert app.config["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://app@db.internal/concert"
    assert app.config["MIGRATIONS_DATABASE_URL"] == app.config["SQLALCHEMY_DATABASE_URI"]
    assert app.config["REDIS_URL"] == "redis://cache.internal:6379/2"
    assert app.config["SECRET_KEY"] == "from-the-environment"
    assert not (clean_env / "secret_key").exists()


def test_production_refuses_to_start_without_a_secret_key(clean_env, monkeypatch):
    monkeypatch.setenv("CONCERT_ENV", "production")
    with pytest.raises(ConfigError):
        create_app()
    monkeypatch.setenv("SECRET_KEY", "a-real-secret")
    monkeypatch.setenv("TOTP_ENCRYPTION_KEYS", KEY)
    app = create_app()
    assert app.config["SESSION_COOKIE_SECURE"] is True


def test_production_refuses_to_start_without_a_two_factor_encryption_key(clean_env, monkeypatch):
    monkeypatch.setenv("CONCERT_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", "a-real-secret")
    with pytest.raises(ConfigError, match="needs TOTP_ENCRYPTION_KEYS"):
        create_app()
    assert not (clean_env / "totp_key").exists()  # never a generated key in production
    monkeypatch.setenv("TOTP_ENCRYPTION_KEYS", KEY)
    assert create_app().config["TOTP_ENCRYPTION_KEYS"] == (KEY,)


def test_two_factor_keys_are_read_from_the_environment_and_checked(clean_env, monkeypatch):
    other = "Job2LumVhi9qRh0Lzsw6vAcKoGZY2fE2cdp3NGfxhy0="
    monkeypatch.setenv("TOTP_ENCRYPTION_KEYS", f" {KEY}, {other} ")
    assert create_app().config["TOTP_ENCRYPTION_KEYS"] == (KEY, other)
    assert not (clean_env / "totp_key").exists()
    monkeypatch.setenv("TOTP_ENCRYPTION_KEYS", f"{KEY},not-a-key")
    with pytest.raises(ConfigError, match="key 2 is not a Fernet key"):
        create_app()


def test_postgres_urls_use_psycopg_3():
    assert database_url("postgres://u@h/d") == "postgresql+psycopg://u@h/d"
    assert database_url("postgresql+psycopg://u@h/d") == "postgresql+psycopg://u@h/d"
    assert database_url("sqlite:///x.db") == "sqlite:///x.db"


def test_the_benchmark_ceiling_is_never_served_in_production(clean_env, monkeypatch):
    monkeypatch.setenv("CONCERT_BENCHMARK", "1")
    assert create_app().config["BENCHMARK_MODE"] is True
    assert any(
        rule.endpoint == "body.benchmark.ceiling" for rule in create_app().url_map.iter_rules()
    )
    monkeypatch.setenv("CONCERT_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", "a-real-secret")
    monkeypatch.setenv("TOTP_ENCRYPTION_KEYS", KEY)
    app = create_app()
    assert app.config["BENCHMARK_MODE"] is False
    assert not any(rule.endpoint == "body.benchmark.ceiling" for rule in app.url_map.iter_rules())
