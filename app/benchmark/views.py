"""The ceiling: the cheapest page the stack can serve under the same tenancy
(resolver, safety net, row-level security, session, layout), so that each
key page's throughput is read as a share of it."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, render_template
from flask_login import current_user

from app.extensions import db
from app.notices.models import Notice
from tenants.models import Role
from tenants.resolver import requires_role

bp = Blueprint("benchmark", __name__, url_prefix="/benchmark")


@bp.get("/ceiling")
@requires_role(Role.EXTERNAL_EXPERT)
def ceiling():
    # one indexed query of a tenant table
    notices = db.session.scalar(
        Notice.scoped_select()
        .with_only_columns(sa.func.count(Notice.id))
        .where(Notice.user_id == current_user.id)
    )
    return render_template("benchmark/ceiling.html", notices=notices)
