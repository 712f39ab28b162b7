"""The platform operator's provisioning of mechanisms and bodies."""

from app.capabilities import Capability
from app.operator import cli
from app.operator.views import bp

CAPABILITY = Capability(name="operator", blueprints=(("site", bp),), setup=cli.install)
