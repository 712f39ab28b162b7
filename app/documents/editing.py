"""Saving a section from a form, where two people may edit it at once: the
later save is refused and the text they typed stays in the form."""

from __future__ import annotations

from flask import flash, redirect, render_template, request
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.orm.exc import StaleDataError

from app.documents import services
from app.documents.forms import AnswerForm, CommentForm
from app.documents.lifecycle import TransitionRefused
from app.documents.vocabulary import VersionState
from app.extensions import db
from tenants.models import Role
from tenants.resolver import requires_role


def save(section, form, values: dict, user) -> bool:
    """Save ``values`` if the form was based on the section's current
    revision; False (nothing saved, the session rolled back) if not."""
    if str(section.revision) != (form.revision.data or ""):
        return False
    try:
        services.save_section(section, values, user)
        db.session.commit()
    except StaleDataError:  # saved by someone else between our read and write
        db.session.rollback()
        return False
    return True


def start(create):
    """Open a new draft with ``create()``; None (and why, flashed) when a
    draft or consultation is already open."""
    try:
        version = create()
    except services.WorkInProgress:
        flash(_("A version is already being drafted or consulted on: finish it first."), "error")
        return None
    db.session.commit()
    flash(_("Version %(number)d is a draft.", number=version.number), "success")
    return version


def not_a_draft(version) -> None:
    """A section was saved or removed after its version left drafting."""
    flash(
        _(
            "Version %(number)d is no longer a draft (%(state)s): its sections cannot change."
            " Anything you typed is still in the form and was not saved.",
            number=version.number,
            state=version.state_label.lower(),
        ),
        "error",
    )


def refuse(form, section) -> None:
    """Keep what was typed; base the next save on what is saved now."""
    form.revision.data = section.revision
    flash(
        _(
            "Someone else saved this section while you were editing it. Your text is still in"
            " the form below and was not saved: compare it with the saved text, then save again."
        ),
        "error",
    )


def move(version, target, siblings: list, **fields) -> bool:
    """Move a version through its lifecycle and commit; a move the lifecycle
    does not allow changes nothing and says so."""
    try:
        services.move(version, target, siblings, **fields)
    except TransitionRefused:
        db.session.rollback()
        flash(_("This version cannot move to that state."), "error")
        return False
    db.session.commit()
    return True


def edit_page(section, form, *, template: str, values, reload, version_url, prefill=None):
    """A section's edit page, for rules and charters: shows the section,
    saves it, or refuses (409) a save over someone else's, or after its
    version left drafting, always keeping what was typed.

    ``values(form)`` gives what to save, ``reload()`` the section as saved
    now, ``version_url(version, section=None)`` where to go back to."""
    version = section.version

    def page(status: int, **extra):
        return render_template(
            template, form=form, version=version, section=section, **extra
        ), status

    if not version.editable:
        not_a_draft(version)
        return redirect(version_url(version)) if request.method == "GET" else page(409)
    if request.method == "GET":
        form.process(obj=section, **(prefill or {}))
        form.revision.data = section.revision
        return page(200)
    if not form.validate_on_submit():
        return page(422)
    if not save(section, form, values(form), current_user):
        section = reload()
        refuse(form, section)
        return page(409, stale=True)
    flash(_("The section “%(title)s” is saved.", title=section.title), "success")
    return redirect(version_url(version, section))


def remove(section, version_url):
    """Remove a section from its draft, and go back to the version."""
    version = section.version
    if not version.editable:
        not_a_draft(version)
        return redirect(version_url(version))
    services.remove_section(version, section)
    db.session.commit()
    flash(_("The section “%(title)s” is removed from this draft.", title=section.title), "success")
    return redirect(version_url(version))


def post_comment(section, comment_cls, sent: str) -> None:
    """Record the comment form's text on a section, and say so (``sent``) or
    why not."""
    form = CommentForm()
    if form.validate_on_submit():
        services.add_comment(comment_cls, section, current_user, form.text.data.strip())
        db.session.commit()
        flash(sent, "success")
    else:
        flash(_("A comment cannot be empty or longer than 5,000 characters."), "error")


def add_review_routes(
    bp,
    *,
    version_model,
    section_model,
    comment_model,
    siblings,
    answer,
    version_url,
    opened: str,
) -> None:
    """The routes every kind of document shares: open a version for comment
    (``opened`` is what its readers are told), close the consultation, and
    answer a comment. ``siblings(version)`` lists the versions a move checks;
    ``answer(comment, user, text, resolved)`` is the kind's service."""

    def _moved_to(version_id, target, message: str):
        version = version_model.get_scoped_or_404(version_id)
        if move(version, target, siblings(version)):
            flash(str(message), "success")
        return redirect(version_url(version))

    @bp.post("/versions/<version_id>/consultation", endpoint="consult")
    @requires_role(Role.ADMIN)
    def consult(version_id):
        return _moved_to(version_id, VersionState.CONSULTATION, opened)

    @bp.post("/versions/<version_id>/draft", endpoint="redraft")
    @requires_role(Role.ADMIN)
    def redraft(version_id):
        return _moved_to(
            version_id,
            VersionState.DRAFT,
            _("The consultation is closed: the version is a draft again."),
        )

    @bp.post("/comments/<comment_id>/answer", endpoint="answer")
    @requires_role(Role.EDITOR)
    def answer_comment(comment_id):
        comment = comment_model.get_scoped_or_404(comment_id)
        section = section_model.get_scoped_or_404(comment.section_id)
        form = AnswerForm()
        if form.validate_on_submit():
            answer(comment, current_user, (form.answer.data or "").strip(), form.resolved.data)
            db.session.commit()
            flash(_("The comment is answered."), "success")
        return redirect(version_url(section.version, section))
