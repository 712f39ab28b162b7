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
}

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
