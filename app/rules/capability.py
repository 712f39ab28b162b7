"""A body's internal rules."""

from flask_babel import lazy_gettext as _l

from app.capabilities import Capability, KeyPage, NavEntry, TaskKind
from app.rules import tasks
from app.rules.demo import load_rulebooks
from app.rules.scale import scale_rules, versions
from app.rules.views import bp
from tenants.models import Role

CAPABILITY = Capability(
    name="rules",
    blueprints=(("body", bp),),
    nav=(NavEntry("body", _l("Rules"), "body.rules.index", 30, Role.MEMBER),),
    key_pages=(
        KeyPage("rules version", "body", "editor", lambda: f"/rules/versions/{versions()[0]}"),
        KeyPage(
            "rules compare",
            "body",
            "editor",
            lambda: "/rules/compare?from={1}&to={0}".format(*versions()),
        ),
        KeyPage("public rules", "public", "anonymous", "/rules/"),
    ),
    registers=("app.rules.documents",),
    demo=load_rulebooks,
    scale=scale_rules,
    tasks=(TaskKind("rules.consultation", "body", tasks.open_for_comment, Role.MEMBER),),
)
