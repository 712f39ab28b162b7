"""A body's accounts: invitations, roles, two-factor policy."""

from flask_babel import lazy_gettext as _l

from app.accounts.views import bp
from app.capabilities import Capability, NavEntry
from tenants.models import Role

CAPABILITY = Capability(
    name="accounts",
    blueprints=(("body", bp),),
    nav=(NavEntry("body", _l("Accounts"), "body.accounts.index", 40, Role.MEMBER),),
)
