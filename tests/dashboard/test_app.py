"""The ASGI app with hand-made blueprint data: pages, live fragments, escaping, actions, mounting."""

from __future__ import annotations

from collections.abc import AsyncIterator
from urllib.parse import quote

import httpx
import pytest
from starlette.applications import Starlette
from starlette.routing import Mount

from colonies.dashboard.app import ACTION_HEADER, DashboardOptions, build_app
from colonies.dashboard.server import serve_in_background
from colonies.errors import ColoniesConnectionError
from tests.dashboard.handmade import LAMP, HandMadeSource, lamp

LAMP_PATH = quote(LAMP, safe="")


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
    assert "&lt;script&gt;window.pwned = 1&lt;/script&gt;" in html
    assert "<script>window" not in html
    assert f'href="/blueprints/{LAMP_PATH}"' in html
    assert 'data-live-url="/fragments/overview"' in html
    assert page.headers["Content-Security-Policy"].startswith("default-src 'self'")
    assert "Status and conditions are of generation 2." in html  # the spec is generation 3
    assert (
        '<section class="group" data-kind="HomeDevice" data-location="Kitchen" data-group="kitchen">'
        in html
    )
    assert '<time datetime="2026-01-02T03:04:05+00:00">2026-01-02 03:04:05 UTC</time>' in html


async def test_fragment_carries_an_etag_and_answers_304_while_unchanged(
    dash: httpx.AsyncClient, source: HandMadeSource
) -> None:
    first = await dash.get("/fragments/overview")
    assert first.status_code == 200
    assert "<html" not in first.text
    etag = first.headers["ETag"]
    again = await dash.get("/fragments/overview", headers={"If-None-Match": etag})
    assert again.status_code == 304
    source.blueprint = lamp(4, {"power": False}, None)
    changed = await dash.get("/fragments/overview", headers={"If-None-Match": etag})
    assert changed.status_code == 200
    assert changed.headers["ETag"] != etag


async def test_detail_page_has_history_processes_and_logs(dash: httpx.AsyncClient) -> None:
    page = await dash.get(f"/blueprints/{LAMP_PATH}")
    assert page.status_code == 200
    html = page.text
    assert f'data-live-url="/fragments/blueprints/{LAMP_PATH}"' in html
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
        page = await client.get(f"/blueprints/{LAMP_PATH}")
        assert f'data-reconcile-url="/actions/reconcile/{LAMP_PATH}"' in page.text
        forged = await client.post("/actions/reconcile/lamp")
        assert forged.status_code == 403
        accepted = await client.post(
            f"/actions/reconcile/{LAMP_PATH}", headers={ACTION_HEADER: "1"}
        )
        assert accepted.status_code == 202
    assert source.reconciled == [LAMP]


async def test_mounted_under_a_prefix_every_link_keeps_the_prefix(source: HandMadeSource) -> None:
    host = Starlette(routes=[Mount("/dashboard", build_app(source, DashboardOptions("home")))])
    async with await client_for(host) as client:
        html = (await client.get("/dashboard/")).text
        assert 'href="/dashboard/static/dashboard.css"' in html
        assert 'src="/dashboard/static/dashboard.js"' in html
        assert 'data-live-url="/dashboard/fragments/overview"' in html
        assert f'href="/dashboard/blueprints/{LAMP_PATH}"' in html
        assert (await client.get("/dashboard/static/dashboard.js")).status_code == 200
        assert (await client.get("/dashboard/fragments/overview")).status_code == 200


async def test_on_loopback_only_loopback_host_names_are_answered(source: HandMadeSource) -> None:
    """A web page that rebinds its own DNS name to 127.0.0.1 still cannot read the dashboard."""
    async with (
        serve_in_background(build_app(source, DashboardOptions("home"))) as url,
        httpx.AsyncClient(base_url=url) as http,
    ):
        assert (await http.get("/")).status_code == 200
        assert (await http.get("/", headers={"Host": "localhost"})).status_code == 200
        rebound = await http.get("/", headers={"Host": "attacker.example:8090"})
        assert rebound.status_code == 400
