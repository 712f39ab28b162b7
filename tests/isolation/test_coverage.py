"""Every endpoint of the application answered some request of the matrix
with success (Zulip's "some URLs are untested"): a route that no role could
use is either broken or untested. Checked once the whole matrix ran, on
each backend it ran on; a subset (-k, a single file or test) or a failed
test of the matrix skips the check."""

from __future__ import annotations

import importlib
import inspect
import pkgutil

import pytest

import tests.isolation
from tests.isolation.matrix import COMPLETED, ENDPOINTS, SUCCEEDED
from tests.isolation.routes import NEVER_SUCCEED


def _matrix_tests() -> set[tuple]:
    """Every test of the matrix (those that take the ``matrix`` fixture), with
    each of its parameters, as the conftest records them when they pass."""
    expected = set()
    for module_info in pkgutil.iter_modules(tests.isolation.__path__):
        if not module_info.name.startswith("test_"):
            continue
        module = importlib.import_module(f"tests.isolation.{module_info.name}")
        for name, function in inspect.getmembers(module, inspect.isfunction):
            if (
                not name.startswith("test_")
                or "matrix" not in inspect.signature(function).parameters
            ):
                continue
            marks = [m for m in getattr(function, "pytestmark", []) if m.name == "parametrize"]
            if not marks:
                expected.add((module_info.name, name))
            for mark in marks:
                expected |= {(module_info.name, name, value) for value in mark.args[1]}
    return expected


def test_every_endpoint_answered_some_request_with_success():
    expected = _matrix_tests()
    backends = [backend for backend, done in COMPLETED.items() if expected <= done]
    if not backends:
        missing = sorted(expected - set().union(*COMPLETED.values()), key=str)
        pytest.skip(
            "the matrix did not run in full (its coverage is checked on full runs only);"
            f" not passed: {len(missing)} tests, such as {missing[:3]}"
        )
    for backend in backends:
        never = ENDPOINTS - SUCCEEDED[backend] - set(NEVER_SUCCEED)
        assert not never, (
            f"on {backend}, no request of the matrix succeeded at {sorted(never)}: give their"
            " routes valid data in tests/isolation/routes.py, or allow-list them in"
            " NEVER_SUCCEED with the reason"
        )
        stale = set(NEVER_SUCCEED) & SUCCEEDED[backend]
        assert not stale, f"on {backend}, {sorted(stale)} succeeded: drop them from NEVER_SUCCEED"
