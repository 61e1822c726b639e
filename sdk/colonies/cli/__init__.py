"""The ``colonies-sdk`` command. Each subcommand lives in its own module with a
``register(app)`` function, named like the command. The console script imports only the
module of the command it runs: ``colonies-sdk run`` is a long-lived process, and the other
commands' imports (the dev server, manifests, YAML, JSON Schema, rich tables) would stay in
its memory for nothing. ``app``, the whole command tree, is built on first access.

The options, errors and exit codes every command shares are in :mod:`colonies.cli._common`.
"""

from __future__ import annotations

import importlib
import inspect
import sys
from typing import TYPE_CHECKING

import typer

from colonies.cli._common import EXIT_CODES_HELP, ErrorHandlingGroup, flowing_help

_SUBCOMMAND_MODULES: tuple[str, ...] = (
    "devserver",
    "run",
    "demo",
    "dashboard",
    "apply",
    "diff",
    "get",
    "describe",
    "wait",
    "set",
    "edit",
    "delete",
    "history",
    "reconcile",
    "definition",
)


def _print_version(value: bool) -> None:
    if value:
        from colonies import __version__

        typer.echo(f"colonies-sdk {__version__}")
        raise typer.Exit()


def _root(
    version: bool = typer.Option(
        False,
        "--version",
        callback=_print_version,
        is_eager=True,
        help="Print the version and exit.",
    ),
) -> None:
    """ColonyOS SDK: dev server, reconciler runtime, demo and dashboard."""


def _house_style(group: typer.Typer) -> None:
    """Every command's help flows to the terminal's width and ends with the exit codes (its
    own, else the shared ones): one place, so no command can miss it. A prose paragraph last
    also keeps the examples indented (typer dedents what follows the first paragraph)."""
    for info in group.registered_commands:
        text = info.help or inspect.getdoc(info.callback) or ""
        if "Exit codes" not in text:
            text = f"{text}\n\n{EXIT_CODES_HELP}"
        info.help = flowing_help(text)
    for sub in group.registered_groups:
        if sub.typer_instance is not None:
            _house_style(sub.typer_instance)


def build_app(commands: tuple[str, ...] = _SUBCOMMAND_MODULES) -> typer.Typer:
    """The ``colonies-sdk`` app with ``commands`` (each one's module is named like it)."""
    group = typer.Typer(
        name="colonies-sdk",
        cls=ErrorHandlingGroup,
        help="ColonyOS SDK: dev server, reconciler runtime, demo and dashboard.\n\n"
        "Every command that talks to a server reads the official COLONIES_* variables "
        "(COLONIES_SERVER_HOST, COLONIES_SERVER_PORT, COLONIES_TLS, COLONIES_COLONY_NAME, "
        "COLONIES_PRVKEY ...); its --server, --port, --colony, --tls, --insecure and --ca flags "
        f"override them.\n\n{EXIT_CODES_HELP}",
        no_args_is_help=True,
        context_settings={"help_option_names": ["-h", "--help"]},
        pretty_exceptions_show_locals=False,  # locals may hold private keys
    )
    group.callback()(_root)
    for name in commands:
        importlib.import_module(f"colonies.cli.{name}").register(group)
    _house_style(group)
    return group


if TYPE_CHECKING:
    app: typer.Typer


def __getattr__(name: str) -> typer.Typer:
    if name != "app":
        raise AttributeError(f"module 'colonies.cli' has no attribute {name!r}")
    whole = build_app()
    globals()["app"] = whole
    return whole


def main() -> None:
    """Console-script entry point: the invoked command alone when the first argument names
    one; otherwise (help, ``--version``, a typo) every command, for the listing."""
    command = sys.argv[1] if len(sys.argv) > 1 else ""
    build_app((command,) if command in _SUBCOMMAND_MODULES else _SUBCOMMAND_MODULES)()
