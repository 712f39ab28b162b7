"""Every route of the application, by kind. A route missing here fails the
suite (``test_every_route_is_classified``): add it to the matrix, with its
lowest role and every object it takes, or to an explicit allow-list.

Objects are named by kind (``tests/isolation/objects.py`` finds one of a
given body, or of its mechanism): those the URL names (``objects``: every
argument of the URL rule but the tenant's slugs), and ids taken from the
query string (``query``) or a form field (``form``). The matrix sends other
tenants' objects in each of them."""

from __future__ import annotations

from dataclasses import dataclass, field

from app.capabilities import board_columns, task_kinds
from tenants.models import Role
from tests.support import PASSWORD

# The home pages send one query per kind of task a capability declares.
BODY_TASK_KINDS = len(task_kinds("body", Role.ADMIN))
COORDINATION_TASK_KINDS = len(task_kinds("coordination"))

# A body's pages count the person's notices in the header.
HEADER = 1

# The tenant's own slugs, which every URL of a tenant layer carries.
TENANT_ARGUMENTS = {"mechanism_slug", "body_slug"}


@dataclass(frozen=True)
class Upload:
    """A file field's content: a fresh file is sent with each request."""

    filename: str
    content: bytes


@dataclass(frozen=True)
class Budget:
    """The most SQL statements a page may send, read as a1's administrator
    at a few and at many rows of what ``grow`` names (``tests/growth.py``);
    both counts must be equal. ``path`` may name world objects in braces."""

    queries: int
    grow: str
    path: str


@dataclass(frozen=True)
class TenantRoute:
    min_role: Role = Role.MEMBER
    # URL arguments naming objects: argument -> kind of object
    objects: dict[str, str] = field(default_factory=dict)
    # the rest of a request that succeeds for an allowed role (a page with a
    # form is read first: its fields as shown are sent, with these on top)
    data: dict = field(default_factory=dict)
    # ids taken from the query string, and from form fields: name -> kind
    query: dict[str, str] = field(default_factory=dict)
    form: dict[str, str] = field(default_factory=dict)
    budget: Budget | None = None

    @property
    def ids(self) -> dict[str, str]:
        return {**self.query, **self.form}


BODY_ROUTES: dict[str, TenantRoute] = {
    "body.home.home": TenantRoute(
        Role.EXTERNAL_EXPERT,
        # the session and tenant (6), the accounts, one per kind of task
        budget=Budget(7 + BODY_TASK_KINDS + HEADER, "tasks", "/m/alpha/b/a1/"),
    ),
    "body.accounts.index": TenantRoute(
        Role.MEMBER, budget=Budget(8 + HEADER, "accounts", "/m/alpha/b/a1/accounts/")
    ),
    "body.accounts.invite": TenantRoute(Role.ADMIN, data={"email": "invited@test.example"}),
    "body.accounts.change_role": TenantRoute(
        Role.ADMIN, {"membership_id": "membership"}, {"role": "editor"}
    ),
    "body.accounts.remove": TenantRoute(Role.ADMIN, {"membership_id": "membership"}),
    "body.accounts.reset_two_factor": TenantRoute(Role.ADMIN, {"membership_id": "membership"}),
    "body.accounts.resend": TenantRoute(Role.ADMIN, {"membership_id": "membership"}),
    "body.accounts.two_factor_policy": TenantRoute(Role.ADMIN, data={"requires_two_factor": "y"}),
    "body.people.index": TenantRoute(
        Role.MEMBER, budget=Budget(13 + HEADER, "people", "/m/alpha/b/a1/people/")
    ),
    # the account a person is linked to comes in a form field
    "body.people.new": TenantRoute(
        Role.EDITOR, data={"name": "Someone new"}, form={"user_id": "user"}
    ),
    "body.people.detail": TenantRoute(Role.MEMBER, {"person_id": "person"}),
    "body.people.edit": TenantRoute(Role.EDITOR, {"person_id": "person"}, form={"user_id": "user"}),
    "body.people.end_service": TenantRoute(
        Role.EDITOR, {"person_id": "person"}, {"end_date": "2026-01-31", "end_reason": ""}
    ),
    "body.people.add_position": TenantRoute(
        Role.EDITOR, {"person_id": "person"}, {"employer": "Ministry", "sector": "academia"}
    ),
    "body.people.edit_position": TenantRoute(
        Role.EDITOR, {"person_id": "person", "position_id": "position"}
    ),
    "body.people.remove_position": TenantRoute(
        Role.EDITOR, {"person_id": "person", "position_id": "position"}
    ),
    "body.people.me": TenantRoute(Role.EXTERNAL_EXPERT),
    "body.people.dashboard": TenantRoute(
        Role.MEMBER,
        # the session and tenant (6), settings, eleven aggregates, the flagged people (4)
        budget=Budget(20 + HEADER, "people", "/m/alpha/b/a1/people/dashboard"),
    ),
    "body.people.settings": TenantRoute(Role.ADMIN),
    "body.people.upload": TenantRoute(
        Role.ADMIN, data={"spreadsheet": Upload("people.csv", b"name,kind\nUploaded,staff\n")}
    ),
    "body.people.template": TenantRoute(Role.ADMIN),
    "body.people.preview": TenantRoute(Role.ADMIN, {"import_id": "import"}),
    "body.people.run_import": TenantRoute(Role.ADMIN, {"import_id": "import"}),
    "body.people.export": TenantRoute(Role.ADMIN, data={"format": "csv"}),
    "body.rules.index": TenantRoute(
        Role.MEMBER, budget=Budget(9 + HEADER, "documents", "/m/alpha/b/a1/rules/")
    ),
    "body.rules.start": TenantRoute(Role.EDITOR),
    "body.rules.version": TenantRoute(
        Role.MEMBER,
        {"version_id": "rule_draft"},
        budget=Budget(11 + HEADER, "documents", "/m/alpha/b/a1/rules/versions/{rule_consultation}"),
    ),
    "body.rules.add_section": TenantRoute(
        Role.EDITOR, {"version_id": "rule_draft"}, {"title": "A new section"}
    ),
    "body.rules.edit_section": TenantRoute(Role.EDITOR, {"section_id": "rule_draft_section"}),
    "body.rules.remove_section": TenantRoute(Role.EDITOR, {"section_id": "fresh_rule_section"}),
    "body.rules.consult": TenantRoute(Role.ADMIN, {"version_id": "rule_draft"}),
    "body.rules.redraft": TenantRoute(Role.ADMIN, {"version_id": "rule_consultation"}),
    "body.rules.adopt": TenantRoute(
        Role.ADMIN, {"version_id": "rule_draft"}, {"confirm_empty": "y"}
    ),
    "body.rules.visibility": TenantRoute(
        Role.ADMIN, {"version_id": "rule_adopted"}, {"visibility": "public"}
    ),
    "body.rules.comment": TenantRoute(
        Role.MEMBER, {"section_id": "rule_consultation_section"}, {"text": "Agreed"}
    ),
    "body.rules.answer": TenantRoute(
        Role.EDITOR, {"comment_id": "rule_comment"}, {"answer": "Thanks", "resolved": "y"}
    ),
    "body.rules.compare": TenantRoute(
        Role.MEMBER, query={"from": "rule_adopted", "to": "rule_draft"}
    ),
    "body.rules.print_view": TenantRoute(Role.MEMBER, {"version_id": "rule_adopted"}),
    "body.rules.export": TenantRoute(
        Role.MEMBER, {"version_id": "rule_adopted"}, {"file_format": "docx"}
    ),
    # A mechanism's charters are read by all its bodies (kinds in SHARED_KINDS)
    "body.charters.index": TenantRoute(
        Role.EXTERNAL_EXPERT, budget=Budget(12 + HEADER, "documents", "/m/alpha/b/a1/charters/")
    ),
    "body.charters.version": TenantRoute(
        Role.EXTERNAL_EXPERT,
        {"version_id": "charter_published"},
        budget=Budget(
            16 + HEADER, "documents", "/m/alpha/b/a1/charters/versions/{charter_consultation}"
        ),
    ),
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
        Role.EXTERNAL_EXPERT, query={"from": "charter_published", "to": "charter_consultation"}
    ),
    "body.charters.print_view": TenantRoute(
        Role.EXTERNAL_EXPERT, {"version_id": "charter_published"}
    ),
    "body.charters.export": TenantRoute(
        Role.EXTERNAL_EXPERT, {"version_id": "charter_published"}, {"file_format": "docx"}
    ),
    "body.notices.dismiss": TenantRoute(Role.EXTERNAL_EXPERT, {"notice_id": "own_notice"}),
    # the trail's filter by actor takes a user id
    "body.audit.events": TenantRoute(
        Role.ADMIN,
        query={"actor": "user"},
        budget=Budget(10 + HEADER, "accounts", "/m/alpha/b/a1/audit/"),
    ),
    "body.audit.export": TenantRoute(Role.ADMIN, form={"actor": "user"}),
    "body.jobs.status": TenantRoute(Role.EXTERNAL_EXPERT, {"run_id": "own_job_run"}),
    "body.jobs.download": TenantRoute(Role.EXTERNAL_EXPERT, {"run_id": "own_job_run"}),
}

COORDINATION_ROUTES: dict[str, TenantRoute] = {
    "coordination.settings.mechanism": TenantRoute(
        Role.ADMIN, data={"reporting_year_start_month": "4"}
    ),
    "coordination.overview.home": TenantRoute(
        Role.MEMBER,
        # the session and tenant, the bodies, one per kind of task and per column
        budget=Budget(
            7 + COORDINATION_TASK_KINDS + len(board_columns()), "tasks", "/m/alpha/coordination/"
        ),
    ),
    "coordination.people.overview": TenantRoute(
        Role.MEMBER,
        # the session and tenant (6), the bodies, settings, eleven aggregates
        budget=Budget(17, "people", "/m/alpha/coordination/people/"),
    ),
    "coordination.people.export": TenantRoute(Role.MEMBER),
    "coordination.charters.index": TenantRoute(
        Role.MEMBER, budget=Budget(11, "documents", "/m/alpha/coordination/charters/")
    ),
    "coordination.charters.start": TenantRoute(Role.EDITOR, {"kind": "charter_kind"}),
    "coordination.charters.version": TenantRoute(
        Role.MEMBER,
        {"version_id": "charter_draft"},
        budget=Budget(
            13, "documents", "/m/alpha/coordination/charters/versions/{charter_consultation}"
        ),
    ),
    "coordination.charters.add_section": TenantRoute(
        Role.EDITOR, {"version_id": "charter_draft"}, {"title": "A new section"}
    ),
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
        Role.MEMBER, query={"from": "charter_published", "to": "charter_consultation"}
    ),
    "coordination.charters.print_view": TenantRoute(Role.MEMBER, {"version_id": "charter_draft"}),
}

# Objects every body of their mechanism may read: another body of the same
# mechanism gets them; another mechanism gets 404.
SHARED_KINDS = {"charter_published", "charter_consultation", "charter_consultation_section"}
# The same kind of object, that the coordinating body keeps to itself: not
# found from any body's space (its own included).
UNSHARED = {
    "charter_published": "charter_draft",
    "charter_consultation": "charter_draft",
    "charter_consultation_section": "charter_draft_section",
}


@dataclass(frozen=True)
class OpenRoute:
    """A route outside the tenant layers: open to anyone, or to a signed-in
    account about itself only."""

    signed_in: bool = False
    objects: dict[str, str] = field(default_factory=dict)
    data: dict = field(default_factory=dict)
    budget: Budget | None = None


PUBLIC_ROUTES: dict[str, OpenRoute] = {
    "static": OpenRoute(objects={"filename": "static_file"}),
    "auth.login": OpenRoute(),
    # after the password, before the code (a sign-in half done)
    "auth.second_factor": OpenRoute(),
    "auth.logout": OpenRoute(signed_in=True),
    "auth.request_reset": OpenRoute(),
    "auth.accept_invitation": OpenRoute(objects={"token": "invitation_token"}),
    "auth.reset_password": OpenRoute(objects={"token": "reset_token"}),
    "spaces.index": OpenRoute(
        # the session, the user, their spaces across mechanisms (one query)
        signed_in=True,
        budget=Budget(4, "accounts", "/"),
    ),
    # one of the signed-in person's own open invitations (another person's
    # answers as if it did not exist)
    "spaces.answer_invitation": OpenRoute(
        signed_in=True, objects={"membership_id": "own_invitation", "answer": "invitation_answer"}
    ),
    # a mechanism's public site, for anonymous visitors: public versions only,
    # of the mechanism in the path
    "public.site.home": OpenRoute(budget=Budget(5, "accounts", "/m/alpha/")),
    "public.site.rules": OpenRoute(budget=Budget(7, "documents", "/m/alpha/rules/")),
    "public.site.rule_version": OpenRoute(objects={"version_id": "public_rule"}),
    "public.site.charter_version": OpenRoute(objects={"version_id": "public_charter"}),
    "profile.profile": OpenRoute(signed_in=True),
    "profile.change_password": OpenRoute(signed_in=True),
    "profile.change_email": OpenRoute(signed_in=True),
    "profile.confirm_email": OpenRoute(signed_in=True, objects={"token": "own_email_token"}),
    "profile.sessions_list": OpenRoute(signed_in=True),
    "profile.sign_out_others": OpenRoute(signed_in=True),
    "profile.two_factor": OpenRoute(signed_in=True),
    "profile.new_recovery_codes": OpenRoute(signed_in=True, data={"current": PASSWORD}),
    "profile.turn_off_two_factor": OpenRoute(signed_in=True),
}


@dataclass(frozen=True)
class OperatorRoute:
    """A provisioning page of the platform operator: anyone else gets 404."""

    # URL argument -> value, or "<kind>:<body>" for an object of the world
    # (see tests.isolation.objects.operator_value)
    objects: dict[str, str] = field(default_factory=dict)
    data: dict = field(default_factory=dict)
    # form fields naming a body of the mechanism in the path, by slug
    form: dict[str, str] = field(default_factory=dict)


OPERATOR_ROUTES: dict[str, OperatorRoute] = {
    "operator.mechanisms": OperatorRoute(),
    "operator.new_mechanism": OperatorRoute(
        data={"slug": "gamma", "name": "Mechanism gamma", "country": "Country gamma"}
    ),
    "operator.mechanism": OperatorRoute({"slug": "alpha"}),
    "operator.add_body": OperatorRoute(
        {"slug": "alpha"}, {"body-slug": "a3", "body-name": "Body a3", "body-kind": "ombuds"}
    ),
    "operator.designate": OperatorRoute({"slug": "alpha"}, form={"coordinator-body_slug": "a2"}),
    "operator.invite": OperatorRoute(
        {"slug": "alpha"},
        {"invite-email": "invited@test.example", "invite-role": "admin"},
        form={"invite-body_slug": "a2"},
    ),
    "operator.form_address": OperatorRoute({"slug": "alpha", "form": "bodies"}),
    "operator.resend": OperatorRoute({"slug": "alpha", "membership_id": "membership:a2"}),
    "operator.onboard": OperatorRoute(
        {"slug": "alpha"},
        {
            "spreadsheet": Upload(
                "bodies.csv", b"name,kind,admin_email\nBody a4,other,a4@x.example\n"
            )
        },
    ),
    "operator.apply_onboarding": OperatorRoute(
        {"slug": "alpha"},
        {"rows": '[[2, {"name": "Body a5", "kind": "other", "admin_email": "a5@x.example"}]]'},
    ),
    "operator.onboarding_template": OperatorRoute({"slug": "alpha"}),
}

# Endpoints that no request of the matrix can answer with success, and why.
NEVER_SUCCEED: dict[str, str] = {}
