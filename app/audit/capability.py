"""A body's audit trail, its export, and the guard that keeps it append-only."""

from flask_babel import lazy_gettext as _l

from app.audit import services
from app.audit.labels import action_label
from app.audit.scale import scale_audit
from app.audit.views import bp
from app.capabilities import Capability, NavEntry
from tenants.models import Role


def _setup(app) -> None:
    services.install()
    app.jinja_env.globals["action_label"] = action_label


CAPABILITY = Capability(
    name="audit",
    blueprints=(("body", bp),),
    nav=(NavEntry("body", _l("Audit trail"), "body.audit.events", 60, Role.ADMIN),),
    registers=("app.audit.jobs",),
    setup=_setup,
    scale=scale_audit,
)
