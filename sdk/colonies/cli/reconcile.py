"""``colonies-sdk reconcile``: ask the server for a reconcile of one blueprint now."""

from __future__ import annotations

import asyncio
from typing import Annotated

import typer

from colonies.cli._common import SWITCH, Connection, connected
from colonies.cli._inspect import KindArgument, NameArgument, get_blueprint, resolve_kind


def register(app: typer.Typer) -> None:
    app.command("reconcile")(reconcile)


@connected
def reconcile(
    connection: Connection,
    kind: KindArgument,
    name: NameArgument,
    force: Annotated[
        bool,
        typer.Option(
            "--force",
            metavar=SWITCH,
            help="bump the generation, so the reconciler observes the device again instead "
            "of treating the request as already done",
        ),
    ] = False,
) -> None:
    """Ask the server to reconcile a blueprint now.

    Members only: COLONIES_PRVKEY must be a user's or executor's key. Follow it with `wait`
    or `describe`.

    Example:

        colonies-sdk reconcile homedevice living-room-lamp --force
    """
    typer.echo(asyncio.run(_reconcile(connection, kind, name, force)))


async def _reconcile(connection: Connection, word: str, name: str, force: bool) -> str:
    colony = connection.colony
    async with connection.async_client() as client:
        kind = await resolve_kind(client, colony, word)
        await get_blueprint(client, colony, kind, name)
        process = await client.reconcile_blueprint(colony, name, force=force)
        after = await get_blueprint(client, colony, kind, name)
    how = "forced reconcile" if force else "reconcile"
    return (
        f"{kind.ref(name)} {how} requested (process {process.process_id[:12]}, "
        f"generation {after.metadata.generation})"
    )
