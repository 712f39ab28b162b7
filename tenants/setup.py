"""Wire the tenancy layer into a Flask application."""

from tenants import resolver, rls, scoping
from tenants.cli import tenants_cli
from tenants.database import configure_engine, db


def init_app(app) -> None:
    scoping.install()
    resolver.init_app(app)
    with app.app_context():
        configure_engine(db.engine)
        scoping.guard_engine(db.engine)
        rls.install(db.engine)
    app.cli.add_command(tenants_cli)
