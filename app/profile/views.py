"""One's own account: name and language, password, e-mail address,
two-factor sign-in and signed-in sessions."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.audit.services import record
from app.auth import sessions, tokens, two_factor
from app.auth.models import TokenPurpose
from app.auth.passwords import hash_password, verify_password
from app.extensions import db
from app.jobs.services import enqueue
from app.limits import password_checks
from app.profile.forms import (
    ChangeEmailForm,
    ChangePasswordForm,
    ConfirmCodeForm,
    PasswordCheckForm,
    ProfileForm,
)
from tenants.models import User, utcnow
from tenants.provisioning import ProvisioningError, check_email
from tenants.spaces import current_spaces

bp = Blueprint("profile", __name__, url_prefix="/account")

# Pages a signed-in user may open before enrolling a required second factor.
ENROLMENT_EXEMPT = {"profile.two_factor", "auth.logout", "static"}


@bp.before_request
@login_required
def _signed_in_only():
    return None


def _audit(action: str, summary: str = "") -> None:
    record(action, obj=current_user, mechanism_id=None, body_id=None, summary=summary)


def _status(form) -> int:
    return 422 if form.errors else 200


@bp.route("", methods=["GET", "POST"])
def profile():
    form = ProfileForm(obj=current_user)
    if request.method == "GET":
        form.language.data = current_user.language or ""
    if form.validate_on_submit():
        current_user.display_name = form.display_name.data.strip()
        current_user.language = form.language.data or None
        _audit("account.update", f"language={current_user.language or '-'}")
        db.session.commit()
        flash(_("Your account is saved."), "success")
        return redirect(url_for("profile.profile"))
    return render_template("profile/profile.html", form=form), _status(form)


@bp.route("/password", methods=["GET", "POST"])
@password_checks
def change_password():
    form = ChangePasswordForm(account=current_user)
    if form.validate_on_submit():
        if not verify_password(current_user, form.current.data):
            form.current.errors.append(_("This is not your current password."))
        else:
            current_user.password_hash = hash_password(form.password.data)
            current_user.password_changed_at = utcnow()
            tokens.revoke(current_user)  # a reset asked for earlier must not undo it
            ended = sessions.end_all(current_user, keep=sessions.current_row())
            _audit("account.password_change", f"{ended} other sessions ended")
            db.session.commit()
            enqueue(
                "auth.send_notice",
                params={"user_id": current_user.id, "notice": "password_changed"},
            )
            flash(_("Your password is changed; your other sessions are signed out."), "success")
            return redirect(url_for("profile.profile"))
    return render_template("profile/password.html", form=form), _status(form)


@bp.route("/email", methods=["GET", "POST"])
@password_checks
def change_email():
    form = ChangeEmailForm()
    if form.validate_on_submit():
        try:
            new_email = check_email(form.email.data)
        except ProvisioningError as error:
            form.email.errors.append(str(error))
            new_email = None
        if new_email == current_user.email:
            form.email.errors.append(_("That is already your address."))
        elif new_email and not verify_password(current_user, form.current.data):
            form.current.errors.append(_("This is not your current password."))
        elif new_email:
            _audit("account.email_change_requested", new_email)
            db.session.commit()
            # Whether the address is taken is checked on confirmation, so that
            # this form does not tell which addresses have accounts.
            enqueue(
                "auth.send_email_change",
                params={"user_id": current_user.id, "new_email": new_email},
            )
            flash(
                _(
                    "We sent a link to %(email)s: your address changes when you open it.",
                    email=new_email,
                ),
                "info",
            )
            return redirect(url_for("profile.profile"))
    return render_template("profile/email.html", form=form), _status(form)


@bp.get("/email/<token>")
def confirm_email(token: str):
    row = tokens.find(token, TokenPurpose.EMAIL_CHANGE)
    if row is None or row.user_id != current_user.id:
        return render_template("auth/link_invalid.html"), 400
    taken = db.session.scalar(sa.select(User.id).where(User.email == row.new_email))
    tokens.consume(row)
    if taken is not None:
        db.session.commit()
        flash(_("Another account already uses this address; yours is unchanged."), "error")
        return redirect(url_for("profile.profile"))
    old = current_user.email
    current_user.email = row.new_email
    tokens.revoke(current_user)  # links mailed to the old address stop working
    _audit("account.email_change", f"{old} → {row.new_email}")
    db.session.commit()
    flash(_("Your e-mail address is now %(email)s.", email=row.new_email), "success")
    return redirect(url_for("profile.profile"))


@bp.get("/sessions")
def sessions_list():
    current = sessions.current_row()
    return render_template(
        "profile/sessions.html", rows=sessions.live_sessions(current_user), current=current
    )


@bp.post("/sessions/others")
def sign_out_others():
    ended = sessions.end_all(current_user, keep=sessions.current_row())
    _audit("profile.sign_out_others", f"{ended} sessions ended")
    db.session.commit()
    flash(_("Your other sessions are signed out."), "success")
    return redirect(url_for("profile.sessions_list"))


@bp.route("/two-factor", methods=["GET", "POST"], endpoint="two_factor")
@password_checks
def two_factor_page():
    required = two_factor.is_required(current_user, current_spaces())
    if current_user.has_two_factor:
        return render_template(
            "profile/two_factor.html",
            required=required,
            remaining=two_factor.remaining_recovery_codes(current_user),
            check_form=PasswordCheckForm(),
        )
    # The key being set up is derived on the server from this session: it is
    # never stored, nor sent anywhere but to this page.
    secret = two_factor.enrolment_secret(current_user, sessions.current_row())
    form = ConfirmCodeForm()
    if form.validate_on_submit():
        step = two_factor.code_is_valid(secret, form.code.data)
        if not verify_password(current_user, form.current.data):
            form.current.errors.append(_("This is not your current password."))
        elif step is None:
            form.code.errors.append(_("This code is not right; check the time on your device."))
        else:
            codes = two_factor.enrol(current_user, secret, step)
            ended = sessions.end_all(current_user, keep=sessions.current_row())
            _audit("account.two_factor_enrolled", f"{ended} other sessions ended")
            db.session.commit()
            enqueue(
                "auth.send_notice", params={"user_id": current_user.id, "notice": "two_factor_on"}
            )
            return render_template("profile/recovery_codes.html", codes=codes)
    uri = two_factor.provisioning_uri(secret, current_user.email)
    return render_template(
        "profile/enrol.html",
        form=form,
        secret=secret,
        qr=two_factor.qr_code_data_uri(uri),
        required=required,
    ), _status(form)


@bp.post("/two-factor/recovery-codes")
@password_checks
def new_recovery_codes():
    form = PasswordCheckForm()
    if not (
        form.validate_on_submit()
        and current_user.has_two_factor
        and verify_password(current_user, form.current.data)
    ):
        flash(_("This is not your current password."), "error")
        return redirect(url_for("profile.two_factor"))
    codes = two_factor.issue_recovery_codes(current_user)
    _audit("account.recovery_codes_renewed")
    db.session.commit()
    return render_template("profile/recovery_codes.html", codes=codes)


@bp.post("/two-factor/off")
@password_checks
def turn_off_two_factor():
    form = PasswordCheckForm()
    if two_factor.is_required(current_user, current_spaces()):
        flash(_("Your role requires two-factor sign-in: it cannot be turned off."), "error")
    elif not (form.validate_on_submit() and verify_password(current_user, form.current.data)):
        flash(_("This is not your current password."), "error")
    else:
        two_factor.reset(current_user)
        _audit("account.two_factor_removed")
        db.session.commit()
        enqueue("auth.send_notice", params={"user_id": current_user.id, "notice": "two_factor_off"})
        flash(_("Two-factor sign-in is off."), "info")
    return redirect(url_for("profile.two_factor"))


def require_enrolment():
    """Before every request: an account that must use a second factor and
    has none is sent to set it up, and can do nothing else meanwhile."""
    if not current_user.is_authenticated or current_user.has_two_factor:
        return None
    if request.endpoint in ENROLMENT_EXEMPT or request.endpoint is None:
        return None
    if not two_factor.is_required(current_user, current_spaces()):
        return None
    flash(_("Your account must use two-factor sign-in. Set it up to continue."), "info")
    return redirect(url_for("profile.two_factor"))
