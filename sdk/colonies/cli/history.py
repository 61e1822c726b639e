"""``colonies-sdk history``: the spec revisions of a blueprint, newest first, each with what it
changed compared with the one before."""

from __future__ import annotations

import asyncio
from typing import Annotated

import typer

from colonies.cli._common import Connection, connected
from colonies.cli._inspect import KindArgument, NameArgument, get_blueprint, resolve_kind
from colonies.cli._render import console, history_table
from colonies.inspection.reader import BlueprintReader
from colonies.inspection.views import HistoryEntryView


def register(app: typer.Typer) -> None:
    app.command("history")(history)


@connected
def history(
    connection: Connection,
    kind: KindArgument,
    name: NameArgument,
    limit: Annotated[
        int, typer.Option("--limit", metavar="N", min=0, help="newest N revisions (0: all)")
    ] = 20,
) -> None:
    """Show a blueprint's spec revisions, newest first, with what each one changed.

    Example:

        colonies-sdk history homedevice living-room-lamp --limit 5
    """
    entries = asyncio.run(_entries(connection, kind, name, limit))
    console().print(history_table(entries))


async def _entries(
    connection: Connection, word: str, name: str, limit: int
) -> list[HistoryEntryView]:
    colony = connection.colony
    async with connection.async_client() as client:
        kind = await resolve_kind(client, colony, word)
        blueprint = await get_blueprint(client, colony, kind, name)
        return await BlueprintReader(client, colony).history(blueprint, limit)
