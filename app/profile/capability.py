"""One's own account: profile, password, e-mail, sessions, second factor."""

from app.capabilities import Capability
from app.profile.views import bp, require_enrolment

CAPABILITY = Capability(
    name="profile",
    blueprints=(("site", bp),),
    setup=lambda app: app.before_request(require_enrolment),
)
