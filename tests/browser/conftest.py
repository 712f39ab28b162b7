"""The browser harness: the app served on a local port, driven by Playwright
in Debian's Chromium (Playwright's own browser download is not used)."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from tests.world import build_world

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


@pytest.fixture
def live_server(make_app):
    app = make_app()
    with app.app_context():
        world = build_world()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield {"url": f"http://127.0.0.1:{server.server_port}", "world": world, "app": app}
    finally:
        server.shutdown()
        thread.join(timeout=10)


@pytest.fixture(scope="session")
def _chromium(tmp_path_factory):
    if not Path(CHROMIUM).exists():
        pytest.skip(f"Browser leg: Chromium is not installed at {CHROMIUM}")
    from playwright.sync_api import sync_playwright

    home = tmp_path_factory.mktemp("chromium")
    os.environ["XDG_CONFIG_HOME"] = str(home / "config")
    os.environ["XDG_CACHE_HOME"] = str(home / "cache")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def browser_page(_chromium):
    context = _chromium.new_context()
    page = context.new_page()
    page.set_default_timeout(10_000)
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.problems = problems
    yield page
    context.close()
