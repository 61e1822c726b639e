"""``colonies-sdk definition show|diff|upgrade KIND``: a kind's definition for operators.

A v1.9.12 server cannot update a definition; an upgrade adds one that takes precedence
(:mod:`colonies.runtime.definition_upgrade`). ``diff`` says what an upgrade would change
and which stored blueprints would block it; ``upgrade`` does it with the colony owner key.
The new definition comes from a reconciler (``--reconciler MODULE:CLASS``, as the runtime
would register it) or from a definition manifest (``-f definition.yaml``).
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Annotated, Literal

import typer
import yaml
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from colonies.cli._common import SWITCH, Connection, ExitCode, connected, fail
from colonies.cli._operate import open_colony
from colonies.cli._render import console
from colonies.manifests import Colony, UnknownKindError, load_manifests
from colonies.manifests.schemas import for_server, schema_check
from colonies.models import BlueprintDefinition
from colonies.runtime.definition_upgrade import (
    SpecCheck,
    UpgradePlan,
    definitions_of_kind,
    model_validator,
    plan_upgrade,
)
from colonies.runtime.schema import stored_full_schema

__all__ = ["register"]

app = typer.Typer(
    help="Show a kind's definition, and check or upgrade it to a new spec schema.",
    no_args_is_help=True,
)

KIND = Annotated[str, typer.Argument(metavar="KIND", help="kind, singular or plural")]
RECONCILER = Annotated[
    str | None,
    typer.Option(
        "--reconciler",
        metavar="MODULE:CLASS",
        help="take the new definition from this reconciler, as its runtime would register it",
    ),
]
FILENAME = Annotated[
    str | None,
    typer.Option(
        "-f", "--filename", metavar="PATH", help="take the new definition from this manifest"
    ),
]
Output = Literal["table", "yaml", "json"]


@dataclass(frozen=True)
class _Wanted:
    """The new definition and how to check stored specs against it."""

    definition: BlueprintDefinition
    validate: SpecCheck


def _from_reconciler(target: str, colony: str) -> _Wanted:
    from colonies.runtime.definitions import build_definition
    from colonies.runtime.loader import load_reconciler

    reconciler = load_reconciler(target)
    wanted = build_definition(reconciler, colony, reconciler.resolved_executor_type())
    return _Wanted(wanted, model_validator(reconciler.spec_model))


def _from_manifest(path: str, kind: str, colony: str) -> _Wanted:
    loaded = load_manifests([path], sys.stdin)
    if loaded.errors:
        fail(str(loaded.errors[0]))
    found = [m for m in loaded.manifests if m.is_definition and m.kind.lower() == kind.lower()]
    if not found:
        fail(f"{path}: no BlueprintDefinition of kind {kind!r}")
    body = dict(found[0].body)
    body["metadata"] = {**body["metadata"], "colonyname": colony}
    definition = for_server(BlueprintDefinition.model_validate(body))
    return _Wanted(definition, schema_check(definition))


def _wanted(kind: str, reconciler: str | None, filename: str | None, colony: str) -> _Wanted:
    if (reconciler is None) == (filename is None):
        raise typer.BadParameter("give exactly one of --reconciler and -f/--filename")
    if reconciler is not None:
        return _from_reconciler(reconciler, colony)
    assert filename is not None
    return _from_manifest(filename, kind, colony)


@contextmanager
def _kind_of(connection: Connection, word: str) -> Iterator[tuple[Colony, str]]:
    """The colony and the exact kind ``word`` names (exit 3 when no definition declares it)."""
    with open_colony(connection, verbose=False) as colony:
        try:
            kind = colony.kinds.resolve(word).spec.names.kind
        except UnknownKindError as error:
            fail(str(error), ExitCode.NOT_FOUND)
        yield colony, kind


def _plan(colony: Colony, kind: str, wanted: _Wanted) -> UpgradePlan:
    if wanted.definition.spec.names.kind != kind:
        fail(
            f"the new definition declares kind {wanted.definition.spec.names.kind!r}, not {kind!r}"
        )
    blueprints = colony.client.get_blueprints(colony.name, kind)
    return plan_upgrade(colony.definitions, blueprints, wanted.definition, wanted.validate)


@contextmanager
def _pending(
    connection: Connection, kind: str, reconciler: str | None, filename: str | None
) -> Iterator[tuple[Colony, UpgradePlan | None, Console]]:
    """The upgrade plan for ``kind``, or ``None`` (and a line saying so) when up to date."""
    out = Console(highlight=False, soft_wrap=True)
    with _kind_of(connection, kind) as (colony, exact):
        plan = _plan(colony, exact, _wanted(exact, reconciler, filename, colony.name))
        if plan.up_to_date:
            out.print(f"{exact}: the definition in effect is up to date")
        yield colony, None if plan.up_to_date else plan, out


def _print_plan(out: Console, plan: UpgradePlan) -> None:
    for change in plan.changes:
        mark, style = ("~", "yellow") if change.compatible else ("!", "red")
        out.print(f"  [{style}]{mark} {escape(str(change))}[/]")
    if not plan.changes:
        out.print("  ~ no schema change; the definition gains the full schema annotation")
    for name, reason in sorted(plan.rejected.items()):
        out.print(f"  [red]blocked by {plan.kind}/{escape(name)}: {escape(reason)}[/]")
    assert plan.addition is not None
    for name in plan.removals:
        out.print(f"  - removes definition {escape(name)} (no blueprint of the kind exists)")
    out.print(f"  + adds definition {escape(plan.addition.metadata.name)}")


@connected
def show(
    connection: Connection,
    kind: KIND,
    output: Annotated[
        Output, typer.Option("-o", "--output", metavar="FORMAT", help="table, yaml or json")
    ] = "table",
) -> None:
    """Show the definitions of KIND in the order the server consults them.

    The first is in effect: the server validates blueprints against it on add and update.
    Older ones stay until no blueprint of the kind is left (the server refuses to remove them).

    Example:

        colonies-sdk definition show homedevice -o yaml
    """
    with _kind_of(connection, kind) as (colony, exact):
        revisions = definitions_of_kind(colony.definitions, exact)
        count = len(colony.client.get_blueprints(colony.name, exact))
    if output != "table":
        documents = [d.model_dump(mode="json", by_alias=True) for d in revisions]
        text = (
            json.dumps(documents, indent=2) if output == "json" else yaml.safe_dump_all(documents)
        )
        typer.echo(text)
        return
    table = Table("NAME", "STATE", "EXECUTOR TYPE", "FULL SCHEMA", box=None)
    for index, definition in enumerate(revisions):
        handler = definition.spec.handler
        table.add_row(
            definition.metadata.name,
            "in effect" if index == 0 else "superseded",
            handler.executor_type if handler else "-",
            "yes" if stored_full_schema(definition.metadata.annotations) else "no",
        )
    out = console()
    out.print(table)
    out.print(f"{count} blueprint(s) of kind {exact}")


@connected
def diff(
    connection: Connection, kind: KIND, reconciler: RECONCILER = None, filename: FILENAME = None
) -> None:
    """Compare KIND's definition in effect with a new one: each schema change, whether it is
    compatible, and the stored blueprints that would block the upgrade.

    Examples:

        colonies-sdk definition diff homedevice -f definition.yaml

        colonies-sdk definition diff homedevice --reconciler my_module:Light

    Exit codes as kubectl diff: 0 up to date, 1 an upgrade is due, 2 or more an error.
    """
    with _pending(connection, kind, reconciler, filename) as (_, plan, out):
        if plan is None:
            return
        out.print(f"{plan.kind}: {'blocked' if plan.blocked else 'upgrade due'}")
        _print_plan(out, plan)
    raise typer.Exit(ExitCode.DIFFERENT)


@connected
def upgrade(
    connection: Connection,
    kind: KIND,
    reconciler: RECONCILER = None,
    filename: FILENAME = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", metavar=SWITCH, help="print the plan, send nothing")
    ] = False,
) -> None:
    """Make a new definition of KIND the one in effect (needs COLONIES_COLONY_PRVKEY).

    Compatible changes always go through. Incompatible ones go through when every stored
    blueprint still validates; otherwise the command names the blueprints to fix first.

    Example:

        colonies-sdk definition upgrade homedevice -f definition.yaml
    """
    with _pending(connection, kind, reconciler, filename) as (colony, plan, out):
        if plan is None:
            return
        exact = plan.kind
        if plan.blocked:
            fail(
                f"{exact}: {len(plan.rejected)} stored blueprint(s) do not fit the new schema: "
                f"{plan.describe_blockers()}. Change them (colonies-sdk set / apply) or delete "
                "them, then upgrade",
                ExitCode.REFUSED,
            )
        if colony.owner is None and not dry_run:
            fail("upgrading a definition needs the colony owner key: set COLONIES_COLONY_PRVKEY")
        out.print(f"{exact}: {'would upgrade' if dry_run else 'upgrading'}")
        _print_plan(out, plan)
        if dry_run:
            return
        assert colony.owner is not None
        assert plan.addition is not None
        for name in plan.removals:
            colony.owner.remove_blueprint_definition(colony.name, name)
        colony.owner.add_blueprint_definition(plan.addition)
        out.print(f"{exact}: definition {plan.addition.metadata.name} in effect")


app.command("show")(show)
app.command("diff")(diff)
app.command("upgrade")(upgrade)


def register(root: typer.Typer) -> None:
    root.add_typer(app, name="definition")
