"""Leaving notices for people, and reading them back in their language."""

from __future__ import annotations

from collections.abc import Callable

import sqlalchemy as sa

from app.extensions import db
from app.notices.models import Notice

# kind → a function of the notice's params giving its text; capabilities add
# their own with ``text_for``.
TEXTS: dict[str, Callable[[dict], str]] = {}
RECENT = 10


def text_for(kind: str):
    def register(func: Callable[[dict], str]) -> Callable[[dict], str]:
        TEXTS[kind] = func
        return func

    return register


def notify(user_ids, kind: str, params: dict, link: str = "") -> None:
    """Leave a notice for each of these people in the active body."""
    for user_id in user_ids:
        db.session.add(Notice(user_id=user_id, kind=kind, params=params, link=link))


def open_notices(user_id: int) -> list[Notice]:
    return db.session.scalars(
        Notice.scoped_select()
        .where(Notice.user_id == user_id, Notice.dismissed_at.is_(None))
        .order_by(Notice.created_at.desc())
        .limit(RECENT)
    ).all()


def text(notice: Notice) -> str:
    render = TEXTS.get(notice.kind)
    return render(notice.params) if render else ""


def dismiss(notice: Notice) -> None:
    notice.dismissed_at = sa.func.now()
    db.session.commit()


def settle(kind: str, user_id: int | None = None, matching: dict | None = None) -> None:
    """Dismiss the open notices of a kind in the active body (of one person,
    and with these params, if given): what they asked for is done or no
    longer stands."""
    stmt = Notice.scoped_select().where(Notice.kind == kind, Notice.dismissed_at.is_(None))
    if user_id is not None:
        stmt = stmt.where(Notice.user_id == user_id)
    for notice in db.session.scalars(stmt):
        if matching is None or all(notice.params.get(k) == v for k, v in matching.items()):
            notice.dismissed_at = sa.func.now()
