"""``colonies-sdk apply -f PATH...``: make the colony hold what the manifests say.

Shaped like kubectl's: flags are checked before anything is read, every document is decoded
and validated before the first write, and one bad document does not stop the others (it is
reported and the exit code says so).
"""

from __future__ import annotations

from typing import Annotated

import typer

from colonies.cli._common import SWITCH, Connection, ExitCode, connected, fail
from colonies.cli._operate import FILENAMES, VERBOSE, Report, planned
from colonies.manifests import (
    STDIN,
    Action,
    Colony,
    Manifest,
    Outcome,
    Plan,
    Selector,
    SelectorError,
    parse_selector,
)

__all__ = ["register"]

HELP = """Create or update blueprints and definitions from manifests.

Each object is reported as created, configured or unchanged; an unchanged one is not written at all (no new generation, no reconcile). Definitions go first. Every document is validated against its kind's full schema before anything is sent. An update keeps the blueprint's status.

Example, the shipped examples (the HomeDevice definition and four simulated devices):

    colonies-sdk apply -f reconcilers/colonies_home/examples/

Example, what would change, field by field, without writing:

    colonies-sdk apply -f manifests/ --dry-run

Example, keep the colony in step with a git directory, removing the room=kitchen blueprints whose manifests were deleted (asks first unless --yes):

    colonies-sdk apply -f manifests/ --prune -l room=kitchen

Exit codes: 0 all applied; 2 a document or flag is invalid (the valid documents are still applied); 4 the server refused a write; 5 server unreachable.
"""


def _check_flags(prune: bool, selector: str | None, yes: bool, paths: list[str]) -> Selector:
    """Refuse flag combinations before anything is read (kubectl's Validate)."""
    if prune and not selector:
        fail("--prune needs -l/--selector: without one it could delete every blueprint")
    if selector and not prune:
        fail("-l/--selector chooses what --prune may delete; it needs --prune")
    if yes and not prune:
        fail("--yes confirms --prune; it needs --prune")
    if prune and STDIN in paths and not yes:
        fail("--prune with -f - cannot ask for confirmation on stdin: add --yes")
    try:
        return parse_selector(selector) if selector else Selector()
    except SelectorError as error:
        fail(f"-l/--selector: {error}")


def _show_plan(plan: Plan, report: Report) -> None:
    for step in plan.steps:
        if step.blocker is not None:
            report.error(f"{step.label}: {step.blocker}", ExitCode.REFUSED)
        else:
            report.outcome(Outcome(step.label, step.action), suffix=" (dry run)")
        report.changes(step.changes, step.notes)


def _prune(
    colony: Colony,
    manifests: list[Manifest],
    selector: Selector,
    report: Report,
    *,
    dry_run: bool,
    yes: bool,
) -> None:
    if report.code is not ExitCode.OK:
        report.error(
            "not pruning: a blueprint whose document failed could look deleted; fix the "
            "errors above and apply again",
            ExitCode.USAGE,
        )
        return
    doomed = colony.prune_candidates(manifests, selector)
    if not doomed:
        return
    labels = [colony.label(blueprint) for blueprint in doomed]
    if dry_run:
        for label in labels:
            report.outcome(Outcome(label, Action.DELETED), suffix=" (dry run)")
        return
    question = (
        f"Delete {len(doomed)} blueprint(s) labelled {selector} that no manifest names: "
        f"{', '.join(labels)}?"
    )
    if not yes:
        try:
            confirmed = typer.confirm(question, default=False, err=True)
        except typer.Abort:  # end of input: nobody there to answer
            report.error(
                "no answer to the prune question: nothing pruned (--yes prunes without asking)",
                ExitCode.USAGE,
            )
            return
        if not confirmed:
            report.note("nothing pruned")
            return
    for blueprint in doomed:
        report.outcome(colony.delete(blueprint))


@connected
def apply(
    connection: Connection,
    filename: FILENAMES = [],  # noqa: B006 (typer reads the default, never mutates it)
    dry_run: Annotated[
        bool,
        typer.Option(
            "--dry-run",
            metavar=SWITCH,
            help="print what would change, field by field; send no write",
        ),
    ] = False,
    prune: Annotated[
        bool,
        typer.Option(
            "--prune",
            metavar=SWITCH,
            help="delete the blueprints matching -l that no manifest names any more",
        ),
    ] = False,
    selector: Annotated[
        str | None,
        typer.Option(
            "-l",
            "--selector",
            metavar="KEY=VALUE",
            help="labels of what --prune may delete: k=v,k!=v,k,!k",
            show_default=False,
        ),
    ] = None,
    yes: Annotated[
        bool, typer.Option("--yes", "-y", metavar=SWITCH, help="prune without asking")
    ] = False,
    verbose: VERBOSE = False,
) -> None:
    selection = _check_flags(prune, selector, yes, filename)
    report = Report()
    with planned(connection, filename, report, verbose=verbose) as (loaded, colony, plan):
        if dry_run:
            _show_plan(plan, report)
        else:
            colony.apply(plan, report.outcome)
        if prune:
            _prune(colony, loaded.manifests, selection, report, dry_run=dry_run, yes=yes)
    report.exit()


def register(app: typer.Typer) -> None:
    app.command("apply", help=HELP, no_args_is_help=True)(apply)
