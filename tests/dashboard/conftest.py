"""A real headless Chromium (Debian's package) driven by Playwright, and where screenshots go."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from playwright.async_api import Page, async_playwright, expect

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "dashboard"

# A bound on hangs only: the page updates in well under a second when things work.
expect.set_options(timeout=30_000)


@pytest.fixture(scope="session")
def chromium() -> Path:
    """Debian's Chromium; the browser tests fail (not skip) without it."""
    if not CHROMIUM.exists():
        pytest.fail(
            f"Chromium is missing at {CHROMIUM}: run scripts/setup/40-chromium.sh "
            "(never `playwright install`)",
            pytrace=False,
        )
    return CHROMIUM


DESKTOP = {"width": 1280, "height": 860}
PHONE = {"width": 390, "height": 844}


@contextlib.asynccontextmanager
async def browser_page(chromium: Path, **context: Any) -> AsyncIterator[Page]:
    """A page in a fresh headless Chromium; ``context`` as for ``Browser.new_context``
    (``viewport``, ``timezone_id``, ``locale``)."""
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(
            executable_path=str(chromium), args=CHROMIUM_ARGS
        )
        browser_context = await browser.new_context(**{"viewport": DESKTOP, **context})
        browser_context.set_default_timeout(30_000)
        yield await browser_context.new_page()
        await browser.close()


@pytest.fixture
async def page(chromium: Path) -> AsyncIterator[Page]:
    """A fresh page in a fresh headless Chromium, on the test's own event loop."""
    async with browser_page(chromium) as fresh:
        yield fresh


async def screenshot(page: Page, name: str) -> Path:
    """Save a full-page screenshot as a test artifact (test-artifacts/ is gitignored)."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    await page.screenshot(path=str(path), full_page=True)
    return path
