"""A body's side of the joint charters: reading them, commenting during a
consultation, recording the body's adoption or exception, and its people's
acknowledgement of the ethics code."""

from __future__ import annotations

from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.accounts.services import accounts_of
from app.charters import services
from app.charters.documents import charter_context
from app.charters.forms import AdoptionForm
from app.charters.models import CharterComment, CharterKind, CharterSection, CharterVersion, Outcome
from app.documents import diff, editing, exporting
from app.documents import services as documents
from app.documents.forms import CommentForm, ExportForm
from app.documents.vocabulary import VersionState
from app.extensions import db
from app.jobs.services import enqueue
from app.notices.services import notify, settle
from tenants.models import Role
from tenants.resolver import requires_role

bp = Blueprint("charters", __name__, url_prefix="/charters")


@bp.get("/")
@requires_role(Role.EXTERNAL_EXPERT)
def index():
    charters = services.charters()
    versions = services.all_versions()
    adoptions = services.own_adoptions()
    rows = []
    for kind in CharterKind:
        charter = charters.get(kind)
        mine = (
            [v for v in versions.get(charter.id, []) if v.state is not VersionState.DRAFT]
            if charter
            else []
        )
        published = documents.in_state(mine, VersionState.ADOPTED)
        rows.append(
            (
                kind,
                published,
                documents.in_state(mine, VersionState.CONSULTATION),
                adoptions.get(published.id) if published else None,
                next((adoptions[v.id] for v in mine if v.id in adoptions), None),
            )
        )
    return render_template(
        "charters/index.html", rows=rows, ethics_code=services.ethics_code_in_force(adoptions)
    )


@bp.get("/versions/<version_id>")
@requires_role(Role.EXTERNAL_EXPERT)
def version(version_id):
    version = CharterVersion.get_scoped_or_404(version_id)
    comments = services.comments_by_section(version)
    adoptions = services.own_adoptions()
    in_force = services.ethics_code_in_force(adoptions)
    return render_template(
        "charters/version.html",
        version=version,
        comments=comments,
        answers=services.answers_for(comments),
        comment_form=CommentForm(),
        export_form=ExportForm(),
        adoption=adoptions.get(version.id),
        to_acknowledge=in_force is not None and in_force.id == version.id,
        acknowledged=current_user.id in services.acknowledged_by(version),
        others=[
            v
            for v in services.versions_of(version.charter)
            if v.id != version.id and v.state is not VersionState.DRAFT
        ],
    )


@bp.post("/sections/<section_id>/comments")
@requires_role(Role.EDITOR)
def comment(section_id):
    section = CharterSection.get_scoped_or_404(section_id)
    if section.version.state is VersionState.DRAFT:
        abort(404)
    if not section.version.in_consultation:
        abort(409)
    editing.post_comment(section, CharterComment, _("Your comment is sent to the coordinator."))
    return redirect(
        url_for("body.charters.version", version_id=section.version_id, _anchor=str(section.key))
    )


@bp.route("/versions/<version_id>/adopt", methods=["GET", "POST"])
@requires_role(Role.ADMIN)
def adopt(version_id):
    version = CharterVersion.get_scoped_or_404(version_id)
    if version.state is not VersionState.ADOPTED:
        abort(409)  # only the version published for adoption
    form = AdoptionForm()
    form.published_on = version.adopted_on
    if form.validate_on_submit():
        outcome = Outcome(form.outcome.data)
        services.record_adoption(
            version,
            current_user,
            outcome=outcome,
            decided_on=form.decided_on.data,
            reference=(form.reference.data or "").strip(),
            reason=(form.reason.data or "").strip(),
        )
        settle("charters.awaiting_adoption", matching={"kind": version.charter.kind.value})
        if outcome is Outcome.ADOPTED and version.charter.kind is CharterKind.ETHICS_CODE:
            path = url_for("body.charters.version", version_id=version.id)
            readers = [user.id for user in accounts_of(g.body.id)]
            settle("charters.acknowledge")  # an older version's request no longer stands
            notify(readers, "charters.acknowledge", {"number": version.number}, path)
        db.session.commit()
        if outcome is Outcome.ADOPTED:
            flash(_("The adoption is recorded and shared with the coordinator."), "success")
        else:
            flash(_("The exception is recorded and shared with the coordinator."), "success")
        return redirect(url_for("body.charters.index"))
    if request.method == "GET" and (row := services.own_adoptions().get(version.id)):
        form.process(obj=row, outcome=row.outcome.value)
    return render_template("charters/adopt.html", form=form, version=version), (
        422 if form.errors else 200
    )


def _ethics_code_or_404(version_id):
    """The version of the ethics code this body adopted and now applies."""
    version = CharterVersion.get_scoped_or_404(version_id)
    in_force = services.ethics_code_in_force()
    if in_force is None or in_force.id != version.id:
        abort(404)
    return version


@bp.post("/versions/<version_id>/acknowledge")
@requires_role(Role.EXTERNAL_EXPERT)
def acknowledge(version_id):
    version = _ethics_code_or_404(version_id)
    if services.acknowledge(version, current_user):
        settle("charters.acknowledge", current_user.id)
        db.session.commit()
    flash(_("Thank you: your reading of the ethics code is recorded."), "success")
    return redirect(url_for("body.charters.version", version_id=version.id))


@bp.get("/versions/<version_id>/readers")
@requires_role(Role.ADMIN)
def readers(version_id):
    version = _ethics_code_or_404(version_id)
    done = services.acknowledged_by(version)
    people = accounts_of(g.body.id)
    return render_template(
        "charters/readers.html",
        version=version,
        people=people,
        done=done,
        pending=[user for user in people if user.id not in done],
    )


@bp.post("/versions/<version_id>/readers/remind")
@requires_role(Role.ADMIN)
def remind_readers(version_id):
    version = _ethics_code_or_404(version_id)
    run = enqueue(
        "charters.remind_readers", params={"version_id": str(version.id)}, by=current_user
    )
    return redirect(url_for("body.jobs.status", run_id=run.id))


@bp.get("/compare")
@requires_role(Role.EXTERNAL_EXPERT)
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
        versions=[
            v for v in services.versions_of(after.charter) if v.state is not VersionState.DRAFT
        ],
        endpoint="body.charters.compare",
        version_endpoint="body.charters.version",
    )


@bp.get("/versions/<version_id>/print")
@requires_role(Role.EXTERNAL_EXPERT)
def print_view(version_id):
    version = CharterVersion.get_scoped_or_404(version_id)
    return render_template("documents/print.html", **charter_context(version), standalone=True)


@bp.post("/versions/<version_id>/export")
@requires_role(Role.EXTERNAL_EXPERT)
def export(version_id):
    version = CharterVersion.get_scoped_or_404(version_id)
    run = exporting.start("charter", version, request.form.get("file_format"), current_user)
    return redirect(url_for("body.jobs.status", run_id=run.id))
