"""A mechanism's public site."""

from app.capabilities import Capability
from app.public.views import bp

CAPABILITY = Capability(name="public", blueprints=(("public", bp),))
