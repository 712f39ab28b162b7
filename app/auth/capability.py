"""Signing in and out, second factors, resets, invitations; operator accounts."""

from app.auth import services
from app.auth.cli import operator_cli
from app.auth.views import bp
from app.capabilities import Capability

CAPABILITY = Capability(
    name="auth",
    blueprints=(("site", bp),),
    commands=(operator_cli,),
    registers=("app.auth.jobs",),
    setup=lambda app: services.install(),
)
