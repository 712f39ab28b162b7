"""Exports of a version, as a job with progress."""

from __future__ import annotations

from flask_babel import gettext as _

from app.charters.models import CharterVersion
from app.documents import exporting
from app.extensions import db
from app.jobs.models import JobOutput
from app.jobs.registry import job
from app.jobs.services import JobFailed
from app.rules.models import RuleVersion
from tenants import current_tenant
from tenants.models import Body


@job("documents.export", timeout=600)
def export_version(ctx, family: str, version_id: str, file_format: str = "pdf"):
    tenant = current_tenant()
    if family == "rules":
        version = RuleVersion.get_scoped(version_id)
        body = db.session.get(Body, (tenant.mechanism_id, tenant.body_id))
        context = exporting.rules_context(version, body) if version else None
    else:
        version = CharterVersion.get_scoped(version_id)
        context = exporting.charter_context(version) if version else None
    if context is None:
        raise JobFailed(_("This version is no longer available."))
    ctx.progress(10)
    if file_format == "docx":
        data = exporting.to_docx(context, ctx.progress)
    else:
        file_format, data = "pdf", exporting.to_pdf(context)
    ctx.progress(95)
    db.session.add(
        JobOutput(
            mechanism_id=tenant.mechanism_id,
            body_id=tenant.body_id,
            job_run_id=ctx.run_id,
            filename=exporting.filename(context, file_format),
            content_type=exporting.FORMATS[file_format],
            data=data,
        )
    )
    return {"sections": len(context["sections"]), "bytes": len(data)}
