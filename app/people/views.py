"""A body's register of people: list, detail, edit, end of service, the
person's own declaration, the dashboard, import and export."""

from __future__ import annotations

from datetime import date, timedelta

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
from flask_login import current_user
from sqlalchemy.orm.exc import StaleDataError

from app.bounds import paginate
from app.extensions import db
from app.people import figures, importing, jobs, services, tabular
from app.people.checks import flags, validate
from app.people.forms import (
    AdminPersonForm,
    DeclarationForm,
    EndServiceForm,
    FilterForm,
    ImportForm,
    PersonForm,
    PositionForm,
    SettingsForm,
)
from app.people.models import PeopleImport, Person, PersonExpertise, PersonLanguage
from app.people.vocabulary import ExpertiseArea, Gender, Minority, PersonKind
from app.spreadsheets import UnreadableFile
from tenants.models import Role
from tenants.resolver import requires_role
from tenants.scoping import child_or_404

bp = Blueprint("people", __name__, url_prefix="/people")


def _is_admin() -> bool:
    return g.membership.role.at_least(Role.ADMIN)


def _person_form(**kwargs) -> PersonForm:
    form = (AdminPersonForm if _is_admin() else PersonForm)(**kwargs)
    form.user_id.choices = [("", _("No account"))] + [
        (str(user.id), f"{user.display_name} <{user.email}>")
        for user in services.body_accounts(g.body.id)
    ]
    return form


# The register ----------------------------------------------------------------


@bp.get("/")
@requires_role(Role.MEMBER)
def index():
    today = date.today()
    filters = FilterForm(request.args)
    filters.language.choices = [("", _("Any language"))] + [
        (name, name) for name in sorted(figures.spellings().values(), key=str.casefold)
    ]
    filters.validate()
    page = paginate(_filtered(filters, today).order_by(Person.name, Person.id))
    threshold = services.secondment_months()
    return render_template(
        "people/index.html",
        page=page,
        filters=filters,
        flags={person.id: flags(person, today, threshold) for person in page.items},
        today=today,
    )


def _filtered(filters: FilterForm, today: date) -> sa.Select:
    stmt = Person.scoped_select()
    if filters.q.data:
        pattern = "%" + filters.q.data.strip().replace("\\", "\\\\").replace("%", "\\%")
        pattern = pattern.replace("_", "\\_") + "%"
        stmt = stmt.where(Person.name.ilike(pattern, escape="\\"))
    if filters.kind.data and not filters.kind.errors:
        stmt = stmt.where(Person.kind == PersonKind(filters.kind.data))
    if filters.expertise.data and not filters.expertise.errors:
        stmt = stmt.where(
            sa.exists().where(
                PersonExpertise.mechanism_id == Person.mechanism_id,
                PersonExpertise.person_id == Person.id,
                PersonExpertise.area == ExpertiseArea(filters.expertise.data),
            )
        )
    if filters.language.data:
        stmt = stmt.where(
            sa.exists().where(
                PersonLanguage.mechanism_id == Person.mechanism_id,
                PersonLanguage.person_id == Person.id,
                sa.func.lower(PersonLanguage.language) == filters.language.data.lower(),
            )
        )
    active = Person.active_on(today)
    status = filters.status.data if not filters.status.errors else "active"
    if status == "active":
        stmt = stmt.where(active)
    elif status == "ended":
        stmt = stmt.where(sa.not_(active))
    if filters.term_within.data is not None and not filters.term_within.errors:
        stmt = stmt.where(
            Person.term_end >= today,
            Person.term_end <= today + timedelta(days=filters.term_within.data),
        )
    return stmt


@bp.route("/new", methods=["GET", "POST"])
@requires_role(Role.EDITOR)
def new():
    form = _person_form()
    if form.validate_on_submit() and _checked(form):
        person = services.create(
            form.draft(), g.body.id, user_id=_user_id(form), sensitive=_is_admin()
        )
        flash(_("%(name)s is in the register.", name=person.name), "success")
        return redirect(url_for("body.people.detail", person_id=person.id))
    return render_template("people/edit.html", form=form, person=None), (
        422 if form.errors else 200
    )


def _user_id(form: PersonForm) -> int | None:
    return int(form.user_id.data) if form.user_id.data else None


def _checked(form: PersonForm, person: Person | None = None) -> bool:
    """The register's rules, and the account link, on top of the form's own checks."""
    for name, message in validate(form.draft()).items():
        form[name].errors.append(message)
    user_id = _user_id(form)
    if user_id is not None and user_id in services.linked_accounts(
        except_person=person.id if person else None
    ):
        form.user_id.errors.append(_("This account is already linked to another person."))
    return not any(form[name].errors for name in form._fields)


@bp.get("/<person_id>")
@requires_role(Role.MEMBER)
def detail(person_id):
    person = Person.get_scoped_or_404(person_id)
    today = date.today()
    return render_template(
        "people/detail.html",
        person=person,
        flags=flags(person, today, services.secondment_months()),
        today=today,
        sees_sensitive=_is_admin() or person.user_id == current_user.id,
        position_form=PositionForm(),
        end_form=EndServiceForm(end_date=today),
    )


@bp.route("/<person_id>/edit", methods=["GET", "POST"])
@requires_role(Role.EDITOR)
def edit(person_id):
    person = Person.get_scoped_or_404(person_id)
    form = _person_form()
    if request.method == "GET":
        form.show(person)
        form.version.data = person.version
    elif form.validate_on_submit() and _checked(form, person):
        if str(person.version) != (form.version.data or ""):
            return _stale(form, person)
        try:
            services.update(person, form.draft(), user_id=_user_id(form), sensitive=_is_admin())
        except StaleDataError:
            db.session.rollback()
            return _stale(form, Person.get_scoped_or_404(person_id))
        flash(_("The entry of %(name)s is saved.", name=person.name), "success")
        return redirect(url_for("body.people.detail", person_id=person.id))
    return render_template("people/edit.html", form=form, person=person), (
        422 if form.errors else 200
    )


def _stale(form: PersonForm, person: Person):
    """Someone else saved the entry meanwhile: refuse, and keep what was typed."""
    form.version.data = person.version
    flash(
        _(
            "Someone else saved this entry while you were editing it. Your changes are still"
            " in the form below and were not saved: check the entry in another tab, then save"
            " again."
        ),
        "error",
    )
    return render_template("people/edit.html", form=form, person=person), 409


@bp.post("/<person_id>/end")
@requires_role(Role.EDITOR)
def end_service(person_id):
    person = Person.get_scoped_or_404(person_id)
    form = EndServiceForm()
    if form.validate_on_submit():
        if person.start_date and form.end_date.data < person.start_date:
            flash(_("Service cannot end before it started."), "error")
        else:
            services.end_service(person, form.end_date.data, (form.end_reason.data or "").strip())
            flash(
                _(
                    "The service of %(name)s ended; the entry stays in the register.",
                    name=person.name,
                ),
                "success",
            )
    else:
        flash(_("Give the last day of service."), "error")
    return redirect(url_for("body.people.detail", person_id=person.id))


# Positions held elsewhere ----------------------------------------------------


@bp.post("/<person_id>/positions")
@requires_role(Role.EDITOR)
def add_position(person_id):
    person = Person.get_scoped_or_404(person_id)
    form = PositionForm()
    if form.validate_on_submit():
        services.save_position(person, None, form.draft())
        flash(_("The position is added."), "success")
        return redirect(url_for("body.people.detail", person_id=person.id))
    return render_template("people/position.html", form=form, person=person, row=None), 422


@bp.route("/<person_id>/positions/<position_id>/edit", methods=["GET", "POST"])
@requires_role(Role.EDITOR)
def edit_position(person_id, position_id):
    person = Person.get_scoped_or_404(person_id)
    row = child_or_404(person.positions, position_id)
    form = PositionForm(obj=row) if request.method == "GET" else PositionForm()
    if request.method == "GET":
        form.sector.data = row.sector.value
    elif form.validate_on_submit():
        services.save_position(person, row, form.draft())
        flash(_("The position is saved."), "success")
        return redirect(url_for("body.people.detail", person_id=person.id))
    return render_template("people/position.html", form=form, person=person, row=row), (
        422 if form.errors else 200
    )


@bp.post("/<person_id>/positions/<position_id>/remove")
@requires_role(Role.EDITOR)
def remove_position(person_id, position_id):
    person = Person.get_scoped_or_404(person_id)
    services.remove_position(person, child_or_404(person.positions, position_id))
    flash(_("The position is removed."), "success")
    return redirect(url_for("body.people.detail", person_id=person.id))


# The person's own entry ------------------------------------------------------


@bp.route("/me", methods=["GET", "POST"])
@requires_role(Role.EXTERNAL_EXPERT)
def me():
    person = services.own_entry(current_user.id)
    form = DeclarationForm()
    if person is not None and form.validate_on_submit():
        services.declare(
            person,
            Gender(form.gender.data) if form.gender.data else None,
            Minority(form.minority.data) if form.minority.data else None,
        )
        flash(_("Your declaration is saved."), "success")
        return redirect(url_for("body.people.me"))
    if person is not None and request.method == "GET":
        form.gender.data = person.gender.value if person.gender else ""
        form.minority.data = person.minority.value if person.minority else ""
    return render_template("people/me.html", person=person, form=form, today=date.today())


# Dashboard and settings ------------------------------------------------------


@bp.get("/dashboard")
@requires_role(Role.MEMBER)
def dashboard():
    today = date.today()
    threshold = services.secondment_months()
    body = figures.collect(today, {g.body.id: threshold}).get(g.body.id, figures.BodyFigures())
    return render_template(
        "people/dashboard.html",
        figures=body,
        flagged=services.flagged_people(today, threshold),
        threshold=threshold,
        areas=figures.AREAS,
        labelled=figures.labelled,
    )


@bp.route("/settings", methods=["GET", "POST"])
@requires_role(Role.ADMIN)
def settings():
    form = SettingsForm()
    if form.validate_on_submit():
        services.set_secondment_months(form.secondment_months.data)
        flash(_("The register's settings are saved."), "success")
        return redirect(url_for("body.people.dashboard"))
    if request.method == "GET":
        form.secondment_months.data = services.secondment_months()
    return render_template("people/settings.html", form=form), 422 if form.errors else 200


# Import and export -----------------------------------------------------------


@bp.route("/import", methods=["GET", "POST"])
@requires_role(Role.ADMIN)
def upload():
    form = ImportForm()
    data = form.spreadsheet.data.read() if form.validate_on_submit() else b""
    if form.spreadsheet.data and not form.errors and not data:
        form.spreadsheet.errors.append(_("The file is empty."))
    elif data:
        filename = (form.spreadsheet.data.filename or "people.csv")[-200:]
        try:
            upload = importing.receive(filename, data, current_user.id)
        except UnreadableFile as error:
            form.spreadsheet.errors.append(str(error))
        else:
            db.session.commit()
            return redirect(url_for("body.people.preview", import_id=upload.id))
    return render_template("people/import.html", form=form, columns=tabular.COLUMNS), (
        422 if form.errors else 200
    )


@bp.get("/import/template.csv")
@requires_role(Role.ADMIN)
def template():
    return Response(
        tabular.to_csv([]),
        mimetype="text/csv",
        headers={"Content-Disposition": 'attachment; filename="people-template.csv"'},
    )


def _upload_or_404(import_id) -> PeopleImport:
    upload = PeopleImport.get_scoped_or_404(import_id)
    if upload.job_run_id is None and not upload.parsed_rows:
        abort(404)  # dropped before it was imported
    return upload


@bp.get("/import/<import_id>")
@requires_role(Role.ADMIN)
def preview(import_id):
    upload = _upload_or_404(import_id)
    if upload.job_run_id is not None:
        return redirect(url_for("body.jobs.status", run_id=upload.job_run_id))
    return render_template("people/preview.html", upload=upload, preview=importing.check(upload))


@bp.post("/import/<import_id>/run")
@requires_role(Role.ADMIN)
def run_import(import_id):
    upload = _upload_or_404(import_id)
    if upload.job_run_id is not None:
        return redirect(url_for("body.jobs.status", run_id=upload.job_run_id))
    if not importing.check(upload).valid:
        flash(_("The file has errors: nothing was imported."), "error")
        return redirect(url_for("body.people.preview", import_id=upload.id))
    run = importing.start(upload, current_user)
    db.session.commit()
    return redirect(url_for("body.jobs.status", run_id=run.id))


@bp.post("/export")
@requires_role(Role.ADMIN)
def export():
    file_format = "xlsx" if request.form.get("format") == "xlsx" else "csv"
    run = jobs.start_export(file_format, current_user)
    return redirect(url_for("body.jobs.status", run_id=run.id))
