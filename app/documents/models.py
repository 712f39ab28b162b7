"""The columns every versioned document shares; rules and charters each
have their own tables, in their own layer, built from these."""

from __future__ import annotations

import uuid
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.orm import Mapped, declared_attr, mapped_column

from app.documents.lifecycle import WORKING
from app.documents.vocabulary import VersionState, Visibility
from tenants.models import enum_column, utcnow
from tenants.sharing import Audience


class VersionColumns:
    """One numbered version of a document and where it is in its lifecycle."""

    number: Mapped[int]
    state: Mapped[VersionState] = mapped_column(
        enum_column(VersionState), default=VersionState.DRAFT
    )
    # adoption (a body's rules) or publication for adoption (a charter)
    adopted_on: Mapped[date | None]
    act_reference: Mapped[str] = mapped_column(sa.String(300), default="")
    visibility: Mapped[Visibility] = mapped_column(
        enum_column(Visibility), default=Visibility.INTERNAL
    )
    # Who may read the version, kept from its state and visibility on every
    # save (``audience_now``), so that the database can see it.
    audience: Mapped[Audience] = mapped_column(enum_column(Audience), default=Audience.BODY)
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    state_changed_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)

    @declared_attr
    def created_by(cls) -> Mapped[int | None]:
        return mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))

    @property
    def state_label(self) -> str:
        return self.state.label

    @property
    def is_working(self) -> bool:
        return self.state in WORKING

    @property
    def editable(self) -> bool:
        return self.state is VersionState.DRAFT

    @property
    def in_consultation(self) -> bool:
        return self.state is VersionState.CONSULTATION

    @property
    def is_public(self) -> bool:
        return self.state is VersionState.ADOPTED and self.visibility is Visibility.PUBLIC

    def audience_now(self) -> Audience:
        """Who may read the version now: each versioned model answers."""
        raise NotImplementedError(f"{type(self).__name__} must say who reads its versions")


@event.listens_for(VersionColumns, "before_insert", propagate=True)
@event.listens_for(VersionColumns, "before_update", propagate=True)
def _keep_audience(mapper, connection, version: VersionColumns) -> None:
    version.audience = version.audience_now()


class SectionColumns:
    """One section of a version, in Markdown. ``key`` stays the same from one
    version to the next, so that versions can be compared section by section."""

    key: Mapped[uuid.UUID] = mapped_column(sa.Uuid, default=uuid.uuid4)
    title: Mapped[str] = mapped_column(sa.String(300))
    body: Mapped[str] = mapped_column(sa.Text, default="")
    position: Mapped[int] = mapped_column(default=0)
    updated_at: Mapped[datetime] = mapped_column(
        sa.DateTime(timezone=True), default=utcnow, onupdate=utcnow
    )
    # Two people saving the same section: the later save is refused.
    revision: Mapped[int] = mapped_column(default=1)

    @declared_attr
    def updated_by(cls) -> Mapped[int | None]:
        return mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))

    def carried(self) -> dict:
        """What the same section starts with in the next version."""
        return {"key": self.key, "title": self.title, "body": self.body}

    @declared_attr.directive
    def __mapper_args__(cls):
        return {"version_id_col": cls.__table__.c.revision}
