"""Signing in (with a second factor where enrolled), signing out, and the
links that set a password: an invitation, a reset."""

from __future__ import annotations

from urllib.parse import urlsplit

import sqlalchemy as sa
from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user

from app.audit.services import record
from app.auth import sessions, tokens, two_factor
from app.auth.forms import CodeForm, EmailForm, LoginForm, NewPasswordForm
from app.auth.models import TokenPurpose
from app.auth.passwords import hash_password, verify_password
from app.extensions import db, login_manager
from app.jobs.services import enqueue
from app.limits import PER_ACCOUNT, PER_ADDRESS, limiter, pending_account, submitted_account
from tenants import provisioning
from tenants.models import User, normalise_email, utcnow

bp = Blueprint("auth", __name__)

login_manager.login_view = "auth.login"
login_manager.login_message = None
login_manager.session_protection = None  # the server-side session decides
login_manager.user_loader(sessions.load_user)

PENDING_KEY = "pending_user_id"
NEXT_KEY = "after_sign_in"


def _safe_next(target: str | None) -> str | None:
    """Only same-site paths: never an open redirect."""
    if not target:
        return None
    try:
        parts = urlsplit(target)
    except ValueError:  # e.g. "//[x": not a usable address
        return None
    # Browsers read "/\\host" like "//host": refuse backslashes altogether.
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    if "\\" in target or any(ord(ch) < 32 for ch in target):
        return None
    return target


def _audit(action: str, user: User | None, summary: str = "") -> None:
    record(action, actor=user, mechanism_id=None, body_id=None, summary=summary)


def _signed_in(user: User, destination: str | None):
    login_user(user)
    _audit("auth.login", user)
    db.session.commit()
    return redirect(destination or url_for("spaces.index"))


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(PER_ADDRESS, methods=["POST"])
@limiter.limit(PER_ACCOUNT, methods=["POST"], key_func=submitted_account)
def login():
    if current_user.is_authenticated:
        return redirect(url_for("spaces.index"))
    form = LoginForm()
    if form.validate_on_submit():
        email = normalise_email(form.email.data)
        user = db.session.scalars(sa.select(User).where(User.email == email)).one_or_none()
        if verify_password(user, form.password.data) and user.active:
            destination = _safe_next(request.args.get("next"))
            sessions.start(user, second_factor_done=not user.has_two_factor)
            if user.has_two_factor:
                session[PENDING_KEY] = user.id
                session[NEXT_KEY] = destination
                db.session.commit()
                return redirect(url_for("auth.second_factor"))
            return _signed_in(user, destination)
        _audit("auth.login_failed", None, email[:200])
        db.session.commit()
        flash(_("The e-mail address or the password is not right."), "error")
    return render_template("auth/login.html", form=form), 422 if form.errors else 200


@bp.route("/login/code", methods=["GET", "POST"])
@limiter.limit(PER_ADDRESS, methods=["POST"])
@limiter.limit(PER_ACCOUNT, methods=["POST"], key_func=pending_account)
def second_factor():
    row = sessions.current_row()
    pending = session.get(PENDING_KEY)
    if not sessions.is_live(row) or row.second_factor_done or row.user_id != pending:
        return redirect(url_for("auth.login"))
    user = db.session.get(User, row.user_id)
    form = CodeForm()
    if form.validate_on_submit():
        code = form.code.data
        if two_factor.verify(user, code):
            used = "totp"
        elif two_factor.use_recovery_code(user, code):
            used = "recovery code"
            left = two_factor.remaining_recovery_codes(user)
            _audit("auth.recovery_code_used", user, f"{left} left")
        else:
            used = None
        if used:
            # A new session identifier once fully signed in; the half-way one ends.
            destination = session.get(NEXT_KEY)
            sessions.end_current()
            sessions.start(user, second_factor_done=True)
            if used == "recovery code":
                flash(
                    _(
                        "You signed in with a recovery code; %(count)d remain. Make new ones"
                        " from your account when few are left.",
                        count=left,
                    ),
                    "info",
                )
            return _signed_in(user, destination)
        _audit("auth.two_factor_failed", user)
        db.session.commit()
        form.code.errors.append(_("This code is not right, or was already used."))
    return render_template("auth/second_factor.html", form=form), 422 if form.errors else 200


@bp.post("/logout")
def logout():
    if current_user.is_authenticated:
        _audit("auth.logout", current_user)
    sessions.end_current()
    db.session.commit()
    logout_user()
    session.clear()
    flash(_("You are signed out."), "info")
    return redirect(url_for("auth.login"))


@bp.route("/reset-password", methods=["GET", "POST"])
@limiter.limit(PER_ADDRESS, methods=["POST"])
@limiter.limit(PER_ACCOUNT, methods=["POST"], key_func=submitted_account)
def request_reset():
    form = EmailForm()
    if form.validate_on_submit():
        # The same answer whether or not the address has an account; the
        # job finds out, and writes only to an account that exists.
        enqueue("auth.send_password_reset", params={"email": normalise_email(form.email.data)})
        flash(
            _(
                "If an account uses this address, a link to choose a new password is on its"
                " way. It works once, within an hour."
            ),
            "info",
        )
        return redirect(url_for("auth.login"))
    return render_template("auth/request_reset.html", form=form), 422 if form.errors else 200


@bp.route("/invitation/<token>", methods=["GET", "POST"])
@limiter.limit(PER_ADDRESS, methods=["POST"])
def accept_invitation(token: str):
    return _set_password(token, TokenPurpose.INVITATION)


@bp.route("/reset-password/<token>", methods=["GET", "POST"])
@limiter.limit(PER_ADDRESS, methods=["POST"])
def reset_password(token: str):
    return _set_password(token, TokenPurpose.PASSWORD_RESET)


def _set_password(token: str, purpose: TokenPurpose):
    row = tokens.find(token, purpose)
    user = db.session.get(User, row.user_id) if row else None
    if user is None or not user.active:
        return render_template("auth/link_invalid.html"), 400
    form = NewPasswordForm(account=user)
    if form.validate_on_submit():
        tokens.consume(row)
        tokens.revoke(user)  # no other link may undo this password
        user.password_hash = hash_password(form.password.data)
        user.password_changed_at = utcnow()
        ended = sessions.end_all(user)
        _audit("auth.password_set", user, f"{purpose.value}; {ended} sessions ended")
        if user.has_two_factor:
            # A new password never stands in for the second factor.
            db.session.commit()
            flash(_("Your password is changed. Sign in with it and your code."), "success")
            return redirect(url_for("auth.login"))
        if purpose is TokenPurpose.INVITATION:
            provisioning.accept_all_invitations(user)
        sessions.start(user, second_factor_done=True)
        if purpose is TokenPurpose.INVITATION:
            flash(_("Your password is set. Welcome to Concert."), "success")
        else:
            flash(_("Your password is changed."), "success")
        return _signed_in(user, None)
    template = "auth/set_password.html"
    return render_template(template, form=form, user=user, purpose=purpose.value), (
        422 if form.errors else 200
    )
