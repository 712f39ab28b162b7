"""Concert: the application factory."""

from __future__ import annotations

import logging
import os
from pathlib import Path

from flask import Flask

import tenants.crypto
import tenants.setup
from app import config, errors, i18n, limits, security
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
    _install_services()

    limits.init_app(app)
    if app.config["TRUSTED_PROXIES"]:
        from werkzeug.middleware.proxy_fix import ProxyFix

        hops = app.config["TRUSTED_PROXIES"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)
    _register_blueprints(app)
    errors.init_app(app)
    security.init_app(app)
    i18n.init_app(app)
    _register_commands(app)
    _template_helpers(app)
    return app


def _template_helpers(app: Flask) -> None:
    from app.documents.markup import render as markdown
    from app.spaces.current import current_spaces
    from tenants.models import Role

    app.jinja_env.add_extension("jinja2.ext.do")
    app.jinja_env.filters["markdown"] = markdown
    app.jinja_env.globals.update(Role=Role, nav_spaces=current_spaces)


def _install_services() -> None:
    # Importing the job modules registers their jobs by name.
    import app.audit.jobs  # noqa: F401
    import app.auth.jobs  # noqa: F401
    import app.charters.reminders  # noqa: F401  (its jobs and notice texts)
    import app.documents.jobs  # noqa: F401
    import app.people.jobs  # noqa: F401
    import app.people.reminders  # noqa: F401  (its notice texts)
    from app.audit import services as audit_services
    from app.auth import services as auth_services

    audit_services.install()
    auth_services.install()


def _register_blueprints(app: Flask) -> None:
    from app.account.views import bp as account_bp
    from app.account.views import require_enrolment
    from app.accounts.views import bp as accounts_bp
    from app.audit.views import bp as audit_bp
    from app.auth.views import bp as auth_bp
    from app.charters.coordination import bp as charters_coordination_bp
    from app.charters.views import bp as charters_bp
    from app.jobs.views import bp as jobs_bp
    from app.notices.views import bp as notices_bp
    from app.operator.views import bp as operator_bp
    from app.people.coordination import bp as people_coordination_bp
    from app.people.views import bp as people_bp
    from app.public.views import bp as public_bp
    from app.rules.views import bp as rules_bp
    from app.spaces.views import body_bp, coordination_bp, spaces_bp
    from tenants.resolver import make_layers

    layers = make_layers()
    for child in (
        body_bp,
        accounts_bp,
        people_bp,
        rules_bp,
        charters_bp,
        notices_bp,
        audit_bp,
        jobs_bp,
    ):
        layers["body"].register_blueprint(child)
    for child in (coordination_bp, people_coordination_bp, charters_coordination_bp):
        layers["coordination"].register_blueprint(child)
    layers["public"].register_blueprint(public_bp)

    app.register_blueprint(auth_bp)
    app.register_blueprint(account_bp)
    app.before_request(require_enrolment)
    app.register_blueprint(spaces_bp)
    app.register_blueprint(operator_bp)
    # The public site's prefix (/m/<mechanism>) is the shortest: register it
    # last so that the layers beneath it are matched first.
    app.register_blueprint(layers["body"])
    app.register_blueprint(layers["coordination"])
    app.register_blueprint(layers["public"])


def _register_commands(app: Flask) -> None:
    from app.auth.cli import operator_cli
    from app.demo.cli import demo_cli
    from app.jobs.cli import cron_command, run_scheduled_command, worker_command

    app.cli.add_command(operator_cli)
    app.cli.add_command(demo_cli)
    app.cli.add_command(worker_command)
    app.cli.add_command(cron_command)
    app.cli.add_command(run_scheduled_command)
