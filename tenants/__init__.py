"""The tenancy layer: mechanisms, bodies, accounts and memberships, and the
machinery that keeps every request, query and job inside one tenant.

It is the ground floor of Concert and imports nothing from ``app``.
"""

from tenants.context import (
    Tenant,
    TenantError,
    aggregate_reads,
    current_tenant,
    tenant_scope,
    unscoped,
)
from tenants.database import db
from tenants.models import Body, BodyKind, Mechanism, Membership, Role, User
from tenants.scoping import BodyOwned, MechanismOwned

__all__ = [
    "Body",
    "BodyKind",
    "BodyOwned",
    "Mechanism",
    "MechanismOwned",
    "Membership",
    "Role",
    "Tenant",
    "TenantError",
    "User",
    "aggregate_reads",
    "current_tenant",
    "db",
    "tenant_scope",
    "unscoped",
]
