"""Jobs registered for the tests (imported by the job tests only)."""

from __future__ import annotations

import sqlalchemy as sa

from app.extensions import db
from app.jobs.models import JobOutput
from app.jobs.registry import job
from app.jobs.services import JobFailed
from tenants import current_tenant
from tenants.models import Body

ATTEMPTS: dict[str, int] = {}


@job("test.count_bodies", timeout=30, retries=0)
def count_bodies(ctx, label: str):
    ctx.progress(50, "counting")
    return {"label": label, "bodies": len(db.session.scalars(sa.select(Body)).all())}


@job("test.write_then_fail", timeout=30, retries=0)
def write_then_fail(ctx):
    tenant = current_tenant()
    db.session.add(
        JobOutput(
            body_id=tenant.body_id,
            job_run_id=ctx.run_id,
            filename="half.csv",
            content_type="text/csv",
            data=b"half",
        )
    )
    db.session.flush()
    raise JobFailed("The export could not be finished.")


@job("test.crash", timeout=30, retries=0)
def crash(ctx):
    raise RuntimeError("internal detail that users must not see")


@job("test.flaky", timeout=30, retries=1)
def flaky(ctx, key: str):
    ATTEMPTS[key] = ATTEMPTS.get(key, 0) + 1
    if ATTEMPTS[key] == 1:
        raise RuntimeError("first attempt fails")
    return {"attempts": ATTEMPTS[key]}


@job("test.report_progress", timeout=30, retries=0)
def report_progress(ctx):
    """Reports progress, then reads it back as a polling page would."""
    ctx.progress(40, "halfway there")
    from sqlalchemy.orm import Session

    from app.jobs.models import JobRun

    with Session(db.engine) as other:
        seen = other.get(JobRun, (current_tenant().mechanism_id, ctx.run_id))
        return {"progress": seen.progress, "message": seen.message, "state": seen.state.value}


@job("test.read_across_bodies", timeout=30, retries=0)
def read_across_bodies(ctx):
    """Only a job started by the coordination layer may count across bodies."""
    from tenants import aggregate_reads

    with aggregate_reads():
        return {"bodies": len(db.session.scalars(sa.select(Body)).all())}
