"""Exports of a version, as a job with progress."""

from __future__ import annotations

from flask_babel import gettext as _

from app.documents import exporting, kinds
from app.extensions import db
from app.jobs.models import JobOutput
from app.jobs.registry import job
from app.jobs.services import JobFailed
from tenants import current_tenant


@job("documents.export", timeout=600)
def export_version(ctx, family: str, version_id: str, file_format: str = "pdf"):
    tenant = current_tenant()
    kind = kinds.get(family)
    version = kind.version_model.get_scoped(version_id)
    if version is None:
        raise JobFailed(_("This version is no longer available."))
    context = kind.context(version)
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
