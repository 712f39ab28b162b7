"""One way to start background work, whether Redis is configured or not.

``enqueue`` records a run (a tenant's ``JobRun``, or a ``PlatformJobRun``
when no tenant's layer started it) and then either puts it on the RQ queue
(``REDIS_URL`` set) or runs it at once in this process. ``perform`` is what
runs, in both cases: it sets the run's tenant, calls the job, and records
state, progress and result in the database so that a page can poll them.
"""

from __future__ import annotations

import contextlib
import json
import logging
import uuid
from dataclasses import dataclass, field

from flask import current_app
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import flag_modified

from app.extensions import db
from app.jobs import registry
from app.jobs.models import AnyRun, JobRun, JobState, PlatformJobRun
from tenants import current_tenant, tenant_scope
from tenants.context import Layer, Tenant
from tenants.models import utcnow

log = logging.getLogger(__name__)
QUEUE_NAME = "concert"


def redis_connection():
    from redis import Redis

    return Redis.from_url(current_app.config["REDIS_URL"])


def queue():
    from rq import Queue

    return Queue(QUEUE_NAME, connection=redis_connection())


def enqueue(name: str, *, params: dict | None = None, by=None, tenant=None) -> AnyRun:
    """Start job ``name``. Commits the session first: the job must see the
    caller's work. Runs in the active tenant unless ``tenant`` says otherwise;
    a run of no tenant, or started by the operator, is a platform run."""
    spec = registry.get(name)
    params = dict(params or {})
    json.dumps(params)  # plain values only: a job loads its objects itself
    db.session.commit()  # the caller's work, in the caller's tenant
    tenant = tenant if tenant is not None else current_tenant()
    scope = (
        tenant_scope(tenant.mechanism_id, tenant.body_id, layer=tenant.layer)
        if tenant
        else contextlib.nullcontext()
    )
    with scope:
        fields = dict(name=spec.name, params=params, created_by=by.id if by is not None else None)
        if _is_platform(tenant):
            run: AnyRun = PlatformJobRun(**fields)
        else:
            run = JobRun(mechanism_id=tenant.mechanism_id, body_id=tenant.body_id, **fields)
        db.session.add(run)
        db.session.commit()
        if current_app.config["REDIS_URL"]:
            from rq import Retry

            queue().enqueue(
                perform,
                str(run.id),
                tenant.mechanism_id if tenant else None,
                str(tenant.body_id) if tenant and tenant.body_id else None,
                tenant.layer.value if tenant else None,
                job_id=str(run.id),
                job_timeout=spec.timeout,
                retry=Retry(max=spec.retries, interval=current_app.config["JOB_RETRY_INTERVALS"])
                if spec.retries
                else None,
            )
        else:
            # Its own application context, hence its own database session:
            # the job's commit or rollback never touches the caller's objects.
            with current_app.app_context():
                _perform(run.id, live=False, inline=True)
            db.session.refresh(run)
    return run


def _is_platform(tenant: Tenant | None) -> bool:
    return tenant is None or tenant.layer is Layer.PLATFORM


@dataclass
class JobContext:
    """Handed to a job: its run id and a way to report progress."""

    run_id: uuid.UUID
    live: bool = True  # False when run inline: nobody polls, and SQLite would lock
    run: AnyRun | None = field(default=None, repr=False)  # as read when it started

    def progress(self, percent: int, message: str = "") -> None:
        if self.live and self.run is not None:
            _update(self.run, progress=max(0, min(100, int(percent))), message=message[:500])


def _update(run: AnyRun, **values) -> None:
    # A separate session: progress is visible at once, while the job's own
    # work stays in its transaction until it succeeds. The run is written
    # by its key, as read when the job started, without reading it again.
    with Session(db.engine) as session, session.begin():
        row = session.merge(run, load=False)
        for name, value in values.items():
            setattr(row, name, value)
            flag_modified(row, name)


def _read(run_id: uuid.UUID) -> AnyRun | None:
    """The run, in the active tenant (the one it was started from)."""
    tenant = current_tenant()
    with Session(db.engine, expire_on_commit=False) as session:
        if _is_platform(tenant):
            return session.get(PlatformJobRun, run_id)
        return session.get(JobRun, (tenant.mechanism_id, run_id))


def perform(
    run_id: str, mechanism_id: int | None, body_id: str | None, layer: str | None = None
) -> None:
    """The RQ entry point: plain ids in, the tenant (and the layer the job was
    started from) set here. It runs inside the application of ``flask worker``."""
    key = uuid.UUID(run_id)
    live = db.engine.dialect.name != "sqlite"
    try:
        if mechanism_id is None:
            return _perform(key, live=live)
        with tenant_scope(mechanism_id, body_id, layer=Layer(layer or Layer.JOB)):
            return _perform(key, live=live)
    finally:
        db.session.remove()


def _perform(run_id: uuid.UUID, live: bool, inline: bool = False) -> None:
    run = _read(run_id)
    if run is None:
        raise LookupError(f"job run {run_id} not found in this tenant")
    if run.state is JobState.FINISHED:
        return  # delivered twice: the work is done
    spec = registry.get(run.name)
    _update(run, state=JobState.RUNNING, started_at=utcnow(), attempts=run.attempts + 1, message="")
    try:
        result = spec.func(JobContext(run_id, live, run), **run.params)
        db.session.commit()
    except Exception as error:
        db.session.rollback()
        log.exception("job %s (%s) failed", run.name, run_id)
        retrying = _will_retry()
        _update(
            run,
            state=JobState.QUEUED if retrying else JobState.FAILED,
            message=_failure_message(error),
            finished_at=None if retrying else utcnow(),
        )
        if not inline:
            raise  # RQ records the failure and retries while it may
        return
    _update(run, state=JobState.FINISHED, progress=100, result=result, finished_at=utcnow())


def start_scheduled(name: str) -> None:
    """What the cron scheduler calls: record a run and queue it like any other."""
    enqueue(name)


def _will_retry() -> bool:
    try:
        from rq import get_current_job

        job = get_current_job()
    except Exception:
        return False
    return bool(job and job.retries_left)


def _failure_message(error: Exception) -> str:
    # Users see a sentence, never a traceback; the log has the details.
    if isinstance(error, JobFailed):
        return str(error)[:500]
    return ""  # the page shows a translated generic message


class JobFailed(Exception):
    """Raised by a job to fail with a message meant for its user."""
