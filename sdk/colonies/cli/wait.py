"""``colonies-sdk wait``: block until a blueprint's condition holds for its current generation
(or until it is deleted), as ``kubectl wait`` does.

The rules are :mod:`colonies.inspection.conditions`': a condition counts only once its
observedGeneration reached the spec's generation, so ``wait`` right after ``apply`` or ``set``
cannot pass on the previous Ready; a terminal failure ends the wait at once with its message."""

from __future__ import annotations

import asyncio
from typing import Annotated

import typer

from colonies.cli._common import Connection, ExitCode, connected, fail
from colonies.cli._inspect import (
    KindArgument,
    KindRef,
    NameArgument,
    find_blueprint,
    get_blueprint,
    parse_duration,
    resolve_kind,
)
from colonies.client import AsyncColoniesClient
from colonies.inspection.conditions import WantedCondition
from colonies.inspection.waiting import (
    Fetch,
    WaitError,
    wait_for_condition,
    wait_for_deletion,
)

_DELETE = "delete"
_CONDITION = "condition="


def register(app: typer.Typer) -> None:
    app.command("wait")(wait)


def _wanted(text: str) -> WantedCondition | None:
    """``--for``: ``condition=TYPE[=STATUS]``, or ``delete`` (``None``)."""
    if text.lower() == _DELETE:
        return None
    if not text.lower().startswith(_CONDITION):
        raise typer.BadParameter(
            f"{text!r}: expected condition=TYPE[=STATUS] or delete", param_hint="'--for'"
        )
    try:
        return WantedCondition.parse(text[len(_CONDITION) :])
    except ValueError as error:
        raise typer.BadParameter(f"condition={error}", param_hint="'--for'") from None


@connected
def wait(
    connection: Connection,
    kind: KindArgument,
    name: NameArgument,
    for_: Annotated[
        str,
        typer.Option(
            "--for",
            metavar="CONDITION",
            help="condition=TYPE[=STATUS] (STATUS defaults to True; case-insensitive) or delete",
        ),
    ] = "condition=Ready",
    timeout: Annotated[
        str, typer.Option("--timeout", metavar="DURATION", help="give up after this (30s, 2m, 1h)")
    ] = "30s",
) -> None:
    """Wait for a blueprint's condition (for its current generation) or its deletion.

    Exits 0 when it holds; 1 on timeout, or at once when the current generation failed for
    good (condition Failed), with the condition's message.

    Example:

        colonies-sdk wait homedevice living-room-lamp --for condition=Ready --timeout 60s
    """
    wanted = _wanted(for_)
    seconds = parse_duration(timeout)
    typer.echo(asyncio.run(_wait(connection, kind, name, wanted, seconds)))


async def _wait(
    connection: Connection, word: str, name: str, wanted: WantedCondition | None, timeout: float
) -> str:
    colony = connection.colony
    async with connection.async_client() as client:
        kind = await resolve_kind(client, colony, word)
        fetch = _fetcher(client, colony, kind, name)
        ref = kind.ref(name)
        try:
            if wanted is None:
                await wait_for_deletion(fetch, timeout=timeout, what=ref)
                return f"{ref} deleted"
            await get_blueprint(client, colony, kind, name)
            await wait_for_condition(fetch, wanted, timeout=timeout, what=ref)
        except WaitError as error:
            fail(str(error), ExitCode.DIFFERENT)
    return f"{ref} condition met ({wanted})"


def _fetcher(client: AsyncColoniesClient, colony: str, kind: KindRef, name: str) -> Fetch:
    return lambda: find_blueprint(client, colony, kind, name)
