"""The register's background work: imports, exports and term reminders."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from flask_babel import gettext as _

from app.audit.services import record
from app.extensions import db
from app.jobs.models import JobOutput
from app.jobs.registry import job
from app.jobs.services import JobFailed, enqueue
from app.people import importing, reminders, tabular
from app.people.models import PeopleImport, Person
from tenants import current_tenant, tenant_scope
from tenants.context import Layer
from tenants.models import Body, Mechanism, utcnow


@job("people.import", timeout=1800, retries=0)
def import_people(ctx, import_id: str):
    upload = PeopleImport.get_scoped(import_id)
    if upload is None or not upload.parsed_rows:
        raise JobFailed(_("This import is no longer available."))
    imported = importing.run(upload, ctx.progress)
    if imported < 0:
        raise JobFailed(_("The file has errors: nothing was imported. Open its preview."))
    return {"rows": imported}


def start_export(file_format: str, user):
    """Record the request and queue the export of the register."""
    record("export.request", object_type="Person", summary=f"register ({file_format})")
    return enqueue("people.export", params={"file_format": file_format}, by=user)


@job("people.export", timeout=600)
def export_people(ctx, file_format: str = "csv"):
    """Every entry, former people included: the register's history goes too."""
    tenant = current_tenant()
    stmt = Person.scoped_select().order_by(Person.name, Person.id)
    today = date.today()
    rows = [tabular.person_row(person, today) for person in db.session.scalars(stmt)]
    ctx.progress(80, f"{len(rows)}")
    if file_format == "xlsx":
        data = tabular.to_xlsx(rows)
        content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    else:
        data, content_type = tabular.to_csv(rows), "text/csv; charset=utf-8"
    db.session.add(
        JobOutput(
            mechanism_id=tenant.mechanism_id,
            body_id=tenant.body_id,
            job_run_id=ctx.run_id,
            filename=f"people-{today.isoformat()}.{'xlsx' if file_format == 'xlsx' else 'csv'}",
            content_type=content_type,
            data=data,
        )
    )
    return {"rows": len(rows)}


@job("people.daily", timeout=1800, schedule="0 6 * * *")
def daily(ctx):
    """Every body's term reminders, and the dropping of stale uploads: a
    platform job that visits each body in its own tenant."""
    today, sent = date.today(), 0
    for mechanism in db.session.scalars(sa.select(Mechanism).order_by(Mechanism.id)).all():
        with tenant_scope(mechanism.id, layer=Layer.JOB):
            bodies = db.session.scalars(sa.select(Body).where(Body.active.is_(True))).all()
            db.session.commit()
        for body in bodies:
            with tenant_scope(mechanism.id, body.id, layer=Layer.JOB):
                sent += reminders.remind_body(body, mechanism, today)
                reminders.drop_stale_uploads(utcnow())
    return {"reminders": sent}
