"""Signing in and out, setting a password from an invitation, one's account."""

from __future__ import annotations

from urllib.parse import urlsplit

import sqlalchemy as sa
from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from app.audit.services import record
from app.auth.forms import AccountForm, LoginForm, SetPasswordForm
from app.auth.passwords import hash_password, verify_password
from app.auth.tokens import user_for_set_password_token
from app.extensions import db, login_manager
from tenants.models import User, normalise_email

bp = Blueprint("auth", __name__)

login_manager.login_view = "auth.login"
login_manager.login_message = None
login_manager.session_protection = "strong"


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    """The signed-in account, on every request: a disabled one is signed out."""
    try:
        user = db.session.get(User, int(user_id))
    except (TypeError, ValueError):
        return None
    return user if user is not None and user.active else None


def _safe_next(target: str | None) -> str | None:
    """Only same-site paths: never an open redirect."""
    if not target:
        return None
    parts = urlsplit(target)
    # Browsers read "/\\host" like "//host": refuse backslashes altogether.
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    if "\\" in target or any(ord(ch) < 32 for ch in target):
        return None
    return target


@bp.route("/login", methods=["GET", "POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for("spaces.index"))
    form = LoginForm()
    if form.validate_on_submit():
        email = normalise_email(form.email.data)
        user = db.session.scalars(sa.select(User).where(User.email == email)).one_or_none()
        if verify_password(user, form.password.data) and user.active:
            session.clear()  # nothing from before sign-in carries over
            login_user(user)
            record("auth.login", actor=user, mechanism_id=None, body_id=None)
            db.session.commit()
            return redirect(_safe_next(request.args.get("next")) or url_for("spaces.index"))
        record(
            "auth.login_failed", actor=None, mechanism_id=None, body_id=None, summary=email[:200]
        )
        db.session.commit()
        flash(_("The e-mail address or the password is not right."), "error")
        return render_template("auth/login.html", form=form), 200
    return render_template("auth/login.html", form=form)


@bp.post("/logout")
def logout():
    if current_user.is_authenticated:
        record("auth.logout", actor=current_user, mechanism_id=None, body_id=None)
        db.session.commit()
        logout_user()
    session.clear()
    flash(_("You are signed out."), "info")
    return redirect(url_for("auth.login"))


@bp.route("/set-password/<token>", methods=["GET", "POST"])
def set_password(token: str):
    user = user_for_set_password_token(token)
    if user is None:
        return render_template("auth/link_invalid.html"), 400
    form = SetPasswordForm()
    if form.validate_on_submit():
        user.password_hash = hash_password(form.password.data)
        record("auth.password_set", actor=user, mechanism_id=None, body_id=None)
        db.session.commit()
        session.clear()
        login_user(user)
        flash(_("Your password is set. Welcome to Concert."), "success")
        return redirect(url_for("spaces.index"))
    status = 422 if form.errors else 200
    return render_template("auth/set_password.html", form=form, user=user), status


@bp.route("/account", methods=["GET", "POST"])
@login_required
def account():
    form = AccountForm(obj=current_user)
    if request.method == "GET":
        form.language.data = current_user.language or ""
    if form.validate_on_submit():
        current_user.display_name = form.display_name.data.strip()
        current_user.language = form.language.data or None
        record(
            "account.update",
            obj=current_user,
            mechanism_id=None,
            body_id=None,
            summary=f"language={current_user.language or '-'}",
        )
        db.session.commit()
        flash(_("Your account is saved."), "success")
        return redirect(url_for("auth.account"))
    return render_template("auth/account.html", form=form), 422 if form.errors else 200
