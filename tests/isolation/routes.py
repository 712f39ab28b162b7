"""Every route of the application, by kind. A route missing here fails the
suite (``test_every_route_is_classified``): add it to the matrix, with its
lowest role and the objects its URL names, or to an explicit allow-list."""

from __future__ import annotations

from dataclasses import dataclass, field

from tenants.models import Role


@dataclass(frozen=True)
class TenantRoute:
    min_role: Role = Role.MEMBER
    # URL parameters naming objects: parameter -> kind of object (see objects_for)
    objects: dict[str, str] = field(default_factory=dict)
    # a request that succeeds for an allowed role
    data: dict = field(default_factory=dict)


BODY_ROUTES: dict[str, TenantRoute] = {
    "body.home.home": TenantRoute(Role.EXTERNAL_EXPERT),
    "body.accounts.index": TenantRoute(Role.MEMBER),
    "body.accounts.invite": TenantRoute(Role.ADMIN),
    "body.accounts.change_role": TenantRoute(Role.ADMIN, {"membership_id": "membership"}),
    "body.accounts.remove": TenantRoute(Role.ADMIN, {"membership_id": "membership"}),
    "body.accounts.reset_two_factor": TenantRoute(Role.ADMIN, {"membership_id": "membership"}),
    "body.accounts.resend": TenantRoute(Role.ADMIN, {"membership_id": "membership"}),
    "body.accounts.two_factor_policy": TenantRoute(Role.ADMIN),
    "body.people.index": TenantRoute(Role.MEMBER),
    "body.people.new": TenantRoute(Role.EDITOR),
    "body.people.detail": TenantRoute(Role.MEMBER, {"person_id": "person"}),
    "body.people.edit": TenantRoute(Role.EDITOR, {"person_id": "person"}),
    "body.people.end_service": TenantRoute(Role.EDITOR, {"person_id": "person"}),
    "body.people.add_position": TenantRoute(Role.EDITOR, {"person_id": "person"}),
    "body.people.edit_position": TenantRoute(
        Role.EDITOR, {"person_id": "person", "position_id": "position"}
    ),
    "body.people.remove_position": TenantRoute(
        Role.EDITOR, {"person_id": "person", "position_id": "position"}
    ),
    "body.people.me": TenantRoute(Role.EXTERNAL_EXPERT),
    "body.people.dashboard": TenantRoute(Role.MEMBER),
    "body.people.settings": TenantRoute(Role.ADMIN),
    "body.people.upload": TenantRoute(Role.ADMIN),
    "body.people.template": TenantRoute(Role.ADMIN),
    "body.people.preview": TenantRoute(Role.ADMIN, {"import_id": "import"}),
    "body.people.run_import": TenantRoute(Role.ADMIN, {"import_id": "import"}),
    "body.people.export": TenantRoute(Role.ADMIN),
    "body.rules.index": TenantRoute(Role.MEMBER),
    "body.rules.start": TenantRoute(Role.EDITOR),
    "body.rules.version": TenantRoute(Role.MEMBER, {"version_id": "rule_draft"}),
    "body.rules.add_section": TenantRoute(Role.EDITOR, {"version_id": "rule_draft"}),
    "body.rules.edit_section": TenantRoute(Role.EDITOR, {"section_id": "rule_draft_section"}),
    "body.rules.remove_section": TenantRoute(Role.EDITOR, {"section_id": "fresh_rule_section"}),
    "body.rules.consult": TenantRoute(Role.ADMIN, {"version_id": "rule_draft"}),
    "body.rules.redraft": TenantRoute(Role.ADMIN, {"version_id": "rule_consultation"}),
    "body.rules.adopt": TenantRoute(Role.ADMIN, {"version_id": "rule_draft"}),
    "body.rules.visibility": TenantRoute(
        Role.ADMIN, {"version_id": "rule_adopted"}, {"visibility": "public"}
    ),
    "body.rules.comment": TenantRoute(
        Role.MEMBER, {"section_id": "rule_consultation_section"}, {"text": "Agreed"}
    ),
    "body.rules.answer": TenantRoute(Role.EDITOR, {"comment_id": "rule_comment"}),
    "body.rules.compare": TenantRoute(Role.MEMBER, {"from": "rule_adopted", "to": "rule_draft"}),
    "body.rules.print_view": TenantRoute(Role.MEMBER, {"version_id": "rule_adopted"}),
    "body.rules.export": TenantRoute(Role.MEMBER, {"version_id": "rule_adopted"}),
    # A mechanism's charters are read by all its bodies (kinds in SHARED_KINDS)
    "body.charters.index": TenantRoute(Role.EXTERNAL_EXPERT),
    "body.charters.version": TenantRoute(Role.EXTERNAL_EXPERT, {"version_id": "charter_published"}),
    "body.charters.comment": TenantRoute(
        Role.EDITOR, {"section_id": "charter_consultation_section"}, {"text": "Agreed"}
    ),
    "body.charters.adopt": TenantRoute(Role.ADMIN, {"version_id": "charter_published"}),
    "body.charters.acknowledge": TenantRoute(
        Role.EXTERNAL_EXPERT, {"version_id": "charter_published"}
    ),
    "body.charters.readers": TenantRoute(Role.ADMIN, {"version_id": "charter_published"}),
    "body.charters.remind_readers": TenantRoute(Role.ADMIN, {"version_id": "charter_published"}),
    "body.charters.compare": TenantRoute(
        Role.EXTERNAL_EXPERT, {"from": "charter_published", "to": "charter_consultation"}
    ),
    "body.charters.print_view": TenantRoute(
        Role.EXTERNAL_EXPERT, {"version_id": "charter_published"}
    ),
    "body.charters.export": TenantRoute(Role.EXTERNAL_EXPERT, {"version_id": "charter_published"}),
    "body.notices.dismiss": TenantRoute(Role.EXTERNAL_EXPERT, {"notice_id": "own_notice"}),
    "body.audit.events": TenantRoute(Role.ADMIN),
    "body.audit.export": TenantRoute(Role.ADMIN),
    "body.jobs.status": TenantRoute(Role.EXTERNAL_EXPERT, {"run_id": "own_job_run"}),
    "body.jobs.download": TenantRoute(Role.EXTERNAL_EXPERT, {"run_id": "own_job_run"}),
}

COORDINATION_ROUTES: dict[str, TenantRoute] = {
    "coordination.overview.home": TenantRoute(Role.MEMBER),
    "coordination.people.overview": TenantRoute(Role.MEMBER),
    "coordination.people.export": TenantRoute(Role.MEMBER),
    "coordination.charters.index": TenantRoute(Role.MEMBER),
    "coordination.charters.start": TenantRoute(Role.EDITOR, {"kind": "charter_kind"}),
    "coordination.charters.version": TenantRoute(Role.MEMBER, {"version_id": "charter_draft"}),
    "coordination.charters.add_section": TenantRoute(Role.EDITOR, {"version_id": "charter_draft"}),
    "coordination.charters.edit_section": TenantRoute(
        Role.EDITOR, {"section_id": "charter_draft_section"}
    ),
    "coordination.charters.remove_section": TenantRoute(
        Role.EDITOR, {"section_id": "fresh_charter_section"}
    ),
    "coordination.charters.consult": TenantRoute(Role.ADMIN, {"version_id": "charter_draft"}),
    "coordination.charters.redraft": TenantRoute(
        Role.ADMIN, {"version_id": "charter_consultation"}
    ),
    "coordination.charters.publish": TenantRoute(Role.ADMIN, {"version_id": "charter_draft"}),
    "coordination.charters.answer": TenantRoute(
        Role.EDITOR, {"comment_id": "charter_comment"}, {"answer": "Thanks", "resolved": "y"}
    ),
    "coordination.charters.remind": TenantRoute(Role.ADMIN, {"version_id": "charter_published"}),
    "coordination.charters.compare": TenantRoute(
        Role.MEMBER, {"from": "charter_published", "to": "charter_consultation"}
    ),
    "coordination.charters.print_view": TenantRoute(Role.MEMBER, {"version_id": "charter_draft"}),
}

# Objects every body of their mechanism may read: another body of the same
# mechanism gets them; another mechanism gets 404.
SHARED_KINDS = {"charter_published", "charter_consultation", "charter_consultation_section"}

# Open to anyone, or to any signed-in user about their own account only
# (those take no id: they act on the signed-in account).
PUBLIC_ROUTES = {
    "static",
    "auth.login",
    "auth.second_factor",
    "auth.logout",
    "auth.request_reset",
    "auth.accept_invitation",
    "auth.reset_password",
    "spaces.index",
    # takes a membership id, found among the signed-in person's own open
    # invitations only (test_consent.py proves another id answers 404)
    "spaces.answer_invitation",
    "public.site.home",
    # public versions only, of the mechanism in the path (test_rules.py and
    # test_charters.py prove drafts, internal versions and other mechanisms' 404)
    "public.site.rules",
    "public.site.rule_version",
    "public.site.charter_version",
    "account.profile",
    "account.change_password",
    "account.change_email",
    "account.confirm_email",
    "account.sessions_list",
    "account.sign_out_others",
    "account.two_factor",
    "account.new_recovery_codes",
    "account.turn_off_two_factor",
}

# The operator's provisioning pages: anyone else gets 404.
OPERATOR_ROUTES = {
    "operator.mechanisms": {},
    "operator.new_mechanism": {},
    "operator.mechanism": {"slug": "alpha"},
    "operator.add_body": {"slug": "alpha"},
    "operator.designate": {"slug": "alpha"},
    "operator.invite": {"slug": "alpha"},
    "operator.form_address": {"slug": "alpha", "form": "bodies"},
}
