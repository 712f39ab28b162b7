"""A body's rulebook: versions, sections, the guided-drafting checklist,
consultation comments, adoption, differences, print and export."""

from __future__ import annotations

from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from app.charters.services import adopted_by_body
from app.documents import diff, editing, exporting
from app.documents import services as documents
from app.documents.forms import (
    AnswerForm,
    CommentForm,
    ExportForm,
    VisibilityForm,
)
from app.documents.markup import says_nothing
from app.documents.vocabulary import AdoptionMethod, VersionState, Visibility
from app.extensions import db
from app.forms import choices
from app.rules import services
from app.rules.documents import rules_context
from app.rules.forms import RuleAdoptForm, RuleSectionForm
from app.rules.models import RuleComment, RuleSection, RuleVersion
from app.rules.vocabulary import RuleArea
from tenants.models import Role
from tenants.resolver import requires_role

bp = Blueprint("rules", __name__, url_prefix="/rules")


def _version_url(version, section=None) -> str:
    anchor = str(section.key) if section is not None else None
    return url_for("body.rules.version", version_id=version.id, _anchor=anchor)


@bp.get("/")
@requires_role(Role.MEMBER)
def index():
    versions = services.versions()
    return render_template(
        "rules/index.html",
        versions=versions,
        in_force=documents.in_state(versions, VersionState.ADOPTED),
        working=documents.in_state(versions, VersionState.DRAFT, VersionState.CONSULTATION),
        charters=adopted_by_body(),
    )


@bp.post("/versions")
@requires_role(Role.EDITOR)
def start():
    version = editing.start(lambda: services.start_version(g.body, current_user))
    if version is None:
        return redirect(url_for("body.rules.index"))
    return redirect(_version_url(version))


@bp.get("/versions/<version_id>")
@requires_role(Role.MEMBER)
def version(version_id):
    version = RuleVersion.get_scoped_or_404(version_id)
    return render_template(
        "rules/version.html",
        version=version,
        checklist=services.checklist(version, g.body),
        comments=services.comments_by_section(version),
        comment_form=CommentForm(),
        answer_form=AnswerForm(),
        adopt_visibility=VisibilityForm(visibility=version.visibility.value),
        export_form=ExportForm(),
        others=[v for v in services.versions() if v.id != version.id],
    )


def _section_form(version: RuleVersion, **kwargs) -> RuleSectionForm:
    form = RuleSectionForm(**kwargs)
    form.questions.choices = choices(
        (item.question.code, item.question.text) for item in services.checklist(version, g.body)
    )
    return form


@bp.route("/versions/<version_id>/sections/new", methods=["GET", "POST"])
@requires_role(Role.EDITOR)
def add_section(version_id):
    version = RuleVersion.get_scoped_or_404(version_id)
    if not version.editable:
        abort(409)
    form = _section_form(version, area=request.args.get("area", RuleArea.ROLES.value))
    if form.validate_on_submit():
        section = documents.add_section(version, RuleSection, _section_values(form), current_user)
        db.session.commit()
        flash(_("The section “%(title)s” is added.", title=section.title), "success")
        return redirect(_version_url(version, section))
    return render_template("rules/section_form.html", form=form, version=version, section=None), (
        422 if form.errors else 200
    )


def _section_values(form: RuleSectionForm) -> dict:
    return {
        "title": form.title.data.strip(),
        "body": form.body.data or "",
        "area": RuleArea(form.area.data),
        "questions": sorted(form.questions.data or []),
    }


@bp.route("/sections/<section_id>/edit", methods=["GET", "POST"])
@requires_role(Role.EDITOR)
def edit_section(section_id):
    section = RuleSection.get_scoped_or_404(section_id)
    return editing.edit_page(
        section,
        _section_form(section.version),
        template="rules/section_form.html",
        values=_section_values,
        reload=lambda: RuleSection.get_scoped_or_404(section_id),
        version_url=_version_url,
        prefill={"area": section.area.value, "questions": list(section.questions or [])},
    )


@bp.post("/sections/<section_id>/remove")
@requires_role(Role.EDITOR)
def remove_section(section_id):
    return editing.remove(RuleSection.get_scoped_or_404(section_id), _version_url)


def _move(version: RuleVersion, target: VersionState, **fields) -> bool:
    return editing.move(version, target, services.versions(), **fields)


editing.add_review_routes(
    bp,
    version_model=RuleVersion,
    section_model=RuleSection,
    comment_model=RuleComment,
    siblings=lambda version: services.versions(),
    answer=services.answer,
    version_url=_version_url,
    opened=_l("The body's members can now comment on each section."),
)


@bp.route("/versions/<version_id>/adopt", methods=["GET", "POST"])
@requires_role(Role.ADMIN)
def adopt(version_id):
    version = RuleVersion.get_scoped_or_404(version_id)
    if not version.is_working:
        abort(409)
    form = RuleAdoptForm()
    empty = [section for section in version.sections if says_nothing(section.body)]
    if form.validate_with_sections(empty):
        moved = _move(
            version,
            VersionState.ADOPTED,
            adopted_on=form.adopted_on.data,
            adoption_method=AdoptionMethod(form.adoption_method.data),
            act_reference=(form.act_reference.data or "").strip(),
            visibility=Visibility(form.visibility.data),
        )
        if moved:
            flash(
                _("Version %(number)d is adopted and in force.", number=version.number), "success"
            )
            return redirect(_version_url(version))
    return render_template("rules/adopt.html", form=form, version=version, empty=empty), (
        422 if form.errors else 200
    )


@bp.post("/versions/<version_id>/visibility")
@requires_role(Role.ADMIN)
def visibility(version_id):
    version = RuleVersion.get_scoped_or_404(version_id)
    form = VisibilityForm()
    if version.state is not VersionState.ADOPTED or not form.validate_on_submit():
        abort(409)
    services.set_visibility(version, Visibility(form.visibility.data))
    db.session.commit()
    flash(_("Who may read version %(number)d is saved.", number=version.number), "success")
    return redirect(_version_url(version))


@bp.post("/sections/<section_id>/comments")
@requires_role(Role.MEMBER)
def comment(section_id):
    section = RuleSection.get_scoped_or_404(section_id)
    if not section.version.in_consultation:
        abort(409)
    editing.post_comment(section, RuleComment, _("Your comment is recorded."))
    return redirect(_version_url(section.version, section))


@bp.get("/compare")
@requires_role(Role.MEMBER)
def compare():
    before = RuleVersion.get_scoped_or_404(request.args.get("from"))
    after = RuleVersion.get_scoped_or_404(request.args.get("to"))
    return render_template(
        "rules/compare.html",
        before=before,
        after=after,
        changes=diff.sections(before.sections, after.sections),
        versions=services.versions(),
    )


@bp.get("/versions/<version_id>/print")
@requires_role(Role.MEMBER)
def print_view(version_id):
    version = RuleVersion.get_scoped_or_404(version_id)
    return render_template(
        "documents/print.html", **rules_context(version, g.body), standalone=True
    )


@bp.post("/versions/<version_id>/export")
@requires_role(Role.MEMBER)
def export(version_id):
    version = RuleVersion.get_scoped_or_404(version_id)
    run = exporting.start("rules", version, request.form.get("file_format"), current_user)
    return redirect(url_for("body.jobs.status", run_id=run.id))
