"""Joint charters: kept by the coordinator, adopted by each body."""

from flask_babel import lazy_gettext as _l

from app.capabilities import Capability, KeyPage, NavEntry
from app.charters import coordination, views
from app.charters.demo import load_charters
from app.charters.scale import scale_charters

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
)
