"""What every browser test needs: Playwright driving Debian's chromium, headless, no sandbox.

Needs Playwright for Python (a dev dependency) and Debian's chromium at /usr/bin/chromium
(`apt-get install chromium`; browsers are never downloaded with `playwright install`). Each missing
piece skips the browser tests with the reason.

Chromium runs in British English, as a resident here sees the site: a date field reads dd/mm/yyyy,
as the form's hints say. Its date fields follow chromium's own language (LANGUAGE, below), not the
page's lang or Playwright's `locale`, and only where its en-GB language pack is installed: Debian
ships it apart (`apt-get install chromium-l10n`); without it they read mm/dd/yyyy.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
# The flags keep chromium off the network (this machine's network is closed) and out of a sandbox
# that needs user namespaces.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]


@pytest.fixture(scope="module")
def chromium():
    """A headless chromium for one test module."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.skip("playwright is not installed (.venv/bin/pip install playwright)")
    if not CHROMIUM.exists():
        pytest.skip(
            "Debian chromium is not installed at /usr/bin/chromium (apt-get install chromium)"
        )
    # Playwright's sync API keeps an event loop in this thread; the ORM calls the tests make
    # (fixtures, assertions) are ordinary synchronous calls, so Django's async guard is switched off.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=str(CHROMIUM),
            headless=True,
            args=CHROMIUM_ARGS,
            env={**os.environ, "LANGUAGE": "en_GB"},
        )
        yield browser
        browser.close()


def log_in(page, username: str, password: str) -> None:
    """Sign in through the admin's login form; returns on the admin's index page."""
    page.goto("/admin/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("input[type=submit]")
    page.wait_for_selector("text=Site administration")
