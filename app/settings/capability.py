"""A mechanism's own settings: its reporting year."""

from flask_babel import lazy_gettext as _l

from app.capabilities import Capability, NavEntry
from app.settings.views import bp
from tenants.models import Role

CAPABILITY = Capability(
    name="settings",
    blueprints=(("coordination", bp),),
    nav=(
        NavEntry("coordination", _l("Settings"), "coordination.settings.mechanism", 90, Role.ADMIN),
    ),
)
