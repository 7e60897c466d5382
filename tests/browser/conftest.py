"""A real uvicorn server and Debian's Chromium driven by Playwright (never a downloaded browser).

Without Chromium these tests skip, except under CI=true, where a missing browser is a failure.
"""

import os
from collections.abc import Iterator

import pytest

from tests.browser.harness import CHROMIUM, LAUNCH_ARGS, free_port, start_server, stop_server


def _require_browser() -> None:
    if CHROMIUM.exists():
        return
    if os.environ.get("CI") == "true":
        pytest.fail(f"Chromium not found at {CHROMIUM} (CI=true: browser tests must run)")
    pytest.skip(f"Chromium not found at {CHROMIUM}")


@pytest.fixture(scope="session")
def server() -> Iterator[str]:
    """Base URL of app.main:app served by uvicorn on a free loopback port."""
    _require_browser()
    port = free_port()
    process = start_server(port)
    yield f"http://127.0.0.1:{port}"
    stop_server(process)


@pytest.fixture(scope="session")
def browser():
    _require_browser()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=LAUNCH_ARGS
        )
        yield browser
        browser.close()


class Watched:
    """A page plus every console error and every request it made."""

    def __init__(self, page, base: str) -> None:
        self.page = page
        self.base = base
        self.errors: list[str] = []
        self.requests: list[str] = []
        page.on("console", lambda m: m.type == "error" and self.errors.append(m.text))
        page.on("pageerror", lambda e: self.errors.append(str(e)))
        page.on("request", lambda r: self.requests.append(r.url))

    def open(self, query: str = "") -> None:
        self.page.goto(f"{self.base}/{'?' + query if query else ''}")

    def wait_drawn(self, step: int | None = None, stage: str | None = None, timeout=15000):
        """Wait until the warp view shows `step` (any if None) at `stage`, not mid-tween."""
        self.page.wait_for_function(
            """([step, stage]) => {
                const el = document.querySelector('[data-view="warp"]');
                return el.dataset.step !== undefined && !el.dataset.animating
                  && (step === null || el.dataset.step === String(step))
                  && (stage === null || el.dataset.stage === stage);
            }""",
            arg=[step, stage],
            timeout=timeout,
        )

    def warp_data(self) -> list[dict]:
        return self.page.evaluate(
            """() => document.querySelector('[data-view="warp"]').data.map(
                (t) => ({type: t.type, name: t.name, x: t.x, y: t.y, z: t.z}))"""
        )


@pytest.fixture(scope="session")
def shared_context(browser):
    """One browser context for the tests that need no context of their own: its HTTP and code
    caches keep plotly.js compiled between tests (a new context compiles its 4.8 MB again)."""
    context = browser.new_context(viewport={"width": 1366, "height": 768})
    yield context
    context.close()


@pytest.fixture
def watched(shared_context, server):
    page = shared_context.new_page()
    yield Watched(page, server)
    for opened in shared_context.pages:  # the test's page and any it opened (a new tab)
        opened.close()
