"""Audit events: append-only, one row per write or access worth tracing.

A tenant's events live with the tenant's rows (keyed by mechanism, ready to
be distributed with them); events of no tenant (sign-in, the operator's
commands) live in a platform table of their own.
"""

from __future__ import annotations

import uuid
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db
from tenants.models import utcnow
from tenants.scoping import MechanismOwned
from tenants.sharing import Sharing


class AuditRecord:
    """What every audit event says: who, what, when, from where."""

    occurred_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    actor_email: Mapped[str | None] = mapped_column(sa.String(254))
    action: Mapped[str] = mapped_column(sa.String(64))
    object_type: Mapped[str | None] = mapped_column(sa.String(64))
    object_id: Mapped[str | None] = mapped_column(sa.String(64))
    summary: Mapped[str] = mapped_column(sa.String(500), default="")
    client_address: Mapped[str | None] = mapped_column(sa.String(64))


class AuditEvent(MechanismOwned, AuditRecord, db.Model):
    """An event of a mechanism: the trail of the body it names (its
    administrators read it); mechanism-level events name no body. The
    operator adds the events of its provisioning and reads none."""

    __tablename__ = "audit_events"
    __sharing__ = Sharing(appended_by_platform=True)
    __table_args__ = (
        sa.Index("ix_audit_events_tenant_time", "mechanism_id", "body_id", "occurred_at"),
    )

    body_id: Mapped[uuid.UUID | None] = mapped_column(sa.Uuid)


class PlatformAuditEvent(AuditRecord, db.Model):
    """An event of no tenant: a sign-in or its failure, one's own account,
    the operator's commands."""

    __tablename__ = "platform_audit_events"
    __platform_only__ = True  # no tenant's layer reads it
    __table_args__ = (sa.Index("ix_platform_audit_events_time", "occurred_at"),)

    id: Mapped[int] = mapped_column(
        sa.BigInteger().with_variant(sa.Integer, "sqlite"), primary_key=True
    )


AUDIT_MODELS = (AuditEvent, PlatformAuditEvent)
