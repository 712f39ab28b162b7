"""Saving a section from a form, where two people may edit it at once: the
later save is refused and the text they typed stays in the form."""

from __future__ import annotations

from flask import flash
from flask_babel import gettext as _
from sqlalchemy.orm.exc import StaleDataError

from app.documents import services
from app.documents.lifecycle import TransitionRefused
from app.extensions import db


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
