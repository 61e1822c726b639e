"""``colonies-sdk dashboard``: the live blueprint dashboard against any ColonyOS server.

Connection settings come from the same variables as the client (``COLONIES_SERVER_HOST``,
``COLONIES_SERVER_PORT``, ``COLONIES_TLS``, ``COLONIES_PRVKEY``, ``COLONIES_COLONY_NAME``)."""

from __future__ import annotations

import asyncio

import typer

from colonies.config import ClientConfig, ConfigError


def register(app: typer.Typer) -> None:
    app.command("dashboard")(dashboard)


def dashboard(
    host: str = typer.Option(
        "127.0.0.1",
        "--host",
        envvar="COLONIES_DASHBOARD_HOST",
        help="Address the dashboard listens on. Anything but loopback exposes the colony's "
        "blueprints to whoever can reach it.",
    ),
    port: int = typer.Option(
        8090, "--port", envvar="COLONIES_DASHBOARD_PORT", help="Port to listen on (0: any free)."
    ),
    colony: str | None = typer.Option(
        None, "--colony", help="Colony to show (default: COLONIES_COLONY_NAME)."
    ),
    refresh: float = typer.Option(
        1.0, "--refresh", min=0.1, help="Seconds between live updates in the browser."
    ),
    allow_actions: bool = typer.Option(
        False,
        "--allow-actions",
        help="Add a 'Force reconcile' button (off by default: the dashboard is read-only).",
    ),
) -> None:
    """Serve a live dashboard of the colony's blueprints: spec versus status, conditions,
    history and reconcile processes with their logs."""
    try:
        config = ClientConfig.from_env()
    except ConfigError as error:
        raise typer.BadParameter(str(error)) from None
    colony_name = colony or config.colony_name
    if not colony_name:
        raise typer.BadParameter("set COLONIES_COLONY_NAME or pass --colony")
    if config.key is None:
        raise typer.BadParameter(
            "set COLONIES_PRVKEY to the key of a user or executor of the colony"
        )
    asyncio.run(_serve(config, colony_name, host, port, refresh, not allow_actions))


async def _serve(
    config: ClientConfig, colony_name: str, host: str, port: int, refresh: float, read_only: bool
) -> None:
    import uvicorn

    from colonies.client import AsyncColoniesClient
    from colonies.dashboard import create_app
    from colonies.dashboard.server import bind_socket, is_loopback, socket_url, uvicorn_config

    if not is_loopback(host):
        typer.echo(
            f"warning: listening on {host}: anyone who can reach it can read the blueprints",
            err=True,
        )
    sock = bind_socket(host, port)
    try:
        async with AsyncColoniesClient.from_config(config) as client:
            app = create_app(
                lambda: client, colony_name, read_only=read_only, refresh_interval=refresh
            )
            url = socket_url(sock)
            typer.echo(f"Dashboard of colony {colony_name} ({config.base_url}): {url}/")
            await uvicorn.Server(uvicorn_config(app, host)).serve(sockets=[sock])
    finally:
        sock.close()
