"""The dashboard against a ColonyOS server (the `colony` fixture) with a running reconciler,
seen through a real headless Chromium: the page lists the blueprints, a spec change shows
drift then convergence without a reload, and a failing device shows its Degraded condition."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass

import httpx
import pytest
from playwright.async_api import Locator, Page, expect

from colonies.dashboard import create_app, serve_in_background
from colonies.testing.runner import ReconcilerRunner
from colonies.testing.targets import ThrowawayColony, unique_kind
from tests.dashboard.bulbs import Bulbs
from tests.dashboard.conftest import screenshot


@dataclass
class Live:
    url: str
    runner: ReconcilerRunner
    bulbs: Bulbs


@pytest.fixture
async def live(colony: ThrowawayColony, monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[Live]:
    """A reconciler for DashBulb blueprints and a dashboard reading as the colony's user.

    The kind is new to the server: a real server picks the handler for a reconcile by kind
    in any colony (protocol 7.5)."""
    monkeypatch.setattr(Bulbs, "kind", unique_kind("DashBulb"))
    bulbs = Bulbs()
    async with (
        ReconcilerRunner(bulbs, colony) as runner,
        colony.async_client(colony.user_key) as client,
        serve_in_background(create_app(lambda: client, colony.name, refresh_interval=0.2)) as url,
    ):
        yield Live(url, runner, bulbs)


def card(page: Page, name: str) -> Locator:
    return page.locator(f'article[data-blueprint="{name}"]')


async def test_spec_change_shows_drift_then_convergence_without_a_reload(
    page: Page, live: Live
) -> None:
    await live.runner.set_spec("kitchen-lamp", {"power": True, "brightness": 50})
    await live.runner.set_spec("hall-light", {"power": False})
    await live.runner.wait_converged("kitchen-lamp")
    await live.runner.wait_converged("hall-light")

    await page.goto(live.url)
    group = page.locator(f'section.group[data-kind="{Bulbs.kind}"] h2')
    await expect(group).to_have_text(Bulbs.kind)
    await expect(card(page, "kitchen-lamp")).to_have_attribute("data-health", "ready")
    await expect(card(page, "hall-light")).to_have_attribute("data-health", "ready")
    await page.evaluate("window.loadedOnce = true")

    live.bulbs.gate.clear()  # hold the device change so the page shows the drift
    await live.runner.set_spec("kitchen-lamp", {"power": True, "brightness": 80})
    lamp = card(page, "kitchen-lamp")
    brightness = lamp.locator('tr[data-field="brightness"]')
    await expect(lamp).to_have_attribute("data-health", "reconciling")
    await expect(brightness).to_have_class("field different")
    await expect(brightness.locator("td.desired")).to_have_text("80")
    await expect(brightness.locator("td.observed")).to_have_text("50")
    await expect(lamp.locator("strong.gen")).to_have_text("1")
    await expect(lamp.locator("strong.observed-gen")).to_have_text("0")
    await screenshot(page, "live-drift")

    live.bulbs.gate.set()
    await expect(lamp).to_have_attribute("data-health", "ready")
    await expect(brightness).to_have_class("field same")
    await expect(brightness.locator("td.observed")).to_have_text("80")
    await expect(lamp.locator("strong.observed-gen")).to_have_text("1")
    await expect(lamp.locator('li.condition[data-type="Ready"]')).to_have_class("condition true")
    assert await page.evaluate("window.loadedOnce") is True, "the page was reloaded"
    await screenshot(page, "live-converged")


async def test_a_failing_device_shows_degraded_then_recovers(page: Page, live: Live) -> None:
    live.bulbs.unreachable.add("porch-light")
    await live.runner.set_spec("porch-light", {"power": True})
    await live.runner.wait_settled("porch-light")

    await page.goto(live.url)
    porch = card(page, "porch-light")
    degraded = porch.locator('li.condition[data-type="Degraded"]')
    await expect(porch).to_have_attribute("data-health", "degraded")
    await expect(degraded).to_have_class("condition true")
    await expect(degraded.locator(".reason")).to_have_text("TemporaryError")
    await expect(degraded.locator(".message")).to_contain_text("does not answer")
    await expect(porch.locator(".last-error dd")).to_contain_text(
        "bulb porch-light does not answer"
    )
    await screenshot(page, "live-degraded")

    live.bulbs.unreachable.clear()
    await live.runner.client.reconcile_blueprint(live.runner.colony_name, "porch-light", force=True)
    await expect(porch).to_have_attribute("data-health", "ready")
    await expect(degraded).to_have_class("condition false")


async def test_blueprint_page_shows_history_and_reconciles_with_logs_and_no_keys(
    page: Page, live: Live, colony: ThrowawayColony
) -> None:
    await live.runner.set_spec("desk-lamp", {"power": True, "brightness": 30})
    await live.runner.wait_converged("desk-lamp")
    await live.runner.set_spec("desk-lamp", {"power": True, "brightness": 70})
    await live.runner.wait_converged("desk-lamp")

    await page.goto(live.url)
    await card(page, "desk-lamp").get_by_role("link", name="desk-lamp").click()
    await expect(page).to_have_url(f"{live.url}/blueprints/desk-lamp")
    latest = page.locator('li.revision[data-generation="1"]')
    await expect(latest.locator('li[data-field="brightness"]')).to_have_text("brightness 30 → 70")
    await expect(page.locator('li.revision[data-generation="0"] .change')).to_have_text("create")
    processes = page.locator("details.process")
    await expect(processes.first).to_be_visible()
    assert await processes.count() >= 2
    newest = processes.first
    await expect(newest.locator(".badge")).to_have_text("SUCCESS")
    await newest.locator("summary").click()
    # the runtime's close lists each change in the output (no separate process-log call)
    await expect(newest).to_contain_text("changed brightness: 30 -> 70")
    await screenshot(page, "live-detail")

    secrets = [k.hex() for k in (colony.owner_key, colony.user_key, colony.executor_key)]
    async with httpx.AsyncClient(base_url=live.url) as http:
        for path in ("/", "/fragments/overview", "/blueprints/desk-lamp", "/blueprints/nope"):
            body = (await http.get(path)).text
            assert all(secret not in body for secret in secrets), path
    rendered = await page.content()
    assert all(secret not in rendered for secret in secrets)


async def test_cards_group_by_the_label_the_dashboard_was_given(
    colony: ThrowawayColony, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(Bulbs, "kind", unique_kind("DashBulb"))
    async with ReconcilerRunner(Bulbs(), colony) as runner:
        await runner.set_spec("pond-light", {"power": True}, labels={"area": "garden"})
        await runner.set_spec("desk-light", {"power": True}, labels={"room": "office"})
        app = create_app(lambda: runner.client, colony.name, group_by="area")
        async with serve_in_background(app) as url, httpx.AsyncClient(base_url=url) as http:
            page = (await http.get("/")).text
    garden = page.split('data-group="garden"', 1)[1].split("</section>", 1)[0]
    assert 'data-blueprint="pond-light"' in garden
    assert 'data-blueprint="desk-light"' in page.split('data-group=""', 1)[1]
