"""A body's accounts: invitations, roles, two-factor policy."""

from flask_babel import lazy_gettext as _l

from app.accounts import tasks
from app.accounts.views import bp
from app.capabilities import BoardColumn, Capability, NavEntry, TaskKind
from tenants.models import Role

CAPABILITY = Capability(
    name="accounts",
    blueprints=(("body", bp),),
    nav=(NavEntry("body", _l("Accounts"), "body.accounts.index", 40, Role.MEMBER),),
    tasks=(TaskKind("accounts.invitations", "body", tasks.invitations_unanswered, Role.ADMIN),),
    board=(BoardColumn("accounts", _l("Accounts"), tasks.accounts_column, order=10),),
)
