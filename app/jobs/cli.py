"""``flask worker``: an RQ worker, with the scheduler, for Concert's queue."""

from __future__ import annotations

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
