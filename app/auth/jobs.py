"""Mail about accounts, sent as jobs: the links are made here, from plain
ids, so that no secret ever sits in a queue or a job's parameters."""

from __future__ import annotations

import sqlalchemy as sa
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.auth import tokens
from app.auth.models import TokenPurpose
from app.extensions import db
from app.jobs.registry import job
from app.mail import deliver, external_url, language_for
from tenants import Body
from tenants.models import Mechanism, Membership, User

ABOUT_CONCERT = _l(
    "Concert is where the bodies of a National Preventive Mechanism (the bodies that monitor"
    " places of detention under the Optional Protocol to the Convention against Torture)"
    " keep their rules, their people and their joint documents, each in its own secure space."
)


def inviter_of(user) -> str:
    """How an invitation mail names the person who sent it."""
    return f"{user.display_name} ({user.email})" if user is not None else ""


@job("auth.send_invitation", timeout=60, retries=3)
def send_invitation(ctx, user_id: int, body_id: str, inviter: str = ""):
    """``inviter`` names who invites, as the mail says it (an account the
    tenant may not read: the platform operator's)."""
    user = db.session.get(User, user_id)
    body = Body.get_scoped(body_id)
    if user is None or body is None:
        return {"sent": False}
    mechanism = db.session.get(Mechanism, body.mechanism_id)
    membership = db.session.scalars(
        sa.select(Membership).where(Membership.body_id == body.id, Membership.user_id == user.id)
    ).one_or_none()
    if membership is None or not membership.pending:
        return {"sent": False}  # withdrawn or accepted meanwhile
    with force_locale(language_for(user)):
        who = inviter or _("The platform operator")
        invited = _(
            "%(who)s invites you to join %(body)s, of the mechanism %(mechanism)s,"
            " as %(role)s in Concert.",
            who=who,
            body=body.name,
            mechanism=mechanism.name,
            role=membership.role.label.lower(),
        )
        if user.password_hash is None:  # never signed in: the link sets the password
            link = external_url(
                "auth.accept_invitation", token=tokens.issue(user, TokenPurpose.INVITATION)
            )
            action = _(
                "Choose your password here (the link works for 7 days, once):\n%(link)s",
                link=link,
            )
        else:
            action = _(
                "Sign in with your usual account to accept or decline: the invitation waits"
                " on your list of spaces."
            )
        text = f"{invited}\n\n{action}\n\n{ABOUT_CONCERT}\n"
        deliver(
            user.email,
            _("Your access to %(body)s (%(mechanism)s)", body=body.name, mechanism=mechanism.name),
            text,
        )
    return {"sent": True}


@job("auth.send_password_reset", timeout=60, retries=3)
def send_password_reset(ctx, email: str):
    user = db.session.scalars(sa.select(User).where(User.email == email)).one_or_none()
    if user is None or not user.active:
        return {"sent": False}
    with force_locale(language_for(user)):
        link = external_url(
            "auth.reset_password", token=tokens.issue(user, TokenPurpose.PASSWORD_RESET)
        )
        deliver(
            user.email,
            _("Choose a new password"),
            _(
                "Someone asked to reset the password of your Concert account.\n\n"
                "Choose a new password here (the link works once, within an hour):\n%(link)s\n\n"
                "If it was not you, ignore this message: your password stays as it is.",
                link=link,
            ),
        )
    return {"sent": True}


@job("auth.send_email_change", timeout=60, retries=3)
def send_email_change(ctx, user_id: int, new_email: str):
    user = db.session.get(User, user_id)
    if user is None or not user.active:
        return {"sent": False}
    with force_locale(language_for(user)):
        link = external_url(
            "profile.confirm_email",
            token=tokens.issue(user, TokenPurpose.EMAIL_CHANGE, new_email=new_email),
        )
        deliver(
            new_email,
            _("Confirm your new e-mail address"),
            _(
                "Confirm that Concert may use this address for your account (the link works"
                " once, within 24 hours):\n%(link)s\n",
                link=link,
            ),
        )
        deliver(
            user.email,
            _("Your e-mail address is about to change"),
            _(
                "Someone signed in to your Concert account asked to use %(email)s instead of this"
                " address. If it was not you, tell your body's administrator.",
                email=new_email,
            ),
        )
    return {"sent": True}


@job("auth.send_notice", timeout=60, retries=3)
def send_notice(ctx, user_id: int, notice: str):
    """A short security notice to the account's own address."""
    user = db.session.get(User, user_id)
    if user is None:
        return {"sent": False}
    with force_locale(language_for(user)):
        subjects = {
            "two_factor_reset": _("Your two-factor sign-in was reset"),
            "password_changed": _("Your password was changed"),
            "two_factor_off": _("Your two-factor sign-in was turned off"),
            "two_factor_on": _("Your two-factor sign-in was set up"),
        }
        texts = {
            "two_factor_reset": _(
                "An administrator reset the two-factor sign-in of your"
                " Concert account. You will set it up again when you next"
                " sign in. If you did not ask for this, tell them at once."
            ),
            "password_changed": _(
                "The password of your Concert account was changed. If it was"
                " not you, reset it and tell your body's administrator."
            ),
            "two_factor_off": _(
                "Two-factor sign-in was turned off for your Concert account. If it was not"
                " you, reset your password and tell your body's administrator."
            ),
            "two_factor_on": _(
                "Two-factor sign-in was set up for your Concert account, and its other"
                " sessions were signed out. If it was not you, tell your body's administrator"
                " at once."
            ),
        }
        deliver(user.email, subjects[notice], texts[notice])
    return {"sent": True}
