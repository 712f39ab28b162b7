"""A job's progress page (polled by htmx) and its output download."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, Response, abort, g, render_template, request
from flask_login import current_user

from app.audit.services import record
from app.extensions import db
from app.jobs.models import JobOutput, JobRun
from tenants.models import Role
from tenants.resolver import requires_role

bp = Blueprint("jobs", __name__, url_prefix="/jobs")


@bp.get("/<run_id>")
@requires_role(Role.EXTERNAL_EXPERT)
def status(run_id):
    run = JobRun.get_scoped_or_404(run_id)
    _check_owner(run)
    output = _output_name(run)
    if request.headers.get("HX-Request"):
        return render_template("jobs/_job.html", run=run, output=output)
    return render_template("jobs/status.html", run=run, output=output)


@bp.get("/<run_id>/download")
@requires_role(Role.EXTERNAL_EXPERT)
def download(run_id):
    run = JobRun.get_scoped_or_404(run_id)
    _check_owner(run)
    output = db.session.scalars(
        JobOutput.scoped_select().where(JobOutput.job_run_id == run.id)
    ).one_or_none()
    if output is None:
        abort(404)
    record("export.download", obj=output, summary=output.filename)
    db.session.commit()
    return Response(
        output.data,
        # stored whole (with its charset): as a mimetype, text/* would get a second one
        content_type=output.content_type,
        headers={"Content-Disposition": f'attachment; filename="{output.filename}"'},
    )


def _check_owner(run) -> None:
    """A run is seen by whoever started it and by the body's admins."""
    if run.created_by != current_user.id and not g.membership.role.at_least(Role.ADMIN):
        abort(404)


def _output_name(run) -> str | None:
    return db.session.scalar(sa.select(JobOutput.filename).where(JobOutput.job_run_id == run.id))
