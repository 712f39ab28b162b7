"""Background job runs and the files they produce."""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db
from tenants import current_tenant
from tenants.models import enum_column, utcnow
from tenants.scoping import BodyOwned, MechanismOwned, tenant_key
from tenants.sharing import Sharing


class JobState(StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    FINISHED = "finished"
    FAILED = "failed"

    @property
    def done(self) -> bool:
        return self in (JobState.FINISHED, JobState.FAILED)


class RunRecord:
    """State, progress and result of one job, whichever way it runs."""

    name: Mapped[str] = mapped_column(sa.String(100))
    params: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    state: Mapped[JobState] = mapped_column(enum_column(JobState), default=JobState.QUEUED)
    progress: Mapped[int] = mapped_column(default=0)
    message: Mapped[str] = mapped_column(sa.String(500), default="")
    result: Mapped[dict | None] = mapped_column(sa.JSON)
    attempts: Mapped[int] = mapped_column(default=0)
    created_by: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    started_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    finished_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))


class JobRun(MechanismOwned, RunRecord, db.Model):
    """A run started for a tenant: by a body, the coordination layer or a
    mechanism-wide job (no body)."""

    __tablename__ = "job_runs"
    __sharing__ = Sharing()
    __table_args__ = (sa.Index("ix_job_runs_tenant", "mechanism_id", "body_id", "created_at"),)

    body_id: Mapped[uuid.UUID | None] = mapped_column(sa.Uuid)

    @classmethod
    def scoped_select(cls) -> sa.Select:
        """The runs started in the active tenant: a body's own, or (no body)
        the coordination layer's and the mechanism-wide jobs'."""
        return super().scoped_select().where(cls.body_id == current_tenant().body_id)


class PlatformJobRun(RunRecord, db.Model):
    """A run of no tenant's own: mail before a tenant is known, scheduled
    platform-wide jobs, work the operator starts."""

    __tablename__ = "platform_job_runs"
    __platform_only__ = True  # no tenant's layer reads it
    __table_args__ = (sa.Index("ix_platform_job_runs_created_at", "created_at"),)

    id: Mapped[uuid.UUID] = mapped_column(sa.Uuid, primary_key=True, default=uuid.uuid4)


AnyRun = JobRun | PlatformJobRun


class JobOutput(BodyOwned, db.Model):
    """A file a job produced for a body (an export), downloaded from the job's page."""

    __tablename__ = "job_outputs"
    __extra_table_args__ = (
        sa.UniqueConstraint("mechanism_id", "job_run_id"),
        tenant_key("job_run_id", "job_runs"),
    )

    job_run_id: Mapped[uuid.UUID] = mapped_column(sa.Uuid)
    filename: Mapped[str] = mapped_column(sa.String(200))
    content_type: Mapped[str] = mapped_column(sa.String(100))
    data: Mapped[bytes] = mapped_column(sa.LargeBinary)
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
