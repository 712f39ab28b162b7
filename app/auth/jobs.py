"""Mail about accounts, sent as jobs: the links are made here, from plain
ids, so that no secret ever sits in a queue or a job's parameters."""

from __future__ import annotations

import sqlalchemy as sa
from flask_babel import force_locale
from flask_babel import gettext as _

from app.auth import tokens
from app.auth.models import TokenPurpose
from app.extensions import db
from app.jobs.registry import job
from app.mail import deliver, external_url, language_for
from tenants import Body
from tenants.models import User


@job("auth.send_invitation", timeout=60, retries=3)
def send_invitation(ctx, user_id: int, body_id: str):
    user = db.session.get(User, user_id)
    body = Body.get_scoped(body_id)
    if user is None or body is None:
        return {"sent": False}
    with force_locale(language_for(user)):
        if user.password_hash is None:  # never signed in: the link sets the password
            link = external_url(
                "auth.accept_invitation", token=tokens.issue(user, TokenPurpose.INVITATION)
            )
            text = _(
                "You have been invited to %(body)s in Concert.\n\n"
                "Choose your password here (the link works for 7 days, once):\n%(link)s\n",
                body=body.name,
                link=link,
            )
        else:
            text = _(
                "You are invited to %(body)s in Concert. Sign in with your usual account to"
                " accept or decline: the invitation waits on your list of spaces.",
                body=body.name,
            )
        deliver(user.email, _("Your access to %(body)s", body=body.name), text)
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
