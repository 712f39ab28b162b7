"""The schema is ready to be distributed by mechanism, and the models and
the migrations agree."""

from __future__ import annotations

import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy.orm import RelationshipProperty

from app.extensions import db
from tenants.scoping import is_tenant_owned

# Tables that belong to no single mechanism, and why.
GLOBAL_TABLES = {
    "mechanisms": "the directory of tenants itself",
    "users": "one account may work for bodies of several mechanisms",
    "platform_audit_events": "events of no tenant: sign-in, one's account, operator commands",
    "platform_job_runs": "jobs of no tenant: mail before a tenant is known, the operator's",
    "user_sessions": "a signed-in browser belongs to an account",
    "account_tokens": "links mailed to an account",
    "recovery_codes": "an account's second-factor recovery codes",
}


def test_every_tenant_table_is_keyed_by_mechanism(app):
    for table in db.metadata.sorted_tables:
        if table.name in GLOBAL_TABLES:
            continue
        column = table.c.get("mechanism_id")
        assert column is not None, f"{table.name} has no mechanism_id"
        assert not column.nullable, f"{table.name}.mechanism_id may be NULL"
        assert "mechanism_id" in table.primary_key.columns, f"{table.name}: key"
        for constraint in table.constraints:
            if isinstance(constraint, sa.UniqueConstraint):
                assert "mechanism_id" in constraint.columns, (table.name, constraint.name)
        for index in table.indexes:
            if index.unique:
                assert "mechanism_id" in index.columns, (table.name, index.name)
        for fk in table.foreign_key_constraints:
            target = fk.referred_table
            if target.name not in GLOBAL_TABLES:
                assert "mechanism_id" in fk.column_keys, (
                    f"{table.name} → {target.name} must include mechanism_id"
                )


def test_global_tables_are_listed_on_purpose(app):
    names = {t.name for t in db.metadata.sorted_tables}
    assert set(GLOBAL_TABLES) <= names
    for mapper in db.Model.registry.mappers:
        table = mapper.local_table.name
        assert is_tenant_owned(mapper.class_) == (table not in GLOBAL_TABLES), table


def test_no_relationship_leads_from_a_global_model_into_tenant_rows(app):
    """Objects loaded outside a tenant must not lazy-load tenant rows later."""
    for mapper in db.Model.registry.mappers:
        if is_tenant_owned(mapper.class_):
            continue
        for prop in mapper.iterate_properties:
            if isinstance(prop, RelationshipProperty):
                assert not is_tenant_owned(prop.mapper.class_), (mapper.class_, prop.key)


def test_models_and_migrations_agree(app, owner_engine):
    with owner_engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        differences = compare_metadata(context, db.metadata)
    assert differences == []
