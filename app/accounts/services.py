"""What a body's administrators do with its accounts. Each action is
audited; a body always keeps at least one administrator."""

from __future__ import annotations

import sqlalchemy as sa
from flask import flash
from flask_babel import gettext as _

from app.audit.services import record
from app.auth import sessions, tokens, two_factor
from app.auth.jobs import inviter_of
from app.auth.models import TokenPurpose
from app.extensions import db
from app.jobs.services import enqueue
from tenants import provisioning
from tenants.models import Body, Membership, Role, User
from tenants.spaces import spaces_for


class AccountActionError(ValueError):
    """An action refused with a message for people; nothing was written."""


def accounts_of(body_id, role: Role | None = None) -> list[User]:
    """The active accounts of a body (of one role, if given), by name."""
    stmt = (
        sa.select(User)
        .join(Membership, Membership.user_id == User.id)
        .where(
            Membership.body_id == body_id,
            Membership.accepted_at.is_not(None),
            User.active.is_(True),
        )
        .order_by(User.display_name, User.id)
    )
    if role is not None:
        stmt = stmt.where(Membership.role == role)
    return db.session.scalars(stmt).all()


def _admins(body: Body) -> int:
    return db.session.scalar(
        sa.select(sa.func.count(Membership.id)).where(
            Membership.body_id == body.id,
            Membership.role == Role.ADMIN,
            Membership.accepted_at.is_not(None),
        )
    )


def _keep_an_admin(membership: Membership, body: Body) -> None:
    if membership.role is not Role.ADMIN or membership.pending:
        return
    # Two administrators demoting each other at once: the lock on the body's
    # row makes the second wait for the first to commit, then count again.
    db.session.execute(sa.select(Body.id).where(Body.id == body.id).with_for_update())
    if _admins(body) <= 1:
        raise AccountActionError(_("A body keeps at least one administrator."))


def change_role(membership: Membership, role: Role, body: Body) -> None:
    if role is membership.role:
        return
    if role is not Role.ADMIN:
        _keep_an_admin(membership, body)
    before = membership.role
    membership.role = role
    record(
        "membership.role_change",
        obj=membership,
        summary=f"{membership.user.email}: {before.value} → {role.value}",
    )
    db.session.commit()


def remove(membership: Membership, body: Body) -> None:
    _keep_an_admin(membership, body)
    user: User = membership.user
    record("membership.remove", obj=membership, summary=user.email)
    db.session.delete(membership)
    db.session.flush()
    if user.password_hash is None and not spaces_for(user):
        tokens.revoke(user, TokenPurpose.INVITATION)  # invited, never came, now removed
    db.session.commit()


def reset_two_factor(membership: Membership) -> None:
    """A lost device: the account sets up its second factor again at its next
    sign-in. Its sessions end, and it is told by mail.

    Only for an account that works for this body alone: an account is global,
    and one body must not weaken its sign-in for the others."""
    user: User = membership.user
    if membership.pending or not user.has_two_factor:
        # An invitation not yet accepted gives no say over the account.
        raise AccountActionError(_("This account has no two-factor sign-in to reset."))
    if any(space.body.id != membership.body_id for space in spaces_for(user)):
        raise AccountActionError(
            _(
                "This account also works for other bodies: ask the platform operator to reset"
                " its two-factor sign-in."
            )
        )
    two_factor.reset(user)
    ended = sessions.end_all(user)
    record("account.two_factor_reset", obj=user, summary=f"{user.email}; {ended} sessions ended")
    db.session.commit()
    enqueue("auth.send_notice", params={"user_id": user.id, "notice": "two_factor_reset"})


def resend_invitation(membership: Membership, by: User, *, tenant=None) -> None:
    """Mail an open invitation again (a new link for a new account); the job
    runs in ``tenant`` (the active one unless given)."""
    user: User = membership.user
    if not membership.pending:
        raise AccountActionError(_("This invitation was accepted: there is nothing to resend."))
    record("membership.invitation_resent", obj=membership, summary=user.email)
    db.session.commit()
    enqueue(
        "auth.send_invitation",
        params={
            "user_id": user.id,
            "body_id": str(membership.body_id),
            "inviter": inviter_of(by),
        },
        by=by,
        tenant=tenant,
    )


def set_two_factor_policy(body: Body, required: bool) -> None:
    body.requires_two_factor = required
    record("body.two_factor_policy", obj=body, summary="required" if required else "optional")
    db.session.commit()


def invite_from_form(form, *, mechanism_slug: str, body_slug: str, by: User) -> bool:
    """Invite the person a form names (address, name, role) into a body; on
    refusal the reason goes beside the address field. Used by a body's
    administrators and by the platform operator alike."""
    try:
        provisioning.invite_user(
            mechanism_slug=mechanism_slug,
            body_slug=body_slug,
            email=form.email.data,
            role=form.role.data,
            display_name=form.display_name.data or "",
            by=by,
        )
    except provisioning.ProvisioningError as error:
        form.email.errors.append(str(error))
        return False
    flash(_("Invitation sent to %(email)s.", email=form.email.data), "success")
    return True
