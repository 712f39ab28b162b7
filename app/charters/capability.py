"""Joint charters: kept by the coordinator, adopted by each body."""

from flask_babel import lazy_gettext as _l

from app.capabilities import BoardColumn, Capability, KeyPage, NavEntry, TaskKind
from app.charters import coordination, tasks, views
from app.charters.demo import load_charters
from app.charters.scale import scale_charters
from tenants.models import Role

CAPABILITY = Capability(
    name="charters",
    blueprints=(("body", views.bp), ("coordination", coordination.bp)),
    nav=(
        NavEntry("body", _l("Charters"), "body.charters.index", 50),
        NavEntry(
            "coordination",
            _l("Charters"),
            "coordination.charters.index",
            20,
            section="coordination.charters",
        ),
    ),
    key_pages=(
        KeyPage("body charters", "body", "editor", "/charters/"),
        KeyPage("charter board", "coordination", "coordinator", "/charters/"),
    ),
    registers=("app.charters.reminders", "app.charters.documents"),
    demo=load_charters,
    scale=scale_charters,
    tasks=(
        TaskKind(
            "charters.decide",
            "body",
            tasks.to_decide,
            Role.ADMIN,
            covers=("charters.awaiting_adoption",),
        ),
        TaskKind(
            "charters.acknowledge",
            "body",
            tasks.to_acknowledge,
            Role.EXTERNAL_EXPERT,
            covers=("charters.acknowledge",),
        ),
        TaskKind("charters.consultation", "body", tasks.open_for_comment, Role.EDITOR),
        TaskKind("charters.comments", "coordination", tasks.comments_to_answer),
        TaskKind("charters.undecided", "coordination", tasks.bodies_undecided),
    ),
    board=(BoardColumn("charters", _l("Charters decided"), tasks.decided_column, order=30),),
)
