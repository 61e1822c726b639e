"""What the commands that change blueprints (apply, diff, delete, set, edit) share: their
clients, manifest loading, and one way to print outcomes and field-level changes.

Output follows kubectl: ``homedevice/living-room-lamp configured`` on stdout, one line per
object; problems go to stderr as ``error: ...``. Values in diffs are JSON, so ``"50"`` and
``50`` read differently. Keys are never printed: ``--verbose`` shows message types only.
"""

from __future__ import annotations

import contextlib
import json
import sys
from collections.abc import Iterable, Iterator, Sequence
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape

from colonies.cli._common import SWITCH, Connection, ExitCode, fail
from colonies.client import ColoniesClient
from colonies.inspection.compare import FieldPair, FieldState
from colonies.manifests import (
    Action,
    Colony,
    Loaded,
    ManifestError,
    Outcome,
    Plan,
    load_manifests,
)
from colonies.models import Blueprint, BlueprintDefinition

__all__ = [
    "FILENAMES",
    "VERBOSE",
    "Report",
    "find",
    "load",
    "open_colony",
    "planned",
]

FILENAMES = Annotated[
    list[str],
    typer.Option(
        "-f",
        "--filename",
        metavar="PATH",
        help="manifest file, directory (its .yaml/.yml/.json files) or - for stdin; repeatable",
        show_default=False,
    ),
]
VERBOSE = Annotated[
    bool,
    typer.Option(
        "-v",
        "--verbose",
        metavar=SWITCH,
        help="print every request sent: message type, HTTP status, time (never a key)",
    ),
]

_STYLES = {
    Action.CREATED: "green",
    Action.CONFIGURED: "yellow",
    Action.UNCHANGED: "dim",
    Action.DELETED: "red",
}
_MARKS = {
    FieldState.LEFT_ONLY: ("+", "green"),
    FieldState.RIGHT_ONLY: ("-", "red"),
    FieldState.DIFFERENT: ("~", "yellow"),
}


def _log_request(msgtype: str, status: int, seconds: float) -> None:
    outcome = str(status) if status else "no reply"
    typer.echo(f"request {msgtype} {outcome} {seconds * 1000:.0f} ms", err=True)


@contextlib.contextmanager
def open_colony(connection: Connection, *, verbose: bool) -> Iterator[Colony]:
    """The target colony, with a member client and, when COLONIES_COLONY_PRVKEY is set, an
    owner client for definitions."""
    config = connection.config
    colony = connection.colony
    client = ColoniesClient.from_config(
        config, key=connection.key(), observer=_log_request if verbose else None
    )
    with client:
        owner = client.with_key(config.colony_key) if config.colony_key else None
        yield Colony(client, colony, owner)


@contextlib.contextmanager
def planned(
    connection: Connection, paths: Sequence[str], report: Report, *, verbose: bool
) -> Iterator[tuple[Loaded, Colony, Plan]]:
    """Load the manifests and plan them against the colony, reporting the documents refused;
    the colony stays open for the writes."""
    loaded = load(paths)
    report.invalid(loaded.errors)
    with open_colony(connection, verbose=verbose) as colony:
        plan = colony.plan(loaded.manifests)
        report.invalid(plan.errors)
        yield loaded, colony, plan


def find(colony: Colony, kind: str, name: str) -> tuple[BlueprintDefinition, Blueprint]:
    """The blueprint ``kind``/``name`` and its definition, or exit 3 naming what is missing."""
    try:
        return colony.get(kind, name)
    except LookupError as error:
        fail(str(error), ExitCode.NOT_FOUND)


def load(paths: Sequence[str]) -> Loaded:
    """Read the manifests of ``-f``; no paths at all is a usage error."""
    if not paths:
        raise typer.BadParameter("give at least one manifest", param_hint="'-f' / '--filename'")
    return load_manifests(paths, sys.stdin)


def _value(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


def _change_line(pair: FieldPair) -> str:
    mark, style = _MARKS[pair.state]
    if pair.state is FieldState.DIFFERENT:
        text = f"{pair.path}: {_value(pair.right)} -> {_value(pair.left)}"
    else:
        text = f"{pair.path}: {_value(pair.left if pair.has_left else pair.right)}"
    return f"  [{style}]{mark} {escape(text)}[/]"


class Report:
    """Prints outcomes as they happen and remembers the worst exit code."""

    def __init__(self) -> None:
        self.out = Console(highlight=False, soft_wrap=True)
        self.err = Console(stderr=True, highlight=False, soft_wrap=True)
        self.code = ExitCode.OK

    def _worse(self, code: ExitCode) -> None:
        if self.code is ExitCode.OK or code is ExitCode.USAGE:
            self.code = code

    def invalid(self, errors: Iterable[ManifestError]) -> None:
        """Documents that cannot be applied: usage errors (exit 2)."""
        for error in errors:
            self.error(str(error), ExitCode.USAGE)

    def error(self, message: str, code: ExitCode) -> None:
        self.err.print(f"[red]error:[/] {escape(message)}")
        self._worse(code)

    def outcome(self, outcome: Outcome, *, suffix: str = "") -> None:
        if outcome.error is not None:
            code = ExitCode.NOT_FOUND if outcome.not_found else ExitCode.REFUSED
            self.error(f"{outcome.label}: {outcome.error}", code)
            return
        assert outcome.action is not None
        style = _STYLES[outcome.action]
        self.out.print(f"{escape(outcome.label)} [{style}]{outcome.action}{suffix}[/]")

    def changes(self, pairs: Iterable[FieldPair], notes: Iterable[str] = ()) -> None:
        for pair in pairs:
            self.out.print(_change_line(pair))
        for note in notes:
            self.out.print(f"  [yellow]~ schema {escape(note)}[/]")

    def note(self, message: str) -> None:
        self.err.print(escape(message))

    def exit(self) -> None:
        """End the command with the worst code seen (0 when all went well)."""
        if self.code is not ExitCode.OK:
            raise typer.Exit(self.code)
