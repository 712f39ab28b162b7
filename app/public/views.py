"""The public site of a mechanism: what it is and which bodies form it."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, render_template

from app.extensions import db
from tenants.models import Body

bp = Blueprint("site", __name__)


@bp.get("/")
def home():
    bodies = db.session.scalars(
        sa.select(Body).where(Body.active.is_(True)).order_by(Body.name)
    ).all()
    return render_template("public/home.html", bodies=bodies)
