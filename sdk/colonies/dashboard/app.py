"""The dashboard as an ASGI app: full pages, live HTML fragments, static assets.

Pages render their live region on the server; the browser then re-fetches only that fragment
every ``refresh_interval`` seconds (with an ETag, so unchanged content costs a 304) and swaps
it in, so updates arrive without a reload and the page still works without JavaScript."""

from __future__ import annotations

import hashlib
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Protocol
from urllib.parse import quote

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, PlainTextResponse, Response
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles

from colonies.dashboard.render import (
    Links,
    PageFrame,
    render_detail,
    render_error,
    render_overview,
    render_page,
)
from colonies.errors import (
    ColoniesConnectionError,
    ColoniesError,
    ColoniesTimeoutError,
    ForbiddenError,
    NotFoundError,
)
from colonies.inspection.views import Detail, Overview

#: Defence in depth for every HTML reply: only our own script and stylesheet may load, and no
#: other site may frame the page (the optional action button must not be clickjacked).
SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; frame-ancestors 'none'; base-uri 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}

#: A request must carry this header to trigger an action: browsers cannot add custom headers
#: to cross-site requests without a CORS preflight, which this app never grants.
ACTION_HEADER = "X-Colonies-Dashboard"


class DashboardSource(Protocol):
    """Where the dashboard's data comes from (normally :class:`ClientSource`)."""

    async def overview(self) -> Overview: ...

    async def detail(self, name: str) -> Detail: ...

    async def force_reconcile(self, name: str) -> None: ...


@dataclass(frozen=True)
class DashboardOptions:
    """Presentation and safety settings shared by every route."""

    colony_name: str
    read_only: bool = True
    refresh_interval: float = 1.0
    title: str = "ColonyOS blueprints"


def build_app(source: DashboardSource, options: DashboardOptions) -> Starlette:
    """Wire the routes around ``source``; :func:`colonies.dashboard.create_app` is the usual way."""
    pages = _Pages(source, options)
    routes: list[BaseRoute] = [
        Route("/", pages.overview_page, methods=["GET"]),
        Route("/fragments/overview", pages.overview_fragment, methods=["GET"]),
        Route("/blueprints/{name:path}", pages.detail_page, methods=["GET"]),
        Route("/fragments/blueprints/{name:path}", pages.detail_fragment, methods=["GET"]),
        Mount("/static", StaticFiles(packages=[("colonies.dashboard", "static")]), name="static"),
    ]
    if not options.read_only:
        routes.append(Route("/actions/reconcile/{name:path}", pages.reconcile, methods=["POST"]))
    return Starlette(routes=routes)


class _Pages:
    """Request handlers; each page and its fragment share one render function."""

    def __init__(self, source: DashboardSource, options: DashboardOptions) -> None:
        self._source = source
        self._options = options

    async def overview_page(self, request: Request) -> Response:
        return await self._page(request, "/fragments/overview", self._overview_body)

    async def overview_fragment(self, request: Request) -> Response:
        return await self._fragment(request, self._overview_body)

    async def detail_page(self, request: Request) -> Response:
        name = request.path_params["name"]
        return await self._page(
            request, f"/fragments/blueprints/{quote(name, safe='')}", self._detail_body
        )

    async def detail_fragment(self, request: Request) -> Response:
        return await self._fragment(request, self._detail_body)

    async def reconcile(self, request: Request) -> Response:
        if request.headers.get(ACTION_HEADER) != "1":
            return PlainTextResponse(f"missing {ACTION_HEADER} header", status_code=403)
        try:
            await self._source.force_reconcile(request.path_params["name"])
        except ColoniesError as error:
            return PlainTextResponse(_describe(error), status_code=_status_for(error))
        return PlainTextResponse("reconcile requested", status_code=202)

    async def _overview_body(self, request: Request) -> str:
        return render_overview(await self._source.overview(), _links(request, self._options))

    async def _detail_body(self, request: Request) -> str:
        detail = await self._source.detail(request.path_params["name"])
        return render_detail(detail, _links(request, self._options))

    async def _render(
        self, request: Request, body: Callable[[Request], Awaitable[str]]
    ) -> tuple[str, int]:
        try:
            return await body(request), 200
        except ColoniesError as error:
            return render_error(_describe(error)), _status_for(error)

    async def _page(
        self, request: Request, fragment_path: str, body: Callable[[Request], Awaitable[str]]
    ) -> Response:
        content, status = await self._render(request, body)
        root = request.scope.get("root_path", "")
        frame = PageFrame(
            title=self._options.title,
            colony_name=self._options.colony_name,
            read_only=self._options.read_only,
            live_url=root + fragment_path,
            interval_ms=max(100, round(self._options.refresh_interval * 1000)),
            css_url=f"{root}/static/dashboard.css",
            js_url=f"{root}/static/dashboard.js",
        )
        html = render_page(frame, _links(request, self._options), content)
        headers = {**SECURITY_HEADERS, "Cache-Control": "no-store"}
        return HTMLResponse(html, status_code=status, headers=headers)

    async def _fragment(
        self, request: Request, body: Callable[[Request], Awaitable[str]]
    ) -> Response:
        content, status = await self._render(request, body)
        etag = '"' + hashlib.sha256(content.encode()).hexdigest()[:32] + '"'
        headers = {**SECURITY_HEADERS, "ETag": etag, "Cache-Control": "no-cache"}
        if status == 200 and request.headers.get("If-None-Match") == etag:
            return Response(status_code=304, headers=headers)
        return HTMLResponse(content, status_code=status, headers=headers)


def _links(request: Request, options: DashboardOptions) -> Links:
    root = request.scope.get("root_path", "")
    return Links(
        home=f"{root}/",
        blueprint=lambda name: f"{root}/blueprints/{quote(name, safe='')}",
        reconcile=(
            None
            if options.read_only
            else lambda name: f"{root}/actions/reconcile/{quote(name, safe='')}"
        ),
    )


def _describe(error: ColoniesError) -> str:
    """A one-line reason for people; the client's messages never contain keys."""
    if isinstance(error, NotFoundError):
        return f"Not found: {error.message}"
    if isinstance(error, ForbiddenError):
        return f"Access denied (check COLONIES_PRVKEY and COLONIES_COLONY_NAME): {error.message}"
    if isinstance(error, ColoniesConnectionError | ColoniesTimeoutError):
        return f"ColonyOS server unreachable: {error.message}"
    return f"ColonyOS server error: {error}"


def _status_for(error: ColoniesError) -> int:
    """404 for a missing blueprint, 504 when the server did not answer in time, 502 (bad
    gateway) for any other upstream failure."""
    if isinstance(error, NotFoundError):
        return 404
    return 504 if isinstance(error, ColoniesTimeoutError) else 502
