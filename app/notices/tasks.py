"""Open notices are tasks of the body home: what happened that a person
should know about, until they dismiss it. Notices a live task already
stands for (a decision still waiting, say) are not listed twice."""

from __future__ import annotations

import sqlalchemy as sa

from app.capabilities import Task, TaskContext, covered_notices
from app.extensions import db
from app.notices import services
from app.notices.models import Notice


def open_for(context: TaskContext) -> list[Task]:
    stmt = Notice.scoped_select().where(
        Notice.user_id == context.user.id, Notice.dismissed_at.is_(None)
    )
    covered = covered_notices("body", context.role)
    if covered:
        stmt = stmt.where(Notice.kind.not_in(sorted(covered)))
    notices = db.session.scalars(stmt.order_by(Notice.created_at.desc()).limit(context.limit))
    return [
        Task(services.text(notice), notice.link, since=notice.created_at, notice=notice)
        for notice in notices
    ]


def unread(user_id: int) -> int:
    """How many notices this person has not dismissed in the active body:
    the count beside their name in the header."""
    return db.session.scalar(
        Notice.scoped_select()
        .with_only_columns(sa.func.count(Notice.id))
        .where(Notice.user_id == user_id, Notice.dismissed_at.is_(None))
    )
