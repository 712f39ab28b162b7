"""The coordinator's side of the joint charters: drafting versions,
answering the bodies' comments, publishing, and the adoption board."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_login import current_user

from app.charters import services
from app.charters.documents import charter_context
from app.charters.models import CharterComment, CharterKind, CharterSection, CharterVersion
from app.documents import diff, editing
from app.documents import services as documents
from app.documents.forms import AnswerForm, PublishForm, SectionForm
from app.documents.vocabulary import VersionState, Visibility
from app.extensions import db
from app.jobs.services import enqueue
from tenants.models import Role
from tenants.resolver import requires_role

bp = Blueprint("charters", __name__, url_prefix="/charters")


def _kind_or_404(kind: str) -> CharterKind:
    try:
        return CharterKind(kind)
    except ValueError:
        abort(404)


@bp.get("/")
@requires_role(Role.MEMBER)
def index():
    charters = services.charters()
    versions = services.all_versions()
    board = services.board(services.active_bodies(), charters, versions)
    rows = []
    for kind in CharterKind:
        charter = charters.get(kind)
        mine = versions.get(charter.id, []) if charter else []
        rows.append(
            (
                kind,
                documents.in_state(mine, VersionState.ADOPTED),
                documents.in_state(mine, VersionState.DRAFT, VersionState.CONSULTATION),
                mine,
                board.get(kind, []),
            )
        )
    return render_template("charters/coordination/index.html", rows=rows)


@bp.post("/<kind>/versions")
@requires_role(Role.EDITOR)
def start(kind):
    kind = _kind_or_404(kind)
    version = editing.start(lambda: services.start_version(kind, current_user))
    if version is None:
        return redirect(url_for("coordination.charters.index"))
    return redirect(url_for("coordination.charters.version", version_id=version.id))


@bp.get("/versions/<version_id>")
@requires_role(Role.MEMBER)
def version(version_id):
    version = CharterVersion.get_scoped_or_404(version_id)
    comments = services.comments_by_section(version)
    decisions = services.decisions_on(version)
    bodies = {body.id: body for body in services.active_bodies()}
    return render_template(
        "charters/coordination/version.html",
        version=version,
        comments=comments,
        answers=services.answers_for(comments),
        bodies=bodies,
        decisions=decisions,
        answer_form=AnswerForm(),
        others=[v for v in services.versions_of(version.charter) if v.id != version.id],
    )


@bp.route("/versions/<version_id>/sections/new", methods=["GET", "POST"])
@requires_role(Role.EDITOR)
def add_section(version_id):
    version = CharterVersion.get_scoped_or_404(version_id)
    if not version.editable:
        abort(409)
    form = SectionForm()
    if form.validate_on_submit():
        section = documents.add_section(version, CharterSection, _values(form), current_user)
        db.session.commit()
        flash(_("The section “%(title)s” is added.", title=section.title), "success")
        return redirect(_version_url(version, section))
    return render_template(
        "charters/coordination/section_form.html", form=form, version=version, section=None
    ), (422 if form.errors else 200)


def _values(form: SectionForm) -> dict:
    return {"title": form.title.data.strip(), "body": form.body.data or ""}


def _version_url(version, section=None) -> str:
    anchor = str(section.key) if section is not None else None
    return url_for("coordination.charters.version", version_id=version.id, _anchor=anchor)


@bp.route("/sections/<section_id>/edit", methods=["GET", "POST"])
@requires_role(Role.EDITOR)
def edit_section(section_id):
    return editing.edit_page(
        CharterSection.get_scoped_or_404(section_id),
        SectionForm(),
        template="charters/coordination/section_form.html",
        values=_values,
        reload=lambda: CharterSection.get_scoped_or_404(section_id),
        version_url=_version_url,
    )


@bp.post("/sections/<section_id>/remove")
@requires_role(Role.EDITOR)
def remove_section(section_id):
    return editing.remove(CharterSection.get_scoped_or_404(section_id), _version_url)


def _move(version: CharterVersion, target: VersionState, **fields) -> bool:
    return editing.move(version, target, services.versions_of(version.charter), **fields)


editing.add_review_routes(
    bp,
    version_model=CharterVersion,
    section_model=CharterSection,
    comment_model=CharterComment,
    siblings=lambda version: services.versions_of(version.charter),
    answer=services.answer,
    version_url=_version_url,
    opened=_l("Every body of the mechanism can now comment on each section."),
)


@bp.route("/versions/<version_id>/publish", methods=["GET", "POST"])
@requires_role(Role.ADMIN)
def publish(version_id):
    version = CharterVersion.get_scoped_or_404(version_id)
    if not version.is_working:
        abort(409)
    form = PublishForm()
    if form.validate_on_submit() and _move(
        version,
        VersionState.ADOPTED,
        adopted_on=form.adopted_on.data,
        act_reference=(form.act_reference.data or "").strip(),
        visibility=Visibility(form.visibility.data),
    ):
        enqueue("charters.announce", params={"version_id": str(version.id)}, by=current_user)
        _warn_unreachable(services.active_bodies())
        flash(
            _(
                "Version %(number)d is published: each body's administrators are asked to"
                " adopt it.",
                number=version.number,
            ),
            "success",
        )
        return redirect(url_for("coordination.charters.index"))
    return render_template("charters/coordination/publish.html", form=form, version=version), (
        422 if form.errors else 200
    )


@bp.post("/versions/<version_id>/remind")
@requires_role(Role.ADMIN)
def remind(version_id):
    version = CharterVersion.get_scoped_or_404(version_id)
    if version.state is not VersionState.ADOPTED:
        abort(409)
    decided = {row.body_id for row in services.decisions_on(version)}
    pending = [body for body in services.active_bodies() if body.id not in decided]
    if not pending:
        flash(_("Every body has decided on this version: nobody to remind."), "success")
        return redirect(url_for("coordination.charters.index"))
    enqueue(
        "charters.announce",
        params={"version_id": str(version.id), "pending_only": True},
        by=current_user,
    )
    flash(
        ngettext(
            "%(num)d body that has not decided is reminded.",
            "%(num)d bodies that have not decided are reminded.",
            len(pending),
        ),
        "success",
    )
    _warn_unreachable(pending)
    return redirect(url_for("coordination.charters.index"))


def _warn_unreachable(bodies) -> None:
    unreachable = services.without_administrator(bodies)
    if unreachable:
        flash(
            _(
                "No one received it at %(bodies)s: these bodies have no administrator. Their"
                " accounts are provisioned by the platform operator.",
                bodies=", ".join(body.name for body in unreachable),
            ),
            "warning",
        )


@bp.get("/compare")
@requires_role(Role.MEMBER)
def compare():
    before = CharterVersion.get_scoped_or_404(request.args.get("from"))
    after = CharterVersion.get_scoped_or_404(request.args.get("to"))
    if before.charter_id != after.charter_id:
        abort(404)
    return render_template(
        "charters/compare.html",
        before=before,
        after=after,
        changes=diff.sections(before.sections, after.sections),
        versions=services.versions_of(after.charter),
        endpoint="coordination.charters.compare",
        version_endpoint="coordination.charters.version",
    )


@bp.get("/versions/<version_id>/print")
@requires_role(Role.MEMBER)
def print_view(version_id):
    version = CharterVersion.get_scoped_or_404(version_id)
    return render_template("documents/print.html", **charter_context(version), standalone=True)
