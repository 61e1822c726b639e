"""``colonies-sdk delete KIND NAME`` or ``delete -f PATH...``: remove blueprints (and, from
manifests, their definitions). The server then submits each blueprint's cleanup process."""

from __future__ import annotations

from typing import Annotated

import typer

from colonies.cli._common import Connection, connected, fail
from colonies.cli._operate import FILENAMES, VERBOSE, Report, find, load, open_colony

__all__ = ["register"]

HELP = """Delete a blueprint by kind and name, or everything some manifests name.

KIND is any spelling the kind's definition declares (HomeDevice, homedevice, homedevices). With -f, blueprints go first and definitions after them (the server refuses to remove a definition while blueprints of its kind exist); removing a definition needs the colony owner key (COLONIES_COLONY_PRVKEY).

Examples:

    colonies-sdk delete homedevice living-room-lamp

    colonies-sdk delete -f reconcilers/colonies_home/examples/simulated.yaml

Exit codes: 0 deleted; 2 invalid arguments or documents; 3 not found; 4 refused by the server; 5 server unreachable.
"""


@connected
def delete(
    connection: Connection,
    kind: Annotated[
        str | None, typer.Argument(metavar="KIND", help="blueprint kind (not with -f)")
    ] = None,
    name: Annotated[str | None, typer.Argument(metavar="NAME", help="blueprint name")] = None,
    filename: FILENAMES = [],  # noqa: B006 (typer reads the default, never mutates it)
    verbose: VERBOSE = False,
) -> None:
    if filename and kind:
        fail("give KIND NAME or -f PATH, not both")
    report = Report()
    if filename:
        loaded = load(filename)
        report.invalid(loaded.errors)
        with open_colony(connection, verbose=verbose) as colony:
            for outcome in colony.delete_manifests(loaded.manifests):
                report.outcome(outcome)
    elif kind and name:
        with open_colony(connection, verbose=verbose) as colony:
            _, blueprint = find(colony, kind, name)
            report.outcome(colony.delete(blueprint))
    else:
        fail("give KIND NAME, or -f PATH")
    report.exit()


def register(app: typer.Typer) -> None:
    app.command("delete", help=HELP, no_args_is_help=True)(delete)
