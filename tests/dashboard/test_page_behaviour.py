"""The page's own behaviour in a real Chromium, fed with hand-made data: live swaps without a
reload, escaping, the connection banner, open log sections kept open, the opt-in action."""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import quote

import pytest
from playwright.sync_api import Page, expect

from colonies.dashboard.app import DashboardOptions, build_app
from colonies.dashboard.server import BackgroundServer
from colonies.errors import ColoniesConnectionError
from tests.dashboard.conftest import screenshot
from tests.dashboard.handmade import LAMP, HandMadeSource, degraded_status, lamp
from tests.helpers import eventually

OPTIONS = DashboardOptions("home", refresh_interval=0.2)


@pytest.fixture
def source() -> HandMadeSource:
    return HandMadeSource()


@pytest.fixture
def dashboard(source: HandMadeSource) -> Iterator[str]:
    with BackgroundServer(build_app(source, OPTIONS)) as server:
        yield server.url


def test_updates_replace_the_live_region_without_a_reload(
    page: Page, dashboard: str, source: HandMadeSource
) -> None:
    page.goto(dashboard)
    lamp_card = page.locator("article.blueprint")
    expect(lamp_card).to_have_attribute("data-health", "degraded")
    expect(lamp_card.locator('tr[data-field="brightness"]')).to_have_class("field different")
    page.evaluate("window.loadedOnce = true")

    source.blueprint = lamp(
        3,
        {"power": True, "brightness": 80},
        {"power": True, "brightness": 80, "observedGeneration": 3},
    )

    expect(lamp_card).to_have_attribute("data-health", "ready")
    expect(lamp_card.locator('tr[data-field="brightness"]')).to_have_class("field same")
    assert page.evaluate("window.loadedOnce") is True
    assert page.evaluate("window.pwned") is None
    screenshot(page, "handmade-live-update")


def test_a_broken_server_shows_a_banner_and_the_page_recovers(
    page: Page, dashboard: str, source: HandMadeSource
) -> None:
    page.goto(dashboard)
    banner = page.locator("#connection")
    expect(banner).to_be_hidden()
    source.failure = ColoniesConnectionError("connection refused")
    expect(banner).to_be_visible()
    expect(banner).to_contain_text("could not read the ColonyOS server")
    expect(page.locator(".error-banner")).to_contain_text("connection refused")
    source.failure = None
    expect(banner).to_be_hidden()
    expect(page.locator("article.blueprint")).to_be_visible()


def test_open_process_logs_stay_open_across_updates(
    page: Page, dashboard: str, source: HandMadeSource
) -> None:
    page.goto(f"{dashboard}/blueprints/{quote(LAMP, safe='')}")
    process = page.locator("details.process")
    process.locator("summary").click()
    expect(process.locator("ol.logs")).to_contain_text("brightness: 50 -> 80")

    source.blueprint = lamp(4, {"power": False}, degraded_status(4, power=True))

    expect(page.locator("strong.gen")).to_have_text("4")
    expect(page.locator("details.process")).to_have_attribute("open", "")


def test_force_reconcile_button_only_when_actions_are_enabled(
    page: Page, source: HandMadeSource
) -> None:
    writable = DashboardOptions("home", read_only=False, refresh_interval=0.2)
    with BackgroundServer(build_app(source, writable)) as server:
        page.goto(f"{server.url}/blueprints/{quote(LAMP, safe='')}")
        page.get_by_role("button", name="Force reconcile").click()
        eventually(lambda: source.reconciled == [LAMP])
    expect(page.locator(".mode")).to_have_text("actions enabled")
