"""``colonies-sdk dashboard``: the live blueprint dashboard against any ColonyOS server.

It connects like every command (``COLONIES_*`` variables, ``--server``, ``--port``,
``--colony`` ...); where it listens is ``--listen-host`` and ``--listen-port``."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Annotated

import typer

from colonies.cli._common import SWITCH, Connection, connected, fail, listen_error
from colonies.config import ClientConfig
from colonies.crypto import PrivateKey
from colonies.inspection.views import GROUP_LABEL

HELP = """Serve a live dashboard of the colony's blueprints: spec versus status, conditions,
history and reconcile processes with their logs.

The key (COLONIES_PRVKEY) must be a member's: a user or an executor of the colony.

Example:

    colonies-sdk dashboard --colony home --listen-port 8090
"""


def register(app: typer.Typer) -> None:
    app.command("dashboard", help=HELP)(dashboard)


@connected
def dashboard(
    connection: Connection,
    listen_host: Annotated[
        str,
        typer.Option(
            "--listen-host",
            envvar="COLONIES_DASHBOARD_HOST",
            metavar="ADDRESS",
            help="address to listen on; anything but loopback exposes the colony's blueprints "
            "to whoever can reach it",
        ),
    ] = "127.0.0.1",
    listen_port: Annotated[
        int,
        typer.Option(
            "--listen-port",
            envvar="COLONIES_DASHBOARD_PORT",
            metavar="PORT",
            min=0,
            max=65535,
            help="port to listen on (0: any free port)",
        ),
    ] = 8090,
    refresh: Annotated[
        float,
        typer.Option(metavar="SECONDS", min=0.1, help="seconds between live updates"),
    ] = 1.0,
    group_by: Annotated[
        str,
        typer.Option(
            "--group-by", metavar="LABEL", help="label whose value groups the cards (e.g. room)"
        ),
    ] = GROUP_LABEL,
    allow_actions: Annotated[
        bool,
        typer.Option(
            "--allow-actions",
            metavar=SWITCH,
            help="add a 'Force reconcile' button (off by default: the dashboard is read-only)",
        ),
    ] = False,
) -> None:
    colony, key = connection.colony, connection.key()
    options = _Listen(listen_host, listen_port, refresh, not allow_actions, group_by)
    asyncio.run(_serve(connection.config, key, colony, options))


@dataclass(frozen=True)
class _Listen:
    """Where and how the dashboard serves."""

    host: str
    port: int
    refresh: float
    read_only: bool
    group_by: str


async def _serve(config: ClientConfig, key: PrivateKey, colony: str, listen: _Listen) -> None:
    import uvicorn

    from colonies.client import AsyncColoniesClient
    from colonies.dashboard import create_app
    from colonies.dashboard.server import bind_socket, is_loopback, socket_url, uvicorn_config

    if not is_loopback(listen.host):
        typer.echo(
            f"warning: listening on {listen.host}: anyone who can reach it can read the blueprints",
            err=True,
        )
    try:
        sock = bind_socket(listen.host, listen.port)
    except OSError as error:
        fail(listen_error(listen.host, listen.port, error))
    try:
        async with AsyncColoniesClient.from_config(config, key=key) as client:
            app = create_app(
                lambda: client,
                colony,
                read_only=listen.read_only,
                refresh_interval=listen.refresh,
                group_by=listen.group_by,
            )
            typer.echo(f"Dashboard of colony {colony} ({config.base_url}): {socket_url(sock)}/")
            await uvicorn.Server(uvicorn_config(app, listen.host)).serve(sockets=[sock])
    finally:
        sock.close()
