"""The one writer of audit events."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

import sqlalchemy as sa
from flask import has_request_context, request
from flask_login import current_user
from sqlalchemy import event
from sqlalchemy.orm import Session

from app.audit.models import AUDIT_MODELS, AuditEvent, PlatformAuditEvent
from app.extensions import db
from tenants import current_tenant
from tenants.models import User
from tenants.signals import tenant_provisioned

_UNSET = object()


def record(
    action: str,
    *,
    obj=None,
    object_type: str | None = None,
    object_id=None,
    summary: str = "",
    actor: User | None = _UNSET,  # type: ignore[assignment]
    mechanism_id: int | None = _UNSET,  # type: ignore[assignment]
    body_id: uuid.UUID | None = _UNSET,  # type: ignore[assignment]
    on_its_own: bool = False,
) -> AuditEvent | PlatformAuditEvent:
    """Add an audit event to the session; it is committed with the write it
    describes (or by the caller, for events without one). An event of a
    mechanism goes to the tenant's trail, one of no mechanism to the
    platform's.

    ``on_its_own`` commits it at once in a transaction of its own, leaving the
    request's session untouched (for events about a refusal)."""
    tenant = current_tenant()
    if mechanism_id is _UNSET:
        mechanism_id = tenant.mechanism_id if tenant else None
    if body_id is _UNSET:
        body_id = tenant.body_id if tenant else None
    if actor is _UNSET:
        actor = current_user if has_request_context() and current_user.is_authenticated else None
    if obj is not None:
        object_type = object_type or type(obj).__name__
        object_id = object_id if object_id is not None else obj.id
    fields = dict(
        action=action,
        actor_id=actor.id if actor is not None else None,
        actor_email=actor.email if actor is not None else None,
        object_type=object_type,
        object_id=_printable(object_id, 64) if object_id is not None else None,
        summary=_printable(summary, 500),
        client_address=request.remote_addr if has_request_context() else None,
    )
    if mechanism_id is None:
        event_row = PlatformAuditEvent(**fields)
    else:
        event_row = AuditEvent(mechanism_id=mechanism_id, body_id=body_id, **fields)
    if on_its_own:
        with Session(db.engine) as separate, separate.begin():
            separate.add(event_row)
        return event_row
    db.session.add(event_row)
    return event_row


def _printable(value, limit: int) -> str:
    """What a request sent may hold control characters (NUL among them),
    which have no place in a log line and which PostgreSQL refuses."""
    return "".join(ch if ch.isprintable() else "?" for ch in str(value or ""))[:limit]


@dataclass(frozen=True)
class AuditFilter:
    actor_id: int | None = None
    action: str | None = None
    date_from: date | None = None
    date_to: date | None = None


def body_events_query(mechanism_id: int, body_id: uuid.UUID, filters: AuditFilter) -> sa.Select:
    stmt = (
        sa.select(AuditEvent)
        .where(AuditEvent.mechanism_id == mechanism_id, AuditEvent.body_id == body_id)
        .order_by(AuditEvent.occurred_at.desc(), AuditEvent.id.desc())
    )
    if filters.actor_id:
        stmt = stmt.where(AuditEvent.actor_id == filters.actor_id)
    if filters.action:
        stmt = stmt.where(AuditEvent.action == filters.action)
    if filters.date_from:
        stmt = stmt.where(AuditEvent.occurred_at >= datetime.combine(filters.date_from, time.min))
    if filters.date_to and filters.date_to < date.max:  # the last day has no day after
        end = datetime.combine(filters.date_to + timedelta(days=1), time.min)
        stmt = stmt.where(AuditEvent.occurred_at < end)
    return stmt


def body_actions(mechanism_id: int, body_id: uuid.UUID) -> list[str]:
    return list(
        db.session.scalars(
            sa.select(AuditEvent.action)
            .where(AuditEvent.mechanism_id == mechanism_id, AuditEvent.body_id == body_id)
            .distinct()
            .order_by(AuditEvent.action)
        )
    )


def _refuse_changes(session: Session, flush_context, instances) -> None:
    for obj in (*session.dirty, *session.deleted):
        if isinstance(obj, AUDIT_MODELS) and (obj in session.deleted or session.is_modified(obj)):
            raise RuntimeError("audit events are append-only")


def _on_provisioned(sender, **kwargs) -> None:
    record(
        kwargs["action"],
        object_type=kwargs.get("object_type"),
        object_id=kwargs.get("object_id"),
        summary=kwargs.get("summary", ""),
        actor=sender,
        mechanism_id=kwargs.get("mechanism_id"),
        body_id=kwargs.get("body_id"),
    )


def install() -> None:
    if not event.contains(Session, "before_flush", _refuse_changes):
        event.listen(Session, "before_flush", _refuse_changes)
    tenant_provisioned.connect(_on_provisioned, weak=False)
