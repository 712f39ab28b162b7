"""Where a user lands: the list of their spaces, a body's home and the
coordination layer's overview."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, abort, flash, g, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.extensions import db
from app.notices import services as notices
from tenants import provisioning
from tenants.context import aggregate_reads
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
    accounts = db.session.scalar(
        sa.select(sa.func.count(Membership.id)).where(
            Membership.body_id == g.body.id, Membership.accepted_at.is_not(None)
        )
    )
    return render_template(
        "home/body_home.html",
        accounts=accounts,
        notices=notices.open_notices(current_user.id),
        notice_text=notices.text,
    )


@coordination_bp.get("/", endpoint="home")
def coordination_home():
    bodies = db.session.scalars(sa.select(Body).order_by(Body.name)).all()
    # Aggregates only: how many accounts each body has, never who.
    with aggregate_reads():
        counts = dict(
            db.session.execute(
                sa.select(Membership.body_id, sa.func.count(Membership.id))
                .where(Membership.accepted_at.is_not(None))
                .group_by(Membership.body_id)
            ).all()
        )
    return render_template("home/coordination_home.html", bodies=bodies, counts=counts)
