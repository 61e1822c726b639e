"""``colonies-sdk describe``: everything about one blueprint, as the dashboard's blueprint page
shows it: spec and status side by side with drift marked, conditions, history and the recent
reconcile processes with their logs."""

from __future__ import annotations

import asyncio
from typing import Annotated

import typer
from rich.console import RenderableType
from rich.table import Table
from rich.text import Text

from colonies.cli._common import Connection, connected
from colonies.cli._inspect import (
    KindArgument,
    NameArgument,
    get_blueprint,
    local_time,
    resolve_kind,
)
from colonies.cli._render import (
    conditions_table,
    console,
    fields_table,
    health_text,
    history_table,
    process_block,
)
from colonies.inspection.reader import BlueprintReader
from colonies.inspection.views import Detail


def register(app: typer.Typer) -> None:
    app.command("describe")(describe)


@connected
def describe(
    connection: Connection,
    kind: KindArgument,
    name: NameArgument,
    processes: Annotated[
        int, typer.Option("--processes", metavar="N", min=0, help="recent processes to show")
    ] = 5,
) -> None:
    """Show one blueprint in full, as the dashboard's blueprint page does.

    Spec against status (drift marked), conditions, history, and the recent reconcile
    processes with their logs.

    Example:

        colonies-sdk describe homedevice living-room-lamp
    """
    detail = asyncio.run(_detail(connection, kind, name, processes))
    console().print(*_sections(detail))


async def _detail(connection: Connection, word: str, name: str, processes: int) -> Detail:
    colony = connection.colony
    async with connection.async_client() as client:
        kind = await resolve_kind(client, colony, word)
        await get_blueprint(client, colony, kind, name)  # a clear "not found" for a wrong kind
        return await BlueprintReader(client, colony, process_limit=processes).detail(name)


def _sections(detail: Detail) -> list[RenderableType]:
    view = detail.blueprint
    facts = Table.grid(padding=(0, 2))
    observed = "-" if view.observed_generation is None else str(view.observed_generation)
    rows: list[tuple[str, str | Text]] = [
        ("Name", view.name),
        ("Kind", view.kind),
        ("Colony", detail.colony_name),
        ("Location", view.location or "-"),
        ("Labels", ", ".join(f"{k}={v}" for k, v in sorted(view.labels.items())) or "-"),
        ("Generation", f"{view.generation} (observed {observed})"),
        ("Status", health_text(view.health)),
        ("Last reconcile", local_time(view.last_reconcile_time)),
    ]
    if view.failure:
        rows.append(("Failure", Text(view.failure, style="red")))
    elif view.last_error:
        rows.append(("Last error", Text(view.last_error, style="red")))
    for label, value in rows:
        facts.add_row(Text(f"{label}:", style="bold"), value)
    processes: list[RenderableType] = [process_block(p) for p in detail.processes]
    return [
        facts,
        _heading("Spec and status"),
        fields_table(view) if view.fields else Text("empty spec", style="dim"),
        _heading("Conditions"),
        conditions_table(view.conditions) if view.conditions else Text("none", style="dim"),
        _heading("History"),
        history_table(detail.history) if detail.history else Text("none", style="dim"),
        _heading("Recent reconciles"),
        *(processes or [Text("none found", style="dim")]),
    ]


def _heading(text: str) -> Text:
    return Text(f"\n{text}", style="bold underline")
