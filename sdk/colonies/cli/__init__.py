"""The ``colonies-sdk`` command. Each subcommand lives in its own module with a
``register(app)`` function, so importing the CLI costs only what a command needs."""

from __future__ import annotations

import importlib

import typer

_SUBCOMMAND_MODULES: tuple[str, ...] = ("devserver", "run", "demo", "dashboard")

app = typer.Typer(
    name="colonies-sdk",
    help="ColonyOS SDK: dev server, reconciler runtime, demo and dashboard.",
    no_args_is_help=True,
    add_completion=False,
)


@app.callback()
def _root() -> None:
    """ColonyOS SDK: dev server, reconciler runtime, demo and dashboard."""


for _name in _SUBCOMMAND_MODULES:
    importlib.import_module(f"colonies.cli.{_name}").register(app)


def main() -> None:
    """Console-script entry point."""
    app()
