"""Joint charters: the coordinator's versions and sections (the mechanism's
rows), and what each body does with them (the body's rows: its comments,
its adoption or exception, its people's acknowledgements)."""

from __future__ import annotations

import uuid
from datetime import date, datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.documents.models import SectionColumns, VersionColumns
from app.documents.vocabulary import VersionState
from app.extensions import db
from app.vocabulary import Labelled, register_labels
from tenants.models import User, enum_column, utcnow
from tenants.scoping import (
    BodyOwned,
    MechanismOwned,
    tenant_children,
    tenant_key,
    tenant_parent,
)
from tenants.sharing import Audience, Sharing


class CharterKind(Labelled):
    ETHICS_CODE = "ethics_code"
    COORDINATION_AGREEMENT = "coordination_agreement"
    WORKING_METHODS = "working_methods"


class Outcome(Labelled):
    ADOPTED = "adopted"
    EXCEPTION = "exception"


register_labels(
    [
        (CharterKind.ETHICS_CODE, _l("Ethics code")),
        (CharterKind.COORDINATION_AGREEMENT, _l("Coordination agreement")),
        (CharterKind.WORKING_METHODS, _l("Joint working methods")),
        (Outcome.ADOPTED, _l("Adopted")),
        (Outcome.EXCEPTION, _l("Exception")),
    ]
)


class Charter(MechanismOwned, db.Model):
    __tablename__ = "charters"
    __sharing__ = Sharing(owner=None, audience=Audience.PUBLIC)
    __table_args__ = (sa.UniqueConstraint("mechanism_id", "kind"),)

    kind: Mapped[CharterKind] = mapped_column(enum_column(CharterKind))
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)

    versions: Mapped[list[CharterVersion]] = tenant_children(
        "Charter", "CharterVersion", "charter_id", "CharterVersion.number", lazy="select"
    )


class CharterVersion(VersionColumns, MechanismOwned, db.Model):
    __tablename__ = "charter_versions"
    # The coordinator's drafts are its own; from consultation on, every body
    # reads a version, and the public what was published as public.
    __sharing__ = Sharing(owner=None, audience="audience")
    __table_args__ = (
        tenant_key("charter_id", "charters"),
        sa.UniqueConstraint("mechanism_id", "charter_id", "number"),
    )

    charter_id: Mapped[uuid.UUID] = mapped_column(sa.Uuid)

    @property
    def state_label(self) -> str:
        # adopted by the coordinator is published for the bodies to adopt
        return str(_l("Published")) if self.state is VersionState.ADOPTED else self.state.label

    def audience_now(self) -> Audience:
        if self.is_public:
            return Audience.PUBLIC
        if self.state is VersionState.DRAFT:
            return Audience.COORDINATION
        return Audience.MECHANISM

    charter: Mapped[Charter] = tenant_parent("CharterVersion", "Charter", "charter_id")
    sections: Mapped[list[CharterSection]] = tenant_children(
        "CharterVersion", "CharterSection", "version_id", "CharterSection.position"
    )


class CharterSection(SectionColumns, MechanismOwned, db.Model):
    __tablename__ = "charter_sections"
    __sharing__ = Sharing(owner=None, parent=("version_id", "charter_versions"))
    __table_args__ = (tenant_key("version_id", "charter_versions"),)

    version_id: Mapped[uuid.UUID] = mapped_column(sa.Uuid, index=True)

    version: Mapped[CharterVersion] = tenant_parent(
        "CharterSection", "CharterVersion", "version_id"
    )


class CharterComment(BodyOwned, db.Model):
    """A body's comment on a section of a charter in consultation: the body's
    row, seen by the body and by the coordinator, never by other bodies."""

    __tablename__ = "charter_comments"
    # Commenting in a consultation is addressing the coordinator.
    __sharing__ = Sharing(audience=Audience.COORDINATION)
    __extra_table_args__ = (tenant_key("section_id", "charter_sections"),)

    section_id: Mapped[uuid.UUID] = mapped_column(sa.Uuid, index=True)
    author_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    text: Mapped[str] = mapped_column(sa.Text)
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)

    author: Mapped[User | None] = relationship(lazy="joined")


class CharterAnswer(MechanismOwned, db.Model):
    """The coordinator's answer to a body's comment: the coordinator's row,
    since the coordination layer never writes a body's."""

    __tablename__ = "charter_answers"
    # Read by the coordinator and by the body whose comment it answers.
    __sharing__ = Sharing(owner=None, parent=("comment_id", "charter_comments"))
    __table_args__ = (
        tenant_key("comment_id", "charter_comments"),
        sa.UniqueConstraint("mechanism_id", "comment_id"),
    )

    comment_id: Mapped[uuid.UUID] = mapped_column(sa.Uuid)
    text: Mapped[str] = mapped_column(sa.Text, default="")
    resolved: Mapped[bool] = mapped_column(default=False)
    answered_by: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    answered_at: Mapped[datetime] = mapped_column(
        sa.DateTime(timezone=True), default=utcnow, onupdate=utcnow
    )


class CharterAdoption(BodyOwned, db.Model):
    """That a body adopted a version of a charter, or recorded an exception:
    recording it is what shares it with the coordinator."""

    __tablename__ = "charter_adoptions"
    __sharing__ = Sharing(audience=Audience.COORDINATION)
    __extra_table_args__ = (
        tenant_key("version_id", "charter_versions", ondelete="RESTRICT"),
        sa.UniqueConstraint("mechanism_id", "body_id", "version_id"),
    )

    version_id: Mapped[uuid.UUID] = mapped_column(sa.Uuid)
    outcome: Mapped[Outcome] = mapped_column(enum_column(Outcome))
    decided_on: Mapped[date]
    reference: Mapped[str] = mapped_column(sa.String(300), default="")
    reason: Mapped[str] = mapped_column(sa.Text, default="")
    recorded_by: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    recorded_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)

    version: Mapped[CharterVersion] = tenant_parent(
        "CharterAdoption", "CharterVersion", "version_id"
    )


class CharterAcknowledgement(BodyOwned, db.Model):
    """That a person with an account in the body has read a version of the
    ethics code the body adopted."""

    __tablename__ = "charter_acknowledgements"
    __extra_table_args__ = (
        tenant_key("version_id", "charter_versions", ondelete="RESTRICT"),
        sa.UniqueConstraint("mechanism_id", "body_id", "version_id", "user_id"),
    )

    version_id: Mapped[uuid.UUID] = mapped_column(sa.Uuid)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"))
    acknowledged_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
