"""``colonies-sdk edit KIND NAME``: edit a blueprint's spec in ``$EDITOR``, as ``kubectl edit``.

The spec is written to a temporary YAML file and the editor (``$VISUAL``, ``$EDITOR``, else
``vi``) opened on it. An unchanged file sends nothing. An edit that is not YAML, fails the
kind's schema, or meets a blueprint changed meanwhile by someone else sends nothing either,
and the file is kept so the work is not lost.
"""

from __future__ import annotations

import os
import shlex
import subprocess
import tempfile
from pathlib import Path
from typing import Any, NoReturn

import typer
import yaml

from colonies.cli._common import Connection, ExitCode, connected, fail
from colonies.cli._inspect import KindArgument, NameArgument
from colonies.cli._operate import VERBOSE, Report, find, open_colony
from colonies.manifests import (
    Action,
    Colony,
    InvalidSpecError,
    Outcome,
    spec_changes,
)
from colonies.manifests.documents import yaml_problem
from colonies.models import Blueprint

__all__ = ["register"]

HELP = """Edit a blueprint's spec in your editor; it is validated before it is sent.

The editor is $VISUAL, else $EDITOR, else vi (with arguments, e.g. EDITOR="code --wait"). Saving the file unchanged sends nothing. When the edit cannot be sent (not YAML, rejected by the kind's schema, or the blueprint changed meanwhile) the edited file is kept and its path printed.

Examples:

    colonies-sdk edit homedevice living-room-lamp

    EDITOR=nano colonies-sdk edit homedevices hallway-thermostat

Exit codes: 0 saved (or nothing changed); 2 invalid edit or editor failure; 3 not found; 4 refused by the server; 5 server unreachable.
"""


def _header(label: str, blueprint: Blueprint, colony: str) -> str:
    return (
        f"# Spec of {label} in colony {colony} (generation {blueprint.metadata.generation}).\n"
        "# Lines starting with '#' are ignored. Save unchanged to cancel; an edit that cannot\n"
        "# be sent is kept in this file.\n"
    )


def _editor() -> list[str]:
    command = os.environ.get("VISUAL") or os.environ.get("EDITOR") or "vi"
    return shlex.split(command)


def _keep(path: Path, reason: str, code: ExitCode = ExitCode.USAGE) -> NoReturn:
    fail(f"{reason}; nothing sent. Your edit is kept in {path}", code)


def _read_spec(path: Path) -> dict[str, Any]:
    try:
        spec = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as error:
        _keep(path, f"the edited file is {yaml_problem(error)}")
    if spec is None:
        return {}
    if not isinstance(spec, dict):
        _keep(path, f"the spec must be a mapping, got {type(spec).__name__}")
    return spec


def _save(
    colony: Colony, label: str, kind: str, name: str, read: Blueprint, path: Path
) -> tuple[Outcome, dict[str, Any]]:
    """Send the edited spec, unless the file or the server's copy makes that unsafe."""
    spec = _read_spec(path)
    definition, current = colony.get(kind, name)
    if current.metadata.generation != read.metadata.generation or current.spec != read.spec:
        _keep(
            path,
            f"{label} was changed on the server while you edited it (generation "
            f"{read.metadata.generation} -> {current.metadata.generation}); edit it again",
            ExitCode.REFUSED,
        )
    try:
        return colony.update_spec(definition, current, spec), spec
    except InvalidSpecError as error:
        _keep(path, str(error))


@connected
def edit(
    connection: Connection,
    kind: KindArgument,
    name: NameArgument,
    verbose: VERBOSE = False,
) -> None:
    report = Report()
    with open_colony(connection, verbose=verbose) as colony:
        _, blueprint = find(colony, kind, name)
        label = colony.label(blueprint)
        original = _header(label, blueprint, colony.name) + yaml.safe_dump(
            blueprint.spec, sort_keys=False, allow_unicode=True
        )
        handle, name_of_file = tempfile.mkstemp(
            prefix=f"{blueprint.metadata.name}-", suffix=".yaml"
        )
        path = Path(name_of_file)
        with os.fdopen(handle, "w", encoding="utf-8") as file:
            file.write(original)
        try:
            finished = subprocess.run([*_editor(), str(path)], check=False)
        except OSError as error:
            _keep(path, f"cannot start the editor {_editor()[0]!r}: {error.strerror}")
        if finished.returncode != 0:
            _keep(path, f"the editor exited with status {finished.returncode}")
        if path.read_text(encoding="utf-8") == original:
            path.unlink()
            report.note("Edit cancelled, no changes made.")
            return
        outcome, spec = _save(colony, label, kind, name, blueprint, path)
        if outcome.error is not None:
            _keep(path, f"{label}: {outcome.error}", ExitCode.REFUSED)
        path.unlink()
        report.outcome(outcome)
        if outcome.action is Action.CONFIGURED:
            report.changes(spec_changes(spec, blueprint.spec))
    report.exit()


def register(app: typer.Typer) -> None:
    app.command("edit", help=HELP, no_args_is_help=True)(edit)
