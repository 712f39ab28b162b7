"""The mechanism's settings in the coordination layer."""

from __future__ import annotations

from flask import Blueprint, flash, g, redirect, render_template, url_for
from flask_babel import gettext as _

from app.extensions import db
from app.settings import services
from app.settings.forms import ReportingYearForm
from tenants.models import Role
from tenants.resolver import requires_role

bp = Blueprint("settings", __name__, url_prefix="/settings")


@bp.route("/", methods=["GET", "POST"])
@requires_role(Role.ADMIN)
def mechanism():
    form = ReportingYearForm(reporting_year_start_month=g.mechanism.reporting_year_start_month)
    if form.validate_on_submit():
        services.set_reporting_year(g.mechanism, form.reporting_year_start_month.data)
        db.session.commit()
        flash(_("The mechanism's settings are saved."), "success")
        return redirect(url_for("coordination.settings.mechanism"))
    return render_template("settings/mechanism.html", form=form), 422 if form.errors else 200
