"""What a body's accounts ask of its administrators (invitations nobody has
accepted yet), and the coordinator's board columns of accounts and
administrators: a body without an administrator cannot be reminded of
anything. One query each."""

from __future__ import annotations

import sqlalchemy as sa
from flask import g, url_for
from flask_babel import gettext as _
from flask_babel import ngettext

from app.capabilities import Cell, Task, TaskContext
from app.extensions import db
from tenants.context import aggregate_reads
from tenants.models import Membership, Role, User


def invitations_unanswered(context: TaskContext) -> list[Task]:
    rows = db.session.execute(
        sa.select(User.email, Membership.created_at)
        .join(Membership, Membership.user_id == User.id)
        .where(Membership.body_id == g.body.id, Membership.accepted_at.is_(None))
        .order_by(Membership.created_at.desc())
        .limit(context.limit)
    ).all()
    return [
        Task(
            _(
                "%(email)s has not accepted the invitation yet: resend it or remove it.",
                email=email,
            ),
            url_for("body.accounts.index"),
            since=invited,
        )
        for email, invited in rows
    ]


def _counts(bodies: tuple) -> dict:
    """Accepted accounts and administrators of every body: aggregates only,
    never who."""
    with aggregate_reads():
        rows = db.session.execute(
            sa.select(
                Membership.body_id,
                sa.func.count(Membership.id),
                sa.func.count(sa.case((Membership.role == Role.ADMIN, Membership.id))),
            )
            .where(Membership.accepted_at.is_not(None))
            .group_by(Membership.body_id)
        ).all()
    return {body_id: (accounts, admins) for body_id, accounts, admins in rows}


def accounts_column(bodies: tuple) -> dict:
    counts = _counts(bodies)
    cells = {}
    for body in bodies:
        accounts, admins = counts.get(body.id, (0, 0))
        counted = ngettext("%(num)d account", "%(num)d accounts", accounts)
        if admins:
            text = (
                counted + ", " + ngettext("%(num)d administrator", "%(num)d administrators", admins)
            )
            cells[body.id] = Cell(text)
        else:
            text = _(
                "%(accounts)s, no administrator: it cannot be reminded of anything",
                accounts=counted,
            )
            cells[body.id] = Cell(text, alert=body.active)
    return cells
