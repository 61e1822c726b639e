"""A live, read-only web dashboard of a colony's blueprints (``colonies-sdk dashboard``)."""

from __future__ import annotations

from collections.abc import Callable

from starlette.applications import Starlette

from colonies.client import AsyncColoniesClient
from colonies.dashboard.app import DashboardOptions, build_app
from colonies.dashboard.server import serve_in_background
from colonies.dashboard.source import ClientSource
from colonies.inspection.views import GROUP_LABEL

__all__ = ["create_app", "serve_in_background"]


def create_app(
    client_factory: Callable[[], AsyncColoniesClient],
    colony_name: str,
    *,
    read_only: bool = True,
    refresh_interval: float = 1.0,
    title: str = "ColonyOS blueprints",
    group_by: str = GROUP_LABEL,
) -> Starlette:
    """The dashboard as an ASGI app, to serve alone or mount (``Mount("/dashboard", app)``).

    ``client_factory`` is called once, on the first request; the caller keeps ownership of the
    client it returns (and closes it). The signing key must belong to a member of the colony
    (a user or executor); it never appears in a page, a reply or an error.
    ``read_only=False`` adds a "Force reconcile" button per blueprint. Cards of a kind and
    location are grouped by the value of the label ``group_by`` (``room``).
    """
    source = ClientSource(client_factory, colony_name, group_label=group_by)
    options = DashboardOptions(
        colony_name=colony_name,
        read_only=read_only,
        refresh_interval=refresh_interval,
        title=title,
    )
    return build_app(source, options)
