"""``colonies-sdk get``: list blueprints (or show one) as a table, YAML or JSON, optionally
watching for changes. The table shows what the dashboard's cards show (one model serves both)."""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from typing import Annotated, Any

import typer
import yaml
from rich.live import Live
from rich.table import Table

from colonies.cli._common import SWITCH, Connection, connected, fail
from colonies.cli._inspect import KindRef, get_blueprint, resolve_kind
from colonies.cli._render import blueprints_table, console
from colonies.client import AsyncColoniesClient
from colonies.inspection.views import blueprint_view
from colonies.manifests.selectors import Selector, SelectorError, parse_selector
from colonies.models import Blueprint


class Output(StrEnum):
    TABLE = "table"
    WIDE = "wide"
    YAML = "yaml"
    JSON = "json"


def register(app: typer.Typer) -> None:
    app.command("get")(get)


@connected
def get(
    connection: Connection,
    kind: Annotated[
        str | None,
        typer.Argument(metavar="KIND", help="blueprint kind: kind, singular or plural name"),
    ] = None,
    name: Annotated[
        str | None, typer.Argument(metavar="NAME", help="one blueprint (default: all of KIND)")
    ] = None,
    output: Annotated[
        Output, typer.Option("-o", "--output", metavar="FORMAT", help="table, wide, yaml or json")
    ] = Output.TABLE,
    selector: Annotated[
        str | None,
        typer.Option("-l", "--selector", metavar="SELECTOR", help="labels to match: k=v,k!=v,k,!k"),
    ] = None,
    all_kinds: Annotated[
        bool, typer.Option("-A", "--all-kinds", metavar=SWITCH, help="blueprints of every kind")
    ] = False,
    watch: Annotated[
        bool,
        typer.Option(
            "-w", "--watch", metavar=SWITCH, help="redraw the table on change (Ctrl-C ends)"
        ),
    ] = False,
    interval: Annotated[
        float,
        typer.Option("--interval", metavar="SECONDS", min=0.1, help="poll interval of --watch"),
    ] = 1.0,
) -> None:
    """List blueprints, or show one, as a table, YAML or JSON.

    The table has name, location, generation, observed generation, Ready, status (the
    dashboard's health word) and the time since the last reconcile.

    Example:

        colonies-sdk get homedevices -l room=kitchen

        colonies-sdk get homedevice living-room-lamp -o yaml

        colonies-sdk get -A --watch
    """
    if all_kinds and kind is not None:
        fail("give either KIND or -A/--all-kinds, not both")
    if not all_kinds and kind is None:
        fail("give a KIND (e.g. homedevice) or -A/--all-kinds for every kind")
    if watch and output in (Output.YAML, Output.JSON):
        fail("--watch redraws a table: it cannot be used with -o yaml or -o json")
    try:
        labels = parse_selector(selector) if selector else Selector()
    except SelectorError as error:
        raise typer.BadParameter(str(error), param_hint="'-l' / '--selector'") from None
    query = _Query(connection.colony, kind, name, labels)
    try:
        asyncio.run(_main(connection, query, output, watch, interval))
    except KeyboardInterrupt:
        if not watch:
            raise  # --watch ends with Ctrl-C by design; anything else was interrupted


@dataclass(frozen=True)
class _Query:
    """Which blueprints ``get`` shows."""

    colony: str
    kind_word: str | None
    name: str | None
    labels: Selector

    async def fetch(self, client: AsyncColoniesClient, kind: KindRef | None) -> list[Blueprint]:
        if kind is not None and self.name is not None:
            return [await get_blueprint(client, self.colony, kind, self.name)]
        found = await client.get_blueprints(self.colony, kind.kind if kind else None)
        return [b for b in found if self.labels.matches(b.metadata.labels)]


async def _main(
    connection: Connection, query: _Query, output: Output, watch: bool, interval: float
) -> None:
    async with connection.async_client() as client:
        kind = None
        if query.kind_word is not None:
            kind = await resolve_kind(client, query.colony, query.kind_word)
        if watch:
            await _watch(client, query, kind, output is Output.WIDE, interval)
            return
        blueprints = await query.fetch(client, kind)
        if output in (Output.YAML, Output.JSON):
            typer.echo(_documents(blueprints, output, single=query.name is not None), nl=False)
        elif not blueprints:
            what = f"{kind.kind} blueprints" if kind else "blueprints"
            typer.echo(f"No {what} found in colony {query.colony}.", err=True)  # as kubectl
        else:
            console().print(_table(blueprints, kind is None, output is Output.WIDE))


def _table(blueprints: Sequence[Blueprint], with_kind: bool, wide: bool) -> Table:
    views = [blueprint_view(b) for b in blueprints]
    return blueprints_table(views, with_kind=with_kind, wide=wide, now=datetime.now(UTC))


def _documents(blueprints: Sequence[Blueprint], output: Output, *, single: bool) -> str:
    """The stored documents, in a shape ``apply -f`` reads back (server fields are ignored)."""
    documents: list[dict[str, Any]] = [b.to_wire() for b in blueprints]
    if output is Output.JSON:
        return json.dumps(documents[0] if single else documents, indent=2) + "\n"
    return yaml.safe_dump_all(documents, sort_keys=False, allow_unicode=True)


async def _watch(
    client: AsyncColoniesClient, query: _Query, kind: KindRef | None, wide: bool, interval: float
) -> None:
    """In a terminal, redraw the table in place (rich Live) on every poll, so ages tick; piped,
    print the table again only when a blueprint changed, as ``kubectl get -w`` does."""
    out = console()
    live = Live(console=out, auto_refresh=False) if out.is_terminal else None
    last: list[dict[str, Any]] | None = None
    with live or contextlib.nullcontext():
        while True:
            blueprints = await query.fetch(client, kind)
            documents = [b.to_wire() for b in blueprints]
            if live is not None:
                live.update(_table(blueprints, kind is None, wide), refresh=True)
            elif documents != last:
                out.print(_table(blueprints, kind is None, wide))
                out.file.flush()
            last = documents
            await asyncio.sleep(interval)
