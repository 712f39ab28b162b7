"""A body's accounts and their roles."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, current_app, g, render_template

from app.extensions import db
from tenants.models import Membership, User

bp = Blueprint("accounts", __name__, url_prefix="/accounts")


@bp.get("/")
def index():
    page = db.paginate(
        sa.select(Membership)
        .join(User, User.id == Membership.user_id)
        .where(Membership.body_id == g.body.id)
        .order_by(User.display_name, User.id),
        per_page=current_app.config["PER_PAGE"],
        error_out=False,
    )
    return render_template("accounts/index.html", page=page)
