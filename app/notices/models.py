"""In-app notices: what a person of a body should know about, on the body's
home page until they dismiss it."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db
from tenants.models import utcnow
from tenants.scoping import BodyOwned


class Notice(BodyOwned, db.Model):
    __tablename__ = "notices"
    __extra_table_args__ = (sa.Index("ix_notices_user", "mechanism_id", "body_id", "user_id"),)

    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"))
    # what happened, by name, with its values: the text is written in the
    # reader's language when it is shown (see app.notices.services.TEXTS)
    kind: Mapped[str] = mapped_column(sa.String(64))
    params: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    link: Mapped[str] = mapped_column(sa.String(500), default="")
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    dismissed_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
