"""``colonies-sdk diff -f PATH...``: what ``apply`` would change, field by field.

Exit status as ``kubectl diff``: 0 no differences, 1 differences, >1 an error (a flag or
document error never exits 1, so scripts can trust 1 to mean "differs").
"""

from __future__ import annotations

import typer

from colonies.cli._common import Connection, ExitCode, connected
from colonies.cli._operate import FILENAMES, VERBOSE, Report, planned
from colonies.manifests import Action

__all__ = ["register"]

HELP = """Compare manifests with the colony and print every field that differs.

Each differing object is listed with what apply would do to it, then one line per field: "~ path: server -> manifest", "+ path: value" (only in the manifest), "- path: value" (only on the server). Nothing is written.

Example:

    colonies-sdk diff -f reconcilers/colonies_home/examples/simulated.yaml

Example, in a CI job that fails when the colony has drifted from git:

    colonies-sdk diff -f manifests/ || echo "apply needed"

Exit codes: 0 no differences; 1 differences; 2 a flag or document is invalid; 3 not found; 4 refused by the server; 5 server unreachable.
"""


@connected
def diff(
    connection: Connection,
    filename: FILENAMES = [],  # noqa: B006 (typer reads the default, never mutates it)
    verbose: VERBOSE = False,
) -> None:
    report = Report()
    with planned(connection, filename, report, verbose=verbose) as (_, _, plan):
        differing = [step for step in plan.steps if step.action is not Action.UNCHANGED]
        for step in differing:
            verb = "would be created" if step.action is Action.CREATED else "differs"
            report.out.print(f"{step.label} {verb}")
            report.changes(step.changes, step.notes)
    report.exit()
    if differing:
        raise typer.Exit(ExitCode.DIFFERENT)


def register(app: typer.Typer) -> None:
    app.command("diff", help=HELP, no_args_is_help=True)(diff)
