"""The page's own behaviour in a real Chromium, fed with hand-made data: live swaps without a
reload, escaping, the connection banner, open log sections kept open, the opt-in action."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from urllib.parse import quote

import pytest
from playwright.async_api import Page, expect

from colonies.dashboard.app import DashboardOptions, build_app
from colonies.dashboard.server import serve_in_background
from colonies.errors import ColoniesConnectionError
from tests.dashboard.conftest import DESKTOP, PHONE, browser_page, screenshot
from tests.dashboard.handmade import LAMP, HandMadeSource, degraded_status, lamp
from tests.helpers import eventually_async

OPTIONS = DashboardOptions("home", refresh_interval=0.2)


@pytest.fixture
def source() -> HandMadeSource:
    return HandMadeSource()


@pytest.fixture
async def dashboard(source: HandMadeSource) -> AsyncIterator[str]:
    async with serve_in_background(build_app(source, OPTIONS)) as url:
        yield url


async def test_updates_replace_the_live_region_without_a_reload(
    page: Page, dashboard: str, source: HandMadeSource
) -> None:
    await page.goto(dashboard)
    card = page.locator("article.blueprint")
    await expect(card).to_have_attribute("data-health", "degraded")
    await expect(card.locator('tr[data-field="brightness"]')).to_have_class("field different")
    await page.evaluate("window.loadedOnce = true")

    converged = {"power": True, "brightness": 80, "observedGeneration": 3}
    source.blueprint = lamp(3, {"power": True, "brightness": 80}, converged)

    await expect(card).to_have_attribute("data-health", "ready")
    await expect(card.locator('tr[data-field="brightness"]')).to_have_class("field same")
    assert await page.evaluate("window.loadedOnce") is True
    assert await page.evaluate("window.pwned") is None
    await screenshot(page, "handmade-live-update")


async def test_a_broken_server_shows_a_banner_and_the_page_recovers(
    page: Page, dashboard: str, source: HandMadeSource
) -> None:
    await page.goto(dashboard)
    banner = page.locator("#connection")
    await expect(banner).to_be_hidden()
    source.failure = ColoniesConnectionError("connection refused")
    await expect(banner).to_contain_text("Update failed (HTTP 502)")
    await expect(banner).to_contain_text("ColonyOS server unreachable: connection refused")
    await expect(page.locator("body")).to_have_class("stale")
    await expect(page.locator("article.blueprint")).to_be_visible()  # the last good view stays
    source.failure = None
    await expect(banner).to_be_hidden()
    await expect(page.locator("body")).not_to_have_class("stale")


async def test_open_process_logs_stay_open_across_updates(
    page: Page, dashboard: str, source: HandMadeSource
) -> None:
    await page.goto(f"{dashboard}/blueprints/{quote(LAMP, safe='')}")
    process = page.locator("details.process")
    await process.locator("summary").click()
    await expect(process.locator("ol.logs")).to_contain_text("brightness: 50 -> 80")

    source.blueprint = lamp(4, {"power": False}, degraded_status(4, power=True))

    await expect(page.locator("strong.gen")).to_have_text("4")
    await expect(page.locator("details.process")).to_have_attribute("open", "")


async def test_force_reconcile_button_only_when_actions_are_enabled(
    page: Page, source: HandMadeSource
) -> None:
    writable = DashboardOptions("home", read_only=False, refresh_interval=0.2)
    async with serve_in_background(build_app(source, writable)) as url:
        await page.goto(f"{url}/blueprints/{quote(LAMP, safe='')}")
        await expect(page.locator(".mode")).to_have_text("actions enabled")
        await page.get_by_role("button", name="Force reconcile").click()

        async def reconciled() -> bool:
            return source.reconciled == [LAMP]

        await eventually_async(reconciled)


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
async def test_cards_show_fields_that_matter_whole_names_and_the_viewer_s_time(
    chromium: Path, dashboard: str, source: HandMadeSource, viewport: dict[str, int]
) -> None:
    """A device status lists every field of its model, mostly null: only the spec's fields and
    the set ones are shown; field names never wrap inside a word; times are in the viewer's
    zone (Tokyo, UTC+9, has no daylight saving time)."""
    status = degraded_status(
        3, power=True, brightness=50, color_temp_kelvin=2700, hvac_mode=None, position=None
    )
    status["lastReconcileTime"] = "2026-01-02T03:04:05Z"
    source.blueprint = lamp(3, {"power": True, "brightness": 80, "color_temp_kelvin": 2700}, status)
    async with browser_page(chromium, viewport=viewport, timezone_id="Asia/Tokyo") as page:
        await page.goto(dashboard)
        card = page.locator("article.blueprint")
        await expect(card.locator("tr.field")).to_have_count(3)
        await expect(page.locator('section.group[data-group="kitchen"] h2')).to_contain_text(
            "kitchen"
        )
        when = card.locator(".last-reconcile time")
        await expect(when).to_contain_text("12:04:05")
        await expect(when).to_have_attribute("title", "2026-01-02 03:04:05 UTC")
        # One evaluation finds and measures the cell: a live update may replace it in between.
        lines_per_word = await page.evaluate(
            """() => {
                const th = document.querySelector('tr[data-field="color_temp_kelvin"] th');
                return [...th.childNodes].filter(n => n.nodeType === Node.TEXT_NODE).map(n => {
                    const range = document.createRange();
                    range.selectNodeContents(n);
                    return range.getClientRects().length;
                });
            }"""
        )
        assert lines_per_word == [1, 1, 1], "a field name wrapped inside a word"
        await screenshot(page, f"handmade-card-{viewport['width']}")
