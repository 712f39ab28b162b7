"""Named background jobs. A job is a function ``fn(ctx, **params)`` whose
parameters are plain values (ids, strings, numbers): it loads what it needs
itself, inside the tenant the run belongs to."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class JobSpec:
    name: str
    func: Callable
    timeout: int  # seconds, on RQ
    retries: int
    # a cron expression for jobs that run on their own (platform jobs, no tenant)
    schedule: str | None = None


_jobs: dict[str, JobSpec] = {}


def job(
    name: str, *, timeout: int = 600, retries: int = 2, schedule: str | None = None
) -> Callable:
    def register(func: Callable) -> Callable:
        _jobs[name] = JobSpec(name, func, timeout, retries, schedule)
        return func

    return register


def get(name: str) -> JobSpec:
    try:
        return _jobs[name]
    except KeyError:
        raise LookupError(f"no job named {name!r}") from None


def scheduled() -> list[JobSpec]:
    return [spec for spec in _jobs.values() if spec.schedule]
