"""Concert: the application factory."""

from __future__ import annotations

import logging
import os
from pathlib import Path

from flask import Flask

import tenants.crypto
import tenants.setup
from app import capabilities, config, errors, i18n, limits, security
from app.extensions import babel, csrf, db, login_manager, migrate

ROOT = Path(__file__).resolve().parent.parent


def create_app(overrides: dict | None = None) -> Flask:
    app = Flask(
        __name__,
        instance_path=os.environ.get("CONCERT_INSTANCE_PATH") or str(ROOT / "instance"),
        template_folder=str(ROOT / "templates"),
        static_folder="static",
    )
    config.load(app, overrides)
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    # Mail goes to this log in the embedded default: never filter it out.
    logging.getLogger("concert").setLevel(logging.INFO)

    db.init_app(app)
    # Batch mode lets SQLite alter tables; compare_type catches column type changes.
    migrate.init_app(
        app, db, directory=str(ROOT / "migrations"), render_as_batch=True, compare_type=True
    )
    csrf.init_app(app)
    login_manager.init_app(app)
    babel.init_app(app, locale_selector=i18n.select_locale)
    tenants.setup.init_app(app)
    tenants.crypto.register_keys(app, app.config["TOTP_ENCRYPTION_KEYS"])

    limits.init_app(app)
    if app.config["TRUSTED_PROXIES"]:
        from werkzeug.middleware.proxy_fix import ProxyFix

        hops = app.config["TRUSTED_PROXIES"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)
    capabilities.install(app)
    errors.init_app(app)
    security.init_app(app)
    i18n.init_app(app)
    _template_helpers(app)
    return app


def _template_helpers(app: Flask) -> None:
    from tenants.models import Role
    from tenants.spaces import current_spaces

    app.jinja_env.add_extension("jinja2.ext.do")
    app.jinja_env.globals.update(Role=Role, nav_spaces=current_spaces)
