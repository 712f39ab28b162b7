"""A body's internal rules."""

from flask_babel import lazy_gettext as _l

from app.capabilities import Capability, NavEntry, TaskKind
from app.rules import tasks
from app.rules.demo import load_rulebooks
from app.rules.views import bp
from tenants.models import Role

CAPABILITY = Capability(
    name="rules",
    blueprints=(("body", bp),),
    nav=(NavEntry("body", _l("Rules"), "body.rules.index", 30, Role.MEMBER),),
    registers=("app.rules.documents",),
    demo=load_rulebooks,
    tasks=(TaskKind("rules.consultation", "body", tasks.open_for_comment, Role.MEMBER),),
)
