"""Fixtures for the browser suite: one headless Chromium per run, a fresh context per test.

Every page a test lands on must pass an axe-core check; the ``page`` fixture fails the test at
teardown if it navigated somewhere that ``check_accessibility`` never looked at.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.core.cache import cache
from playwright.sync_api import Browser, Page, sync_playwright

from tests.browser.helpers import AXE_PATH, CHROMIUM_PATH, start_tracking, stop_tracking

REQUIRE_ENV_VAR = "ALONGSIDE_REQUIRE_BROWSER_TESTS"

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]


def _missing_tool() -> str | None:
    if not (CHROMIUM_PATH.is_file() and os.access(CHROMIUM_PATH, os.X_OK)):
        return f"Chromium not found at {CHROMIUM_PATH} (install Debian's 'chromium' package)"
    if not AXE_PATH.is_file():
        return f"axe-core not found at {AXE_PATH} (run 'npm ci' in the project folder)"
    return None


_CALL_FAILED = pytest.StashKey[bool]()


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    """Remembers whether the test body failed, so teardown checks do not pile on extra errors."""
    report = yield
    if report.when == "call":
        item.stash[_CALL_FAILED] = report.failed
    return report


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    missing = _missing_tool()
    if missing:
        if os.environ.get(REQUIRE_ENV_VAR) == "1":
            pytest.fail(f"{REQUIRE_ENV_VAR}=1 but browser tests cannot run: {missing}")
        pytest.skip(f"browser tests skipped: {missing}")
    # Playwright's sync API keeps an asyncio loop registered on the main thread while it runs;
    # without this, every ORM call from a test or fixture raises SynchronousOnlyOperation.
    with pytest.MonkeyPatch.context() as patch, sync_playwright() as playwright:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM_PATH), headless=True, args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()


@pytest.fixture(autouse=True)
def _forget_rate_limits_and_used_codes() -> None:
    """Sign-in rate limits and spent TOTP codes live in the cache, which outlives each test."""
    cache.clear()


@pytest.fixture
def open_page(browser, live_server, request) -> Iterator[Callable[..., Page]]:
    """Opens pages in fresh browser contexts (own cookies), all under the accessibility guard.

    The site's CSP allows only its own scripts, so contexts bypass CSP to let axe be injected.
    """
    contexts = []
    pages: list[Page] = []

    def make(**context_options: Any) -> Page:
        context = browser.new_context(
            base_url=live_server.url, bypass_csp=True, locale="en-GB", **context_options
        )
        context.set_default_timeout(10_000)
        contexts.append(context)
        page = context.new_page()
        start_tracking(page)
        pages.append(page)
        return page

    yield make

    problems = [problem for page in pages for problem in stop_tracking(page)]
    for context in contexts:
        context.close()
    if problems and not request.node.stash.get(_CALL_FAILED, False):
        pytest.fail("\n".join(problems), pytrace=False)


@pytest.fixture
def page(open_page) -> Page:
    return open_page()
