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


_jobs: dict[str, JobSpec] = {}


def job(name: str, *, timeout: int = 600, retries: int = 2) -> Callable:
    def register(func: Callable) -> Callable:
        _jobs[name] = JobSpec(name, func, timeout, retries)
        return func

    return register


def get(name: str) -> JobSpec:
    try:
        return _jobs[name]
    except KeyError:
        raise LookupError(f"no job named {name!r}") from None
