"""The console script loads only the invoked command: a long-lived ``colonies-sdk run``
must not carry the other commands' imports in its memory."""

from __future__ import annotations

import subprocess
import sys

import pytest
import typer

from colonies.cli import _SUBCOMMAND_MODULES, build_app

_OTHER_COMMANDS_IMPORTS = ("colonies.devserver", "colonies.manifests", "jsonschema", "yaml")


@pytest.mark.parametrize("name", _SUBCOMMAND_MODULES)
def test_each_command_module_registers_the_command_named_like_it(name: str) -> None:
    group = typer.main.get_command(build_app((name,)))
    assert isinstance(group, typer.core.TyperGroup)
    assert list(group.commands) == [name]


def test_run_loads_none_of_the_other_commands_imports() -> None:
    code = (
        "import sys\n"
        "sys.argv = ['colonies-sdk', 'run', '--help']\n"
        "from colonies.cli import main\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        f"print('loaded:', [m for m in {_OTHER_COMMANDS_IMPORTS!r} if m in sys.modules])\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert "Run a reconciler" in result.stdout
    assert result.stdout.rstrip().endswith("loaded: []")
