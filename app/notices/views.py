"""Dismissing a notice (they are listed on the body's home page)."""

from __future__ import annotations

from flask import Blueprint, abort, redirect, url_for
from flask_login import current_user

from app.notices import services
from tenants.models import Role
from tenants.resolver import requires_role

bp = Blueprint("notices", __name__, url_prefix="/notices")


@bp.post("/<notice_id>/dismiss")
@requires_role(Role.EXTERNAL_EXPERT)
def dismiss(notice_id):
    notice = services.own_notice_or_none(notice_id, current_user.id)
    if notice is None:
        abort(404)
    services.dismiss(notice)
    return redirect(url_for("body.home.home"))
