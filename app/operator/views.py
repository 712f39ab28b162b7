"""The platform operator's provisioning pages. They show the directory of
mechanisms and bodies, never tenant content; anyone else gets 404."""

from __future__ import annotations

import sqlalchemy as sa
from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    g,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.accounts.services import AccountActionError, invite_from_form, resend_invitation
from app.auth.tokens import invitation_states
from app.extensions import db
from app.forms import choices
from app.operator import onboarding as reading
from app.operator.forms import (
    ApplyOnboardingForm,
    BodyForm,
    CoordinatorForm,
    InviteForm,
    MechanismForm,
    OnboardingForm,
)
from app.spreadsheets import UnreadableFile
from tenants import context, onboarding, provisioning
from tenants.context import Layer, Tenant
from tenants.models import Body, Mechanism, Membership, Role
from tenants.resolver import find_mechanism

bp = Blueprint("operator", __name__, url_prefix="/operator")


@bp.before_request
@login_required
def _operators_only():
    if not current_user.is_operator:
        abort(404)
    # Pages about one mechanism act for it, at the platform level, for the
    # whole request (so that rendering after a refused change still reads it).
    slug = (request.view_args or {}).get("slug")
    if slug is not None:
        mechanism = find_mechanism(slug)
        if mechanism is None:
            abort(404)
        g.mechanism = mechanism
        context.activate(Tenant(mechanism.id, None, Layer.PLATFORM))


@bp.get("/")
def mechanisms():
    rows = db.session.scalars(sa.select(Mechanism).order_by(Mechanism.name)).all()
    return render_template("operator/mechanisms.html", mechanisms=rows)


@bp.route("/mechanisms/new", methods=["GET", "POST"])
def new_mechanism():
    form = MechanismForm()
    if form.validate_on_submit():
        try:
            mechanism = provisioning.create_mechanism(
                slug=form.slug.data,
                name=form.name.data,
                country=form.country.data,
                default_language=form.default_language.data,
                reporting_year_start_month=form.reporting_year_start_month.data,
                by=current_user,
            )
        except provisioning.ProvisioningError as error:
            form.slug.errors.append(str(error))
        else:
            flash(_("Mechanism created. Add its bodies next."), "success")
            return redirect(url_for("operator.mechanism", slug=mechanism.slug))
    status = 422 if form.errors else 200
    return render_template("operator/new_mechanism.html", form=form), status


def _load() -> tuple[Mechanism, list[Body]]:
    bodies = db.session.scalars(sa.select(Body).order_by(Body.name)).all()
    return g.mechanism, bodies


def body_choices(bodies):
    return choices((b.slug, b.name) for b in bodies)


def _forms(bodies, body_form=None, coordinator_form=None, invite_form=None):
    options = body_choices(bodies)
    current = next((b.slug for b in bodies if b.is_coordinator), None)
    coordinator_form = coordinator_form or CoordinatorForm(formdata=None, body_slug=current)
    invite_form = invite_form or InviteForm(formdata=None)
    coordinator_form.body_slug.choices = options
    invite_form.body_slug.choices = options
    return {
        "body_form": body_form or BodyForm(formdata=None),
        "coordinator_form": coordinator_form,
        "invite_form": invite_form,
    }


def _administrators(bodies) -> dict:
    """Each body's administrators (invited or enrolled), with the state of
    their invitation: accepted, sent, or expired (its link no longer works)."""
    memberships = db.session.scalars(
        sa.select(Membership).where(Membership.role == Role.ADMIN).order_by(Membership.created_at)
    ).all()
    states = invitation_states(memberships)
    found: dict = {body.id: [] for body in bodies}
    for membership in memberships:
        found.setdefault(membership.body_id, []).append((membership, states[membership.id]))
    return found


def _page(mechanism, bodies, status=200, **forms):
    return (
        render_template(
            "operator/mechanism.html",
            mechanism=mechanism,
            bodies=bodies,
            administrators=_administrators(bodies),
            **_forms(bodies, **forms),
        ),
        status,
    )


@bp.get("/mechanisms/<slug>")
def mechanism(slug):
    """The mechanism's page; ``?invite=<body>`` opens the invitation form on
    that body, for its administrator (the link beside each body, and where
    adding a body leads)."""
    mechanism, bodies = _load()
    invite_form = InviteForm(formdata=None)
    chosen = request.args.get("invite", "")
    if any(body.slug == chosen for body in bodies):
        invite_form.body_slug.data = chosen
        invite_form.role.data = "admin"
    return _page(mechanism, bodies, invite_form=invite_form)


@bp.get("/mechanisms/<slug>/<any(bodies, coordinator, invitations):form>")
def form_address(slug, form):
    """The address a refused form leaves in the browser: reloading it comes
    back to the mechanism's page rather than to an error."""
    return redirect(url_for("operator.mechanism", slug=slug))


@bp.post("/mechanisms/<slug>/bodies")
def add_body(slug):
    mechanism, bodies = _load()
    form = BodyForm()
    if form.validate_on_submit():
        try:
            provisioning.add_body(
                mechanism_slug=mechanism.slug,
                slug=form.slug.data,
                name=form.name.data,
                kind=form.kind.data,
                visits_places=form.visits_places.data,
                coordinating=form.coordinating.data,
                by=current_user,
            )
        except provisioning.ProvisioningError as error:
            form.slug.errors.append(str(error))
        else:
            flash(_("Body added. Invite its administrator next."), "success")
            return redirect(
                url_for("operator.mechanism", slug=slug, invite=form.slug.data, _anchor="invite")
            )
    return _page(mechanism, bodies, 422, body_form=form)


@bp.post("/mechanisms/<slug>/coordinator")
def designate(slug):
    mechanism, bodies = _load()
    form = CoordinatorForm()
    form.body_slug.choices = body_choices(bodies)
    if form.validate_on_submit():
        try:
            provisioning.designate_coordinator(
                mechanism_slug=mechanism.slug, body_slug=form.body_slug.data, by=current_user
            )
        except provisioning.ProvisioningError as error:
            form.body_slug.errors.append(str(error))
        else:
            flash(_("Coordinating body designated."), "success")
            return redirect(url_for("operator.mechanism", slug=slug))
    return _page(mechanism, bodies, 422, coordinator_form=form)


@bp.post("/mechanisms/<slug>/invitations")
def invite(slug):
    mechanism, bodies = _load()
    form = InviteForm()
    form.body_slug.choices = body_choices(bodies)
    if form.validate_on_submit() and invite_from_form(
        form, mechanism_slug=mechanism.slug, body_slug=form.body_slug.data, by=current_user
    ):
        return redirect(url_for("operator.mechanism", slug=slug))
    return _page(mechanism, bodies, 422, invite_form=form)


@bp.post("/mechanisms/<slug>/memberships/<membership_id>/resend")
def resend(slug, membership_id):
    """Send an invitation again (a new link, valid for another 7 days)."""
    membership = Membership.get_scoped_or_404(membership_id)
    try:
        resend_invitation(membership, current_user, tenant=Tenant(g.mechanism.id, None, Layer.JOB))
    except AccountActionError as error:
        flash(str(error), "error")
    else:
        flash(_("Invitation sent again to %(email)s.", email=membership.user.email), "success")
    return redirect(url_for("operator.mechanism", slug=slug, _anchor="bodies"))


# Onboarding from a file ------------------------------------------------------


@bp.route("/mechanisms/<slug>/onboarding", methods=["GET", "POST"])
def onboard(slug):
    """Upload a file of bodies and administrators: the preview checks every
    row; nothing is written before the operator confirms it."""
    form = OnboardingForm()
    plan = table = None
    data = form.spreadsheet.data.read() if form.validate_on_submit() else b""
    if form.spreadsheet.data and not form.errors and not data:
        form.spreadsheet.errors.append(_("The file is empty."))
    elif data:
        filename = (form.spreadsheet.data.filename or "bodies.csv")[-200:]
        try:
            table = reading.read(filename, data)
        except UnreadableFile as error:
            form.spreadsheet.errors.append(str(error))
        else:
            plan = onboarding.check(g.mechanism, table)
    apply_form = ApplyOnboardingForm(formdata=None)
    if plan is not None and plan.valid:
        apply_form.rows.data = reading.encode(table)
    status = 422 if form.errors or (plan is not None and not plan.valid) else 200
    return render_template(
        "operator/onboarding.html",
        mechanism=g.mechanism,
        form=form,
        plan=plan,
        apply_form=apply_form,
        columns=onboarding.COLUMNS,
    ), status


@bp.post("/mechanisms/<slug>/onboarding/apply")
def apply_onboarding(slug):
    form = ApplyOnboardingForm()
    table = reading.decode(form.rows.data) if form.validate_on_submit() else None
    if table is None:
        flash(_("Upload the file again: what was sent is not a checked file."), "error")
        return redirect(url_for("operator.onboard", slug=slug))
    try:
        plan = onboarding.apply(mechanism_slug=g.mechanism.slug, table=table, by=current_user)
    except provisioning.ProvisioningError as error:
        flash(str(error), "error")
        return redirect(url_for("operator.onboard", slug=slug))
    flash(
        _(
            "%(bodies)d bodies created; their administrators are invited.",
            bodies=len(plan.rows),
        ),
        "success",
    )
    return redirect(url_for("operator.mechanism", slug=slug, _anchor="bodies"))


@bp.get("/mechanisms/<slug>/onboarding/template.csv")
def onboarding_template(slug):
    return Response(
        reading.template_csv(),
        mimetype="text/csv",
        headers={"Content-Disposition": 'attachment; filename="bodies-template.csv"'},
    )
