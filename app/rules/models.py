"""A body's rulebook: versions, their sections in four areas, and the
members' comments during a consultation. Everything here is the body's own."""

from __future__ import annotations

import uuid
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.documents.models import SectionColumns, VersionColumns
from app.documents.vocabulary import AdoptionMethod
from app.extensions import db
from app.rules.vocabulary import RuleArea
from tenants.models import User, enum_column, utcnow
from tenants.scoping import BodyOwned, tenant_children, tenant_key, tenant_parent
from tenants.sharing import Audience, Sharing


class RuleVersion(VersionColumns, BodyOwned, db.Model):
    __tablename__ = "rule_versions"
    # The body's own until it publishes the version in force.
    __sharing__ = Sharing(audience="audience")
    __extra_table_args__ = (sa.UniqueConstraint("mechanism_id", "body_id", "number"),)

    adoption_method: Mapped[AdoptionMethod | None] = mapped_column(enum_column(AdoptionMethod))

    sections: Mapped[list[RuleSection]] = tenant_children(
        "RuleVersion", "RuleSection", "version_id", "RuleSection.position"
    )

    def audience_now(self) -> Audience:
        return Audience.PUBLIC if self.is_public else Audience.BODY


class RuleSection(SectionColumns, BodyOwned, db.Model):
    __tablename__ = "rule_sections"
    __sharing__ = Sharing(parent=("version_id", "rule_versions"))
    __extra_table_args__ = (tenant_key("version_id", "rule_versions"),)

    version_id: Mapped[uuid.UUID] = mapped_column(sa.Uuid, index=True)
    area: Mapped[RuleArea] = mapped_column(enum_column(RuleArea))
    # codes of the guided-drafting questions this section answers
    questions: Mapped[list[str]] = mapped_column(sa.JSON, default=list)

    version: Mapped[RuleVersion] = tenant_parent("RuleSection", "RuleVersion", "version_id")

    def carried(self) -> dict:
        return {**super().carried(), "area": self.area, "questions": list(self.questions)}


class RuleComment(BodyOwned, db.Model):
    """A member's comment on a section during a consultation, answered and
    resolved by the body's editors."""

    __tablename__ = "rule_comments"
    __extra_table_args__ = (tenant_key("section_id", "rule_sections"),)

    section_id: Mapped[uuid.UUID] = mapped_column(sa.Uuid, index=True)
    author_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    text: Mapped[str] = mapped_column(sa.Text)
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    answer: Mapped[str] = mapped_column(sa.Text, default="")
    answered_by: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    answered_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    resolved: Mapped[bool] = mapped_column(default=False)

    author: Mapped[User | None] = relationship(foreign_keys=[author_id], lazy="joined")
