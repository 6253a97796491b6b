"""What browser tests do on a page: navigate, check accessibility, sign in.

Navigation goes through ``visit`` and ``follow``, which run axe on the page they land on. Pages are
also tracked independently (``start_tracking``), so a navigation that skipped the check, such as a
redirect a test did not expect, is reported instead of silently passing.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urldefrag, urlsplit

from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from allauth.mfa.utils import decrypt
from playwright.sync_api import ConsoleMessage, Error, Frame, Locator, Page, Response, expect

from accounts.models import User
from tests.factories import TEST_PASSWORD

PROJECT_ROOT = Path(__file__).resolve().parents[2]
CHROMIUM_PATH = Path("/usr/bin/chromium")
AXE_PATH = PROJECT_ROOT / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOT_DIR = PROJECT_ROOT / "test-artifacts" / "screenshots"

BLOCKING_IMPACTS = {"serious", "critical"}
# Rules a third-party widget breaks in markup we do not write, each with its reason. Keep short.
THIRD_PARTY_EXCEPTIONS = {
    "/api/v1/docs/": {
        "nested-interactive": "Swagger UI puts its expand button inside the operation summary",
    },
}


@dataclass
class PageLog:
    """Documents a page has shown (one entry per navigation) and which of them axe has checked."""

    documents: list[str] = field(default_factory=list)
    checked: set[int] = field(default_factory=set)
    errors: list[str] = field(default_factory=list)


_logs: dict[Page, PageLog] = {}


def start_tracking(page: Page) -> None:
    """Records every new document and any browser-side error, to be judged at teardown."""
    log = _logs[page] = PageLog()

    def on_navigated(frame: Frame) -> None:
        if frame != page.main_frame or frame.url.startswith("about:"):
            return
        previous = log.documents[-1] if log.documents else None
        same_document = (
            previous is not None
            and urldefrag(frame.url).url == urldefrag(previous).url
            and urldefrag(frame.url).fragment != ""
            and frame.url != previous
        )
        if same_document:  # a jump to an anchor such as the skip link, not a new page
            log.documents[-1] = frame.url
        else:
            log.documents.append(frame.url)

    def on_console(message: ConsoleMessage) -> None:
        if message.type == "error" and not message.text.startswith("Failed to load resource"):
            log.errors.append(f"console error on {page.url}: {message.text}")

    def on_response(response: Response) -> None:
        # Chromium asks for /favicon.ico by itself; the page's own assets must all load.
        if (
            response.status >= 400
            and response.request.resource_type != "document"
            and urlsplit(response.url).path != "/favicon.ico"
        ):
            log.errors.append(f"{response.url} answered {response.status} on {page.url}")

    def on_page_error(error: Error) -> None:
        log.errors.append(f"JavaScript error on {page.url}: {error.message}")

    page.on("framenavigated", on_navigated)
    page.on("console", on_console)
    page.on("pageerror", on_page_error)
    page.on("response", on_response)


def stop_tracking(page: Page) -> list[str]:
    """Returns what went wrong on this page: unchecked documents and browser-side errors."""
    log = _logs.pop(page)
    unchecked = [url for index, url in enumerate(log.documents) if index not in log.checked]
    return [f"visited {url} but never ran the accessibility check on it" for url in unchecked] + (
        log.errors
    )


def check_accessibility(page: Page) -> None:
    """Runs axe-core on the current document and fails on any serious or critical violation."""
    page.wait_for_load_state("load")
    page.add_script_tag(path=str(AXE_PATH))
    results: dict[str, Any] = page.evaluate(
        "async () => await axe.run(document, {resultTypes: ['violations']})"
    )
    excepted = THIRD_PARTY_EXCEPTIONS.get(urlsplit(page.url).path, {})
    blocking = [
        v
        for v in results["violations"]
        if v["impact"] in BLOCKING_IMPACTS and v["id"] not in excepted
    ]
    assert not blocking, f"axe found problems on {page.url}:\n" + describe_violations(blocking)
    log = _logs.get(page)
    if log is not None:
        log.checked.add(len(log.documents) - 1)


def describe_violations(violations: list[dict[str, Any]]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"- {violation['id']} ({violation['impact']}): {violation['help']}")
        lines.append(f"  {violation['helpUrl']}")
        for node in violation["nodes"][:5]:
            lines.append(f"  at {' '.join(map(str, node['target']))}")
        if len(violation["nodes"]) > 5:
            lines.append(f"  ...and {len(violation['nodes']) - 5} more")
    return "\n".join(lines)


def visit(page: Page, path: str) -> None:
    """Opens a path as if typed in the address bar, then checks the page it ends up on."""
    response = page.goto(path)
    assert response is not None and response.ok, f"{path} answered {response and response.status}"
    check_accessibility(page)


def follow(page: Page, control: Locator) -> None:
    """Clicks a link or submit button that loads a new page, then checks that page."""
    with page.expect_navigation():
        control.click()
    check_accessibility(page)


def current_totp_code(secret: str) -> str:
    """The code an authenticator app would show now; waits out a window about to roll over."""
    period = mfa_settings.TOTP_PERIOD
    if period - time.time() % period < 2:
        time.sleep(period - time.time() % period + 0.1)
    return format_hotp_value(hotp_value(secret, int(time.time()) // period))


def stored_totp_secret(user: User) -> str:
    authenticator = Authenticator.objects.get(user=user, type=Authenticator.Type.TOTP)
    return decrypt(authenticator.data["secret"])


def submit_credentials(page: Page, email: str, password: str = TEST_PASSWORD) -> None:
    """Fills the sign-in form as a person would, by its visible labels, and sends it."""
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password", exact=True).fill(password)
    follow(page, page.get_by_role("button", name="Sign in"))


def sign_in(page: Page, user: User) -> None:
    """Signs in through the real forms, answering the two-factor prompt if one appears."""
    visit(page, "/accounts/login/")
    submit_credentials(page, user.email)
    if page.url.endswith("/accounts/2fa/authenticate/"):
        page.get_by_label("Code").fill(current_totp_code(stored_totp_secret(user)))
        follow(page, page.get_by_role("button", name="Sign in"))
    expect(page).to_have_url(re.compile(r"/dashboard/$"))
