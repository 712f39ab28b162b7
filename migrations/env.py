"""Alembic environment: migrations run as the role that owns the schema
(MIGRATIONS_DATABASE_URL, by default DATABASE_URL), then the application's
role (DATABASE_APP_ROLE) is granted what it needs, on PostgreSQL."""

import logging
from logging.config import fileConfig

import sqlalchemy as sa
from alembic import context
from flask import current_app

from tenants.rls import grant_app_role

config = context.config
fileConfig(config.config_file_name, disable_existing_loggers=False)
logger = logging.getLogger("alembic.env")

target_db = current_app.extensions["migrate"].db
url = current_app.config["MIGRATIONS_DATABASE_URL"]


def include_object(obj, name, type_, reflected, compare_to):
    return True


def run_migrations_offline():
    context.configure(
        url=url, target_metadata=target_db.metadata, literal_binds=True, render_as_batch=True
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online():
    def process_revision_directives(context, revision, directives):
        if getattr(config.cmd_opts, "autogenerate", False):
            script = directives[0]
            if script.upgrade_ops.is_empty():
                directives[:] = []
                logger.info("No changes in schema detected.")

    conf_args = dict(current_app.extensions["migrate"].configure_args)
    conf_args.setdefault("process_revision_directives", process_revision_directives)
    engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
    with engine.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=target_db.metadata,
            include_object=include_object,
            **conf_args,
        )
        with context.begin_transaction():
            context.run_migrations()
        role = current_app.config.get("DATABASE_APP_ROLE")
        if role and connection.dialect.name == "postgresql":
            with connection.begin():
                grant_app_role(connection, role)
    engine.dispose()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
