"""Export of a body's audit trail, as a background job."""

from __future__ import annotations

import csv
import io
from datetime import date

from app.audit.services import AuditFilter, body_events_query, record
from app.extensions import db
from app.jobs.models import JobOutput
from app.jobs.registry import job
from app.jobs.services import enqueue
from app.spreadsheets import safe_cell
from tenants import current_tenant

COLUMNS = (
    "occurred_at",
    "actor_email",
    "action",
    "object_type",
    "object_id",
    "summary",
    "client_address",
)


def start_export(filters: dict, user):
    """Record the request and queue the export of the trail as filtered."""
    record("export.request", object_type="AuditEvent", summary="audit trail (CSV)")
    return enqueue("audit.export_csv", params=filters, by=user)


@job("audit.export_csv", timeout=600)
def export_csv(ctx, actor_id=None, action=None, date_from=None, date_to=None):
    tenant = current_tenant()
    filters = AuditFilter(
        actor_id=actor_id,
        action=action,
        date_from=date.fromisoformat(date_from) if date_from else None,
        date_to=date.fromisoformat(date_to) if date_to else None,
    )
    stmt = body_events_query(tenant.mechanism_id, tenant.body_id, filters)
    total = db.session.scalar(stmt.with_only_columns(db.func.count()).order_by(None)) or 0
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(COLUMNS)
    for index, event in enumerate(db.session.scalars(stmt.execution_options(yield_per=500)), 1):
        writer.writerow([safe_cell(getattr(event, column)) for column in COLUMNS])
        if index % 500 == 0:
            ctx.progress(index * 100 // max(total, 1), f"{index} / {total}")
    db.session.add(
        JobOutput(
            mechanism_id=tenant.mechanism_id,
            body_id=tenant.body_id,
            job_run_id=ctx.run_id,
            filename=f"audit-{date.today().isoformat()}.csv",
            content_type="text/csv; charset=utf-8",
            # with a byte-order mark, so that spreadsheet programs read UTF-8
            data=buffer.getvalue().encode("utf-8-sig"),
        )
    )
    return {"rows": total}
