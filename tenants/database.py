"""The one SQLAlchemy handle of the application.

It lives in the tenancy layer because the tenancy models and the scoping rules
are defined on it; ``app.extensions`` re-exports it for the capabilities.
"""

from flask_sqlalchemy import SQLAlchemy
from flask_sqlalchemy.session import Session
from sqlalchemy import MetaData, event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase

from tenants.context import TenantError, raw_sql_reason

# Stable constraint names, so that Alembic migrations are the same on SQLite
# and PostgreSQL and constraints can be altered by name later.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_N_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class TenantSession(Session):
    """The application's session: bulk writes skip the flush check, so they
    are refused (outside ``raw_sql()``)."""

    def _refuse_bulk(self, what: str) -> None:
        if raw_sql_reason() is None:
            raise TenantError(f"{what}: write tenant rows through the session")

    def bulk_save_objects(self, *args, **kwargs):
        self._refuse_bulk("bulk_save_objects")
        return super().bulk_save_objects(*args, **kwargs)

    def bulk_insert_mappings(self, *args, **kwargs):
        self._refuse_bulk("bulk_insert_mappings")
        return super().bulk_insert_mappings(*args, **kwargs)

    def bulk_update_mappings(self, *args, **kwargs):
        self._refuse_bulk("bulk_update_mappings")
        return super().bulk_update_mappings(*args, **kwargs)


# Objects stay readable after a commit without a reload: a reload outside the
# tenant that loaded them would be refused by row-level security. Sessions
# last one request or one job, so nothing stale outlives them.
db = SQLAlchemy(
    model_class=Base, session_options={"expire_on_commit": False, "class_": TenantSession}
)


def _sqlite_pragmas(dbapi_connection, connection_record) -> None:
    cursor = dbapi_connection.cursor()
    # Foreign keys hold tenants together (a body-owned row names its body
    # *and* its mechanism): SQLite only checks them when asked to.
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.close()


def configure_engine(engine: Engine) -> None:
    if engine.dialect.name == "sqlite" and not event.contains(engine, "connect", _sqlite_pragmas):
        event.listen(engine, "connect", _sqlite_pragmas)
