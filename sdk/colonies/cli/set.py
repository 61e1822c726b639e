"""``colonies-sdk set KIND NAME path=value...``: change fields of a blueprint's spec.

Values are typed by the kind's schema (``brightness=50`` is a number, ``power=true`` a
boolean), and the whole new spec is validated before it is sent; the status is kept.
"""

from __future__ import annotations

from typing import Annotated

import typer

from colonies.cli._common import Connection, connected, fail
from colonies.cli._inspect import KindArgument, NameArgument
from colonies.cli._operate import VERBOSE, Report, find, open_colony
from colonies.manifests import InvalidSpecError, full_schema, spec_changes
from colonies.manifests.assignments import AssignmentError, apply_assignments, parse_assignment
from colonies.runtime.schema import server_schema

__all__ = ["register"]

HELP = """Set fields of a blueprint's spec; each value is typed by the kind's schema.

A dotted path sets a nested field; PATH- (a trailing minus) removes a field. Nothing is sent when the result is invalid for the schema, or when nothing changes.

Examples:

    colonies-sdk set homedevice living-room-lamp brightness=50 power=true

    colonies-sdk set homedevices hallway-thermostat target_temperature=22.5

    colonies-sdk set homedevice living-room-lamp color_temp_kelvin-

Exit codes: 0 done (or nothing to change); 2 an invalid path or value; 3 not found; 4 refused by the server; 5 server unreachable.
"""


@connected
def set_(
    connection: Connection,
    kind: KindArgument,
    name: NameArgument,
    assignments: Annotated[
        list[str],
        typer.Argument(metavar="PATH=VALUE...", help="spec fields to set (PATH- removes one)"),
    ],
    verbose: VERBOSE = False,
) -> None:
    try:
        parsed = [parse_assignment(text) for text in assignments]
    except AssignmentError as error:
        fail(str(error))
    report = Report()
    with open_colony(connection, verbose=verbose) as colony:
        definition, blueprint = find(colony, kind, name)
        schema = full_schema(definition)
        try:
            spec = apply_assignments(
                blueprint.spec, parsed, server_schema(schema) if schema else None
            )
            outcome = colony.update_spec(definition, blueprint, spec)
        except (AssignmentError, InvalidSpecError) as error:
            fail(f"{error}; nothing sent")
        report.outcome(outcome)
        if outcome.error is None:
            report.changes(spec_changes(spec, blueprint.spec))
    report.exit()


def register(app: typer.Typer) -> None:
    app.command("set", help=HELP, no_args_is_help=True)(set_)
