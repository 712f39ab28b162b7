"""Audit events: append-only, one row per write or access worth tracing."""

from __future__ import annotations

import uuid
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db
from tenants.models import utcnow


class AuditEvent(db.Model):
    """A global table: platform events (a failed login, provisioning) carry no
    tenant. Tenant events carry their mechanism and body, and row-level
    security shows each mechanism only its own."""

    __tablename__ = "audit_events"
    __table_args__ = (
        sa.Index("ix_audit_events_tenant_time", "mechanism_id", "body_id", "occurred_at"),
    )

    id: Mapped[int] = mapped_column(
        sa.BigInteger().with_variant(sa.Integer, "sqlite"), primary_key=True
    )
    occurred_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    actor_email: Mapped[str | None] = mapped_column(sa.String(254))
    mechanism_id: Mapped[int | None] = mapped_column(sa.ForeignKey("mechanisms.id"))
    body_id: Mapped[uuid.UUID | None] = mapped_column(sa.Uuid)
    action: Mapped[str] = mapped_column(sa.String(64))
    object_type: Mapped[str | None] = mapped_column(sa.String(64))
    object_id: Mapped[str | None] = mapped_column(sa.String(64))
    summary: Mapped[str] = mapped_column(sa.String(500), default="")
    client_address: Mapped[str | None] = mapped_column(sa.String(64))
