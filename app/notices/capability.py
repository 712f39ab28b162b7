"""Notices left for people in a body, and their dismissal."""

from app.capabilities import Capability
from app.notices.views import bp

CAPABILITY = Capability(name="notices", blueprints=(("body", bp),))
