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
    "body.audit.events": TenantRoute(Role.ADMIN),
    "body.audit.export": TenantRoute(Role.ADMIN),
    "body.jobs.status": TenantRoute(Role.EXTERNAL_EXPERT, {"run_id": "own_job_run"}),
    "body.jobs.download": TenantRoute(Role.EXTERNAL_EXPERT, {"run_id": "own_job_run"}),
}

COORDINATION_ROUTES: dict[str, TenantRoute] = {
    "coordination.overview.home": TenantRoute(Role.MEMBER),
}

# Open to anyone, or to any signed-in user about their own account only.
PUBLIC_ROUTES = {
    "static",
    "auth.login",
    "auth.logout",
    "auth.set_password",
    "auth.account",
    "spaces.index",
    "public.site.home",
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
