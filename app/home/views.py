"""Where a user lands: the list of their spaces, a body's home and the
coordination layer's overview."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, abort, flash, g, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.capabilities import TaskContext, board_columns, gather_tasks
from app.extensions import db
from tenants import provisioning
from tenants.models import Body, Membership, Role
from tenants.resolver import requires_role
from tenants.spaces import current_spaces, invitations_for

spaces_bp = Blueprint("spaces", __name__)
body_bp = Blueprint("home", __name__)
coordination_bp = Blueprint("overview", __name__)


@spaces_bp.get("/")
@login_required
def index():
    spaces = current_spaces()
    if current_user.is_operator and not spaces:
        return redirect(url_for("operator.mechanisms"))
    return render_template(
        "home/index.html", spaces=spaces, invitations=invitations_for(current_user)
    )


@spaces_bp.post("/invitations/<membership_id>/<any(accept, decline):answer>")
@login_required
def answer_invitation(membership_id, answer):
    """Only the invited person's own open invitations are found: any other
    id is simply not there."""
    try:
        membership = provisioning.answer_invitation(
            current_user, membership_id, accept=answer == "accept"
        )
    except provisioning.ProvisioningError:
        abort(404)
    if answer == "accept":
        flash(_("You joined %(body)s.", body=membership.body.name), "success")
    else:
        flash(_("Invitation declined."), "info")
    return redirect(url_for("spaces.index"))


@body_bp.get("/", endpoint="home")
@requires_role(Role.EXTERNAL_EXPERT)
def body_home():
    """What needs this person in this body now: every capability's tasks
    that concern their role, then the body's facts."""
    role = g.membership.role
    tasks = gather_tasks("body", TaskContext(current_user, role))
    accounts = None
    if role.at_least(Role.MEMBER):
        accounts = db.session.scalar(
            sa.select(sa.func.count(Membership.id)).where(
                Membership.body_id == g.body.id, Membership.accepted_at.is_not(None)
            )
        )
    return render_template("home/body_home.html", tasks=tasks, accounts=accounts)


@coordination_bp.get("/", endpoint="home")
def coordination_home():
    """The coordinator's morning page: what waits for the coordinating body,
    then where each body stands, bodies needing attention first."""
    bodies = tuple(db.session.scalars(sa.select(Body).order_by(Body.name)).all())
    tasks = gather_tasks("coordination", TaskContext(current_user, bodies=bodies))
    columns = board_columns()
    # one query per column; each reads only what bodies share, or counts
    cells = {column.name: column.collect(bodies) for column in columns}
    alerts = {
        body.id: sum(1 for column in columns if cells[column.name][body.id].alert)
        for body in bodies
    }
    ordered = sorted(bodies, key=lambda body: (not body.active, -alerts[body.id], body.name))
    return render_template(
        "home/coordination_home.html",
        tasks=tasks,
        bodies=ordered,
        columns=columns,
        cells=cells,
        alerts=alerts,
    )
