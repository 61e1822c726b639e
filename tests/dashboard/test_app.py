"""The ASGI app with hand-made blueprint data: pages, live fragments, escaping, actions, mounting."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest
from starlette.applications import Starlette
from starlette.routing import Mount

from colonies.dashboard.app import ACTION_HEADER, DashboardOptions, build_app
from colonies.dashboard.views import (
    Detail,
    LogLine,
    Overview,
    ProcessView,
    blueprint_view,
    group_blueprints,
    history_views,
)
from colonies.errors import ColoniesConnectionError, NotFoundError


class HandMadeSource:
    """Fixed data in, so the tests see exactly what the page does with it."""

    def __init__(self) -> None:
        self.failure: Exception | None = None
        self.reconciled: list[str] = []
        self.lamp = blueprint_view(
            name="lamp <b>1</b>",
            kind="HomeDevice",
            location="Kitchen",
            labels={"room": "kitchen"},
            generation=3,
            spec={"power": True, "brightness": 80, "note": "<script>alert(1)</script>"},
            status={
                "power": True,
                "brightness": 50,
                "observedGeneration": 2,
                "conditions": [
                    {
                        "type": "Degraded",
                        "status": "True",
                        "reason": "DeviceUnreachable",
                        "message": "no answer from the bulb",
                        "lastTransitionTime": "2026-01-02T03:04:05Z",
                    }
                ],
                "lastError": "no answer from the bulb",
            },
        )

    async def overview(self) -> Overview:
        if self.failure:
            raise self.failure
        return Overview("home", group_blueprints([self.lamp]))

    async def detail(self, name: str) -> Detail:
        if name != self.lamp.name:
            raise NotFoundError("Blueprint not found", status=404)
        history = history_views(
            [
                (3, "update", "2026-01-02T03:04:00Z", "ab" * 32, {"brightness": 80}),
                (0, "create", "2026-01-01T00:00:00Z", "ab" * 32, {"brightness": 50}),
            ]
        )
        process = ProcessView(
            process_id="f" * 64,
            func_name="reconcile",
            state="FAILED",
            forced=False,
            submitted="2026-01-02T03:04:01Z",
            ended="2026-01-02T03:04:02Z",
            errors=["no answer from the bulb"],
            output=[],
            logs=[LogLine("2026-01-02T03:04:01Z", "reconciler-0", "brightness: 50 -> 80")],
        )
        return Detail("home", self.lamp, history, [process])

    async def force_reconcile(self, name: str) -> None:
        self.reconciled.append(name)


@pytest.fixture
def source() -> HandMadeSource:
    return HandMadeSource()


async def client_for(app: Starlette) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://dash")


@pytest.fixture
async def dash(source: HandMadeSource) -> AsyncIterator[httpx.AsyncClient]:
    async with await client_for(build_app(source, DashboardOptions("home"))) as client:
        yield client


async def test_overview_page_shows_groups_drift_conditions_and_escapes_everything(
    dash: httpx.AsyncClient,
) -> None:
    page = await dash.get("/")
    assert page.status_code == 200
    html = page.text
    assert 'data-kind="HomeDevice" data-location="Kitchen"' in html
    assert '<tr class="field different" data-field="brightness">' in html
    assert '<tr class="field same" data-field="power">' in html
    assert 'data-health="degraded"' in html
    assert '<span class="reason">DeviceUnreachable</span>' in html
    assert "lamp &lt;b&gt;1&lt;/b&gt;" in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<script>alert" not in html
    assert 'href="/blueprints/lamp%20%3Cb%3E1%3C%2Fb%3E"' in html
    assert 'data-live-url="/fragments/overview"' in html


async def test_fragment_carries_an_etag_and_answers_304_while_unchanged(
    dash: httpx.AsyncClient, source: HandMadeSource
) -> None:
    first = await dash.get("/fragments/overview")
    assert first.status_code == 200
    assert "<html" not in first.text
    etag = first.headers["ETag"]
    again = await dash.get("/fragments/overview", headers={"If-None-Match": etag})
    assert again.status_code == 304
    source.lamp = blueprint_view(
        name="lamp",
        kind="HomeDevice",
        location=None,
        labels=None,
        generation=1,
        spec={},
        status=None,
    )
    changed = await dash.get("/fragments/overview", headers={"If-None-Match": etag})
    assert changed.status_code == 200
    assert changed.headers["ETag"] != etag


async def test_detail_page_has_history_processes_and_logs(dash: httpx.AsyncClient) -> None:
    page = await dash.get("/blueprints/lamp%20%3Cb%3E1%3C%2Fb%3E")
    assert page.status_code == 200
    html = page.text
    assert 'data-live-url="/fragments/blueprints/lamp%20%3Cb%3E1%3C%2Fb%3E"' in html
    assert '<li class="revision" data-generation="3">' in html
    assert '<li data-field="brightness"><code>brightness</code> 50 → 80</li>' in html
    assert f'data-process="{"f" * 64}"' in html
    assert "brightness: 50 -&gt; 80" in html
    assert "Force reconcile" not in html


async def test_unknown_blueprint_is_a_404_page(dash: httpx.AsyncClient) -> None:
    page = await dash.get("/blueprints/nope")
    assert page.status_code == 404
    assert "Not found: Blueprint not found" in page.text


async def test_server_errors_become_a_banner_and_a_502(
    dash: httpx.AsyncClient, source: HandMadeSource
) -> None:
    source.failure = ColoniesConnectionError("connection refused")
    fragment = await dash.get("/fragments/overview")
    assert fragment.status_code == 502
    assert "ColonyOS server unreachable: connection refused" in fragment.text


async def test_read_only_by_default_refuses_actions(
    dash: httpx.AsyncClient, source: HandMadeSource
) -> None:
    response = await dash.post("/actions/reconcile/lamp", headers={ACTION_HEADER: "1"})
    assert response.status_code in (404, 405)
    assert source.reconciled == []


async def test_actions_need_the_opt_in_and_the_anti_forgery_header(source: HandMadeSource) -> None:
    app = build_app(source, DashboardOptions("home", read_only=False))
    async with await client_for(app) as client:
        page = await client.get("/blueprints/lamp%20%3Cb%3E1%3C%2Fb%3E")
        assert 'data-reconcile-url="/actions/reconcile/lamp%20%3Cb%3E1%3C%2Fb%3E"' in page.text
        forged = await client.post("/actions/reconcile/lamp")
        assert forged.status_code == 403
        accepted = await client.post(
            "/actions/reconcile/lamp%20%3Cb%3E1%3C%2Fb%3E", headers={ACTION_HEADER: "1"}
        )
        assert accepted.status_code == 202
    assert source.reconciled == ["lamp <b>1</b>"]


async def test_mounted_under_a_prefix_every_link_keeps_the_prefix(source: HandMadeSource) -> None:
    host = Starlette(routes=[Mount("/dashboard", build_app(source, DashboardOptions("home")))])
    async with await client_for(host) as client:
        html = (await client.get("/dashboard/")).text
        assert 'href="/dashboard/static/dashboard.css"' in html
        assert 'src="/dashboard/static/dashboard.js"' in html
        assert 'data-live-url="/dashboard/fragments/overview"' in html
        assert 'href="/dashboard/blueprints/lamp%20%3Cb%3E1%3C%2Fb%3E"' in html
        assert (await client.get("/dashboard/static/dashboard.js")).status_code == 200
        assert (await client.get("/dashboard/fragments/overview")).status_code == 200
