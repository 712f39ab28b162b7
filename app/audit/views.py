"""A body's audit trail, for its administrators."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from flask import Blueprint, g, redirect, render_template, request, url_for
from flask_login import current_user

from app.audit import jobs
from app.audit.models import AuditEvent
from app.audit.services import AuditFilter, body_actions, body_events_query
from app.bounds import id_or_404, paginate
from app.extensions import db
from tenants.models import Role
from tenants.resolver import requires_role

bp = Blueprint("audit", __name__, url_prefix="/audit")


def _date_arg(name: str) -> date | None:
    value = _iso_value(request.args.get(name))
    return date.fromisoformat(value) if value else None


@bp.get("/")
@requires_role(Role.ADMIN)
def events():
    tenant = g.tenant
    filters = AuditFilter(
        actor_id=id_or_404(request.args.get("actor")),
        action=request.args.get("action") or None,
        date_from=_date_arg("from"),
        date_to=_date_arg("to"),
    )
    page = paginate(body_events_query(tenant.mechanism_id, tenant.body_id, filters))
    # Whoever appears in the body's trail, former members included.
    actors = db.session.execute(
        sa.select(AuditEvent.actor_id, AuditEvent.actor_email)
        .where(
            AuditEvent.mechanism_id == tenant.mechanism_id,
            AuditEvent.body_id == tenant.body_id,
            AuditEvent.actor_id.is_not(None),
        )
        .distinct()
        .order_by(AuditEvent.actor_email)
    ).all()
    return render_template(
        "audit/events.html",
        page=page,
        filters=filters,
        actions=body_actions(tenant.mechanism_id, tenant.body_id),
        actors=actors,
    )


@bp.post("/export")
@requires_role(Role.ADMIN)
def export():
    form_filters = {
        "actor_id": id_or_404(request.form.get("actor")),
        "action": request.form.get("action") or None,
        "date_from": _iso_value(request.form.get("from")),
        "date_to": _iso_value(request.form.get("to")),
    }
    run = jobs.start_export(form_filters, current_user)
    return redirect(url_for("body.jobs.status", run_id=run.id))


def _iso_value(value: str | None) -> str | None:
    try:
        return date.fromisoformat(value or "").isoformat()
    except ValueError:
        return None
