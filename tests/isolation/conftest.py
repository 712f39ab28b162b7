"""The matrix's fixtures, and the bookkeeping of its coverage check."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.isolation.matrix import COMPLETED, Matrix

# Checks what the whole matrix did: runs after every other test.
LAST = "test_every_endpoint_answered_some_request_with_success"


@pytest.fixture
def matrix(app, world, database):
    return Matrix(app, world, database["backend"])


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if report.when == "call" and report.passed and "matrix" in item.fixturenames:
        params = dict(item.callspec.params) if hasattr(item, "callspec") else {}
        backend = params.pop("backend")
        module = Path(item.module.__file__).stem
        COMPLETED[backend].add((module, item.originalname, *params.values()))


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    items.sort(key=lambda item: item.name == LAST)
