"""``flask worker``: an RQ worker, with the scheduler, for Concert's queue."""

from __future__ import annotations

from datetime import datetime, timedelta

import click
from flask import current_app
from flask.cli import with_appcontext


@click.command("worker")
@click.option("--burst", is_flag=True, help="Stop when the queue is empty.")
@with_appcontext
def worker_command(burst: bool) -> None:
    """Run an RQ worker with the scheduler (needs REDIS_URL)."""
    if not current_app.config["REDIS_URL"]:
        raise click.ClickException("REDIS_URL is not set: jobs run in-process, no worker needed.")
    from rq import Worker

    from app.jobs.services import queue

    q = queue()
    Worker([q], connection=q.connection).work(with_scheduler=True, burst=burst)


@click.command("cron")
@with_appcontext
def cron_command() -> None:
    """Start the jobs that run on their own (daily reminders...) on time (needs REDIS_URL)."""
    if not current_app.config["REDIS_URL"]:
        raise click.ClickException(
            "REDIS_URL is not set: run `flask run-scheduled-jobs` from the system's cron instead."
        )
    from rq.cron import CronScheduler

    from app.jobs import registry
    from app.jobs.services import QUEUE_NAME, redis_connection, start_scheduled

    scheduler = CronScheduler(connection=redis_connection())
    for spec in registry.scheduled():
        scheduler.register(start_scheduled, QUEUE_NAME, args=(spec.name,), cron=spec.schedule)
    scheduler.start()


def due_today(schedule: str, now: datetime) -> bool:
    """Whether a cron schedule fires on ``now``'s day, at whatever hour: the
    system's cron calls run-scheduled-jobs once a day, at a time of its own."""
    from croniter import croniter

    start = datetime.combine(now.date(), datetime.min.time())
    following = croniter(schedule, start - timedelta(seconds=1)).get_next(datetime)
    return following < start + timedelta(days=1)


@click.command("run-scheduled-jobs")
@with_appcontext
def run_scheduled_command() -> None:
    """Run the scheduled jobs due today, now (call it once a day from the
    system's cron when there is no Redis)."""
    from app.jobs import registry
    from app.jobs.services import enqueue

    now = datetime.now()
    for spec in registry.scheduled():
        if not due_today(spec.schedule, now):
            click.echo(f"{spec.name}: not due today")
            continue
        run = enqueue(spec.name)
        click.echo(f"{spec.name}: {run.state.value}")
