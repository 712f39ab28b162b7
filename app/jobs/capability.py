"""Background jobs: progress pages, the worker, the scheduler commands."""

from app.capabilities import Capability
from app.jobs.cli import cron_command, run_scheduled_command, worker_command
from app.jobs.views import bp

CAPABILITY = Capability(
    name="jobs",
    blueprints=(("body", bp),),
    commands=(worker_command, cron_command, run_scheduled_command),
)
