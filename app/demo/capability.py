"""``flask demo load``: a fictional mechanism to try Concert with."""

from app.capabilities import Capability
from app.demo.cli import demo_cli

CAPABILITY = Capability(name="demo", commands=(demo_cli,))
