"""Dismissing a notice (they are listed on the body's home page)."""

from __future__ import annotations

from flask import Blueprint, abort, redirect, url_for
from flask_login import current_user

from app.notices import services
from app.notices.models import Notice
from tenants.models import Role
from tenants.resolver import requires_role

bp = Blueprint("notices", __name__, url_prefix="/notices")


@bp.post("/<notice_id>/dismiss")
@requires_role(Role.EXTERNAL_EXPERT)
def dismiss(notice_id):
    notice = Notice.get_scoped_or_404(notice_id)
    if notice.user_id != current_user.id:
        abort(404)  # another person's notice is not there for this one
    services.dismiss(notice)
    return redirect(url_for("body.home.home"))
