"""A body's accounts and roles; its administrators invite, change roles,
remove accounts, resend invitations and reset lost second factors."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, flash, g, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.accounts import services
from app.accounts.forms import InviteForm, PolicyForm, RoleForm
from app.bounds import paginate
from app.extensions import db
from tenants.models import Membership, Role, User
from tenants.resolver import requires_role

bp = Blueprint("accounts", __name__, url_prefix="/accounts")


@bp.get("/")
def index():
    page = paginate(
        sa.select(Membership)
        .join(User, User.id == Membership.user_id)
        .where(Membership.body_id == g.body.id)
        .order_by(User.display_name, User.id)
    )
    return render_template(
        "accounts/index.html",
        page=page,
        policy_form=PolicyForm(requires_two_factor=g.body.requires_two_factor),
    )


@bp.route("/invite", methods=["GET", "POST"])
@requires_role(Role.ADMIN)
def invite():
    form = InviteForm()
    if form.validate_on_submit() and services.invite_from_form(
        form, mechanism_slug=g.mechanism.slug, body_slug=g.body.slug, by=current_user
    ):
        return redirect(url_for("body.accounts.index"))
    return render_template("accounts/invite.html", form=form), 422 if form.errors else 200


def _who(membership: Membership) -> str:
    """How a message names an account: its address until the invitation is
    accepted (the account itself is none of the body's business before)."""
    return membership.user.email if membership.pending else membership.user.display_name


def _act(done: str, action, *args) -> None:
    try:
        action(*args)
    except services.AccountActionError as error:
        db.session.rollback()
        flash(str(error), "error")
    else:
        flash(done, "success")


@bp.post("/<membership_id>/role")
@requires_role(Role.ADMIN)
def change_role(membership_id):
    membership = Membership.get_scoped_or_404(membership_id)
    form = RoleForm()
    if form.validate_on_submit():
        _act(
            _(
                "The role of %(name)s is now %(role)s.",
                name=_who(membership),
                role=Role(form.role.data).label,
            ),
            services.change_role,
            membership,
            Role(form.role.data),
            g.body,
        )
    else:
        flash(_("Choose one of the roles."), "error")
    return redirect(url_for("body.accounts.index"))


@bp.post("/<membership_id>/remove")
@requires_role(Role.ADMIN)
def remove(membership_id):
    membership = Membership.get_scoped_or_404(membership_id)
    _act(
        _("%(name)s no longer belongs to this body.", name=_who(membership)),
        services.remove,
        membership,
        g.body,
    )
    return redirect(url_for("body.accounts.index"))


@bp.post("/<membership_id>/two-factor-reset")
@requires_role(Role.ADMIN)
def reset_two_factor(membership_id):
    membership = Membership.get_scoped_or_404(membership_id)
    _act(
        _(
            "The two-factor sign-in of %(name)s is reset; they set it up again at their next"
            " sign-in.",
            name=_who(membership),
        ),
        services.reset_two_factor,
        membership,
    )
    return redirect(url_for("body.accounts.index"))


@bp.post("/<membership_id>/resend")
@requires_role(Role.ADMIN)
def resend(membership_id):
    membership = Membership.get_scoped_or_404(membership_id)
    _act(
        _(
            "A new invitation is on its way to %(email)s; the earlier link no longer works.",
            email=membership.user.email,
        ),
        services.resend_invitation,
        membership,
        current_user,
    )
    return redirect(url_for("body.accounts.index"))


@bp.post("/two-factor-policy")
@requires_role(Role.ADMIN)
def two_factor_policy():
    form = PolicyForm()
    if form.validate_on_submit():
        _act(
            _("The two-factor rule of the body is saved."),
            services.set_two_factor_policy,
            g.body,
            form.requires_two_factor.data,
        )
    return redirect(url_for("body.accounts.index"))
