"""Where people land: their spaces, a body's home, the coordination overview."""

from flask_babel import lazy_gettext as _l

from app.capabilities import Capability, KeyPage, NavEntry
from app.home.views import body_bp, coordination_bp, spaces_bp

CAPABILITY = Capability(
    name="home",
    blueprints=(("site", spaces_bp), ("body", body_bp), ("coordination", coordination_bp)),
    nav=(
        NavEntry("body", _l("Overview"), "body.home.home", order=0),
        NavEntry("coordination", _l("Bodies"), "coordination.overview.home", order=0),
    ),
    key_pages=(
        KeyPage("body home", "body", "editor", "/"),
        KeyPage("coordination overview", "coordination", "coordinator", "/"),
    ),
)
