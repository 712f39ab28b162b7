"""PostgreSQL row-level security: the second wall behind the ORM scoping.

The tenant (mechanism, body and layer), the signed-in user (for their own
memberships) and whether counts across bodies are being read are handed to
the database per transaction with ``set_config(..., true)``, just before the
first statement that needs them; a session-wide ``SET`` would follow a pooled
connection into the next request. With no tenant set, policies match nothing.

The policies of a table come from its model's ``__sharing__`` (the same
declaration the ORM net reads): ``protect`` installs them in a migration.
"""

from __future__ import annotations

from sqlalchemy import event, text
from sqlalchemy.engine import Connection, Engine

from tenants.context import acting_user_id, counting, current_tenant
from tenants.sharing import (
    CURRENT_LAYER,
    CURRENT_MECHANISM,
    CURRENT_USER,
    SETTINGS,
    TENANT_SETTING,
    USER_SETTING,
    Sharing,
    fingerprint,
    policy_sql,
)

__all__ = ["CURRENT_MECHANISM", "CURRENT_USER", "TENANT_SETTING", "USER_SETTING"]

_INFO_KEY = "concert_rls_settings"
_NONE = ("",) * len(SETTINGS)


def _wanted() -> tuple[str, ...]:
    tenant = current_tenant()
    user_id = acting_user_id()
    if tenant is None:
        return ("", "", "", str(user_id) if user_id is not None else "", "")
    return (
        str(tenant.mechanism_id),
        str(tenant.body_id) if tenant.body_id else "",
        tenant.layer.value,
        str(user_id) if user_id is not None else "",
        "on" if counting() else "",
    )


def _before_cursor_execute(conn: Connection, cursor, statement, parameters, context, many):
    wanted = _wanted()
    if conn.info.get(_INFO_KEY, _NONE) == wanted:
        return
    # A plain cursor of its own: the statement's cursor may be a server-side
    # one, whose first statement is only declared, not run.
    pairs = [value for pair in zip(SETTINGS, wanted, strict=True) for value in pair]
    calls = ", ".join("set_config(%s, %s, true)" for _ in SETTINGS)
    with cursor.connection.cursor() as plain:
        plain.execute(f"SELECT {calls}", pairs)  # noqa: S608 (placeholders only)
    conn.info[_INFO_KEY] = wanted


def _forget(conn, *args) -> None:
    # The transaction (or savepoint) that held the settings is over.
    conn.info.pop(_INFO_KEY, None)


def _forget_on_checkout(dbapi_connection, connection_record, connection_proxy) -> None:
    connection_record.info.pop(_INFO_KEY, None)


def install(engine: Engine) -> None:
    """Hand the active tenant to PostgreSQL on every transaction of ``engine``."""
    if engine.dialect.name != "postgresql":
        return
    if event.contains(engine, "before_cursor_execute", _before_cursor_execute):
        return
    event.listen(engine, "before_cursor_execute", _before_cursor_execute)
    for name in ("commit", "rollback", "rollback_savepoint"):
        event.listen(engine, name, _forget)
    event.listen(engine, "checkout", _forget_on_checkout)


# --- DDL used by migrations -------------------------------------------------


def enable(op, table: str, using: str | None = None, also_read: str | None = None) -> None:
    """Turn on forced row-level security for ``table``.

    One policy for every command: rows of the current mechanism only (or
    ``using``), read and written alike. ``also_read`` adds rows that may be
    read, never written.
    """
    if op.get_bind().dialect.name != "postgresql":
        return
    using = using or f"mechanism_id = {CURRENT_MECHANISM}"
    op.execute(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
    op.execute(f"ALTER TABLE {table} FORCE ROW LEVEL SECURITY")
    op.execute(f"DROP POLICY IF EXISTS tenant_isolation ON {table}")
    op.execute(f"DROP POLICY IF EXISTS read_also ON {table}")
    op.execute(f"CREATE POLICY tenant_isolation ON {table} USING ({using}) WITH CHECK ({using})")
    if also_read:
        op.execute(f"CREATE POLICY read_also ON {table} FOR SELECT USING ({also_read})")


def protect(op, table: str, sharing: Sharing) -> None:
    """Turn on forced row-level security for a tenant table, with the
    policies its sharing declaration asks for (replacing any it had).

    Migrations pass the declaration literally, as the model has it when the
    migration is written, so that replaying them later installs what they
    installed then. ``tests/test_rls.py`` checks that every table's policies
    carry the fingerprint of its model's declaration today."""
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return
    read, insert, write = policy_sql(table, sharing)
    mark = fingerprint(table, sharing)
    _drop_policies(op, table)
    op.execute(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
    op.execute(f"ALTER TABLE {table} FORCE ROW LEVEL SECURITY")
    op.execute(f"CREATE POLICY read_{mark} ON {table} FOR SELECT USING ({read})")
    op.execute(f"CREATE POLICY insert_{mark} ON {table} FOR INSERT WITH CHECK ({insert})")
    op.execute(
        f"CREATE POLICY update_{mark} ON {table} FOR UPDATE USING ({write}) WITH CHECK ({write})"
    )
    op.execute(f"CREATE POLICY delete_{mark} ON {table} FOR DELETE USING ({write})")


def protect_accounts(op) -> None:
    """Accounts are global rows: with no tenant set (sign-in, one's own
    settings) and to provisioning every account is readable; a tenant reads
    the accounts known to its mechanism and the acting user's own. Writes are not restricted
    here: accounts are changed by their owner and by provisioning."""
    if op.get_bind().dialect.name != "postgresql":
        return
    known = "EXISTS (SELECT 1 FROM mechanism_accounts a WHERE a.user_id = users.id"
    known += f" AND a.mechanism_id = {CURRENT_MECHANISM})"
    platform = f"{CURRENT_LAYER} = 'platform'"
    read = f"users.id = {CURRENT_USER} OR {CURRENT_MECHANISM} IS NULL OR {platform} OR {known}"
    _drop_policies(op, "users")
    op.execute("ALTER TABLE users ENABLE ROW LEVEL SECURITY")
    op.execute("ALTER TABLE users FORCE ROW LEVEL SECURITY")
    op.execute(f"CREATE POLICY read_accounts ON users FOR SELECT USING ({read})")
    op.execute("CREATE POLICY insert_accounts ON users FOR INSERT WITH CHECK (true)")
    op.execute("CREATE POLICY update_accounts ON users FOR UPDATE USING (true) WITH CHECK (true)")
    op.execute("CREATE POLICY delete_accounts ON users FOR DELETE USING (true)")


def protect_platform(op, table: str) -> None:
    """Turn on forced row-level security for a platform table (rows of no
    tenant: sign-ins, the operator's jobs): read and written with no tenant
    set or by the platform layer, never by a tenant's own layers."""
    if op.get_bind().dialect.name != "postgresql":
        return
    platform = f"{CURRENT_MECHANISM} IS NULL OR {CURRENT_LAYER} = 'platform'"
    _drop_policies(op, table)
    op.execute(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
    op.execute(f"ALTER TABLE {table} FORCE ROW LEVEL SECURITY")
    op.execute(f"CREATE POLICY platform_rows ON {table} USING ({platform}) WITH CHECK ({platform})")


def _drop_policies(op, table: str) -> None:
    names = op.get_bind().execute(
        text("SELECT policyname FROM pg_policies WHERE tablename = :table"), {"table": table}
    )
    for (name,) in names.all():
        op.execute(f'DROP POLICY "{name}" ON {table}')


def disable(op, table: str) -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    _drop_policies(op, table)
    op.execute(f"ALTER TABLE {table} NO FORCE ROW LEVEL SECURITY")
    op.execute(f"ALTER TABLE {table} DISABLE ROW LEVEL SECURITY")


# Tables the application may insert into and read, but never change or delete.
APPEND_ONLY_TABLES = ("audit_events", "platform_audit_events")


def grant_app_role(connection, role: str) -> None:
    """Let the application role use the schema without owning anything.

    Idempotent; run after every migration (``migrations/env.py`` does).
    The role is created if missing, as a plain login role: neither superuser
    nor BYPASSRLS.
    """
    if connection.dialect.name != "postgresql":
        return
    if not role.replace("_", "").isalnum():
        raise ValueError(f"unusable role name: {role!r}")
    connection.execute(
        text(
            f"""
            DO $$ BEGIN
              IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{role}') THEN
                CREATE ROLE {role} LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE;
              END IF;
            END $$"""  # noqa: S608 (role is checked to be an identifier above)
        )
    )
    connection.execute(text(f"GRANT USAGE ON SCHEMA public TO {role}"))
    connection.execute(
        text(f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {role}")
    )
    connection.execute(text(f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {role}"))
    connection.execute(text(f"REVOKE ALL ON alembic_version FROM {role}"))
    for table in APPEND_ONLY_TABLES:
        # after a downgrade, a table may not exist (yet)
        if connection.scalar(text("SELECT to_regclass(:t)"), {"t": table}) is not None:
            connection.execute(text(f"REVOKE UPDATE, DELETE, TRUNCATE ON {table} FROM {role}"))
