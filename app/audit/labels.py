"""What each audited action is called in the reader's language. The codes
stay in the database and in exports; the trail shows these labels."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

LABELS: dict[str, object] = {
    "access.refused": _l("Access refused"),
    "auth.login": _l("Signed in"),
    "auth.login_failed": _l("Sign-in failed"),
    "auth.logout": _l("Signed out"),
    "auth.recovery_code_used": _l("Recovery code used"),
    "auth.two_factor_failed": _l("Wrong second-factor code"),
    "auth.password_set": _l("Password set"),
    "account.two_factor_reset": _l("Second factor reset"),
    "body.create": _l("Body created"),
    "body.designate_coordinator": _l("Coordinating body designated"),
    "body.two_factor_policy": _l("Two-factor policy changed"),
    "mechanism.create": _l("Mechanism created"),
    "mechanism.reporting_year": _l("Reporting year changed"),
    "membership.create": _l("Account invited"),
    "membership.accept": _l("Invitation accepted"),
    "membership.decline": _l("Invitation declined"),
    "membership.invitation_resent": _l("Invitation sent again"),
    "membership.remove": _l("Account removed"),
    "membership.role_change": _l("Role changed"),
    "operator.create": _l("Operator account created"),
    "operator.rotate_totp_key": _l("Two-factor key rotated"),
    "export.request": _l("Export requested"),
    "export.download": _l("Export downloaded"),
    "document.version.create": _l("Version drafted"),
    "document.version.draft": _l("Version returned to draft"),
    "document.version.consultation": _l("Consultation opened"),
    "document.version.adopted": _l("Version adopted"),
    "document.version.superseded": _l("Version superseded"),
    "document.section.add": _l("Section added"),
    "document.section.save": _l("Section saved"),
    "document.section.remove": _l("Section removed"),
    "document.comment.add": _l("Comment posted"),
    "rules.comment.answer": _l("Comment answered"),
    "rules.version.visibility": _l("Visibility changed"),
    "charters.comment.answer": _l("Comment answered"),
    "charters.adoption.adopted": _l("Charter adopted"),
    "charters.adoption.exception": _l("Exception to a charter recorded"),
    "charters.acknowledge": _l("Ethics code read"),
    "people.import": _l("People imported"),
    "people.settings": _l("Register settings changed"),
    "person.create": _l("Person added"),
    "person.update": _l("Person updated"),
    "person.end_service": _l("End of service recorded"),
    "person.position_remove": _l("Position removed"),
    "person.self_declaration": _l("Self-declaration recorded"),
}


def action_label(code: str) -> str:
    """The action's label; an action without one shows its code."""
    label = LABELS.get(code)
    return str(label) if label is not None else code
