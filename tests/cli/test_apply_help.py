"""The commands that change blueprints follow the CLI's one style (tests/cli/test_cli_style.py):
help with examples and exit codes, typed options, switches without a value."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from colonies.cli import app


@pytest.mark.parametrize("command", ["apply", "diff", "delete", "set", "edit"])
def test_help_has_examples_exit_codes_and_typed_options(command: str) -> None:
    result = CliRunner().invoke(app, [command, "-h"], env={"COLUMNS": "200"})
    assert result.exit_code == 0
    assert "Example" in result.output
    assert f"colonies-sdk {command} " in result.output
    assert "Exit codes: 0" in result.output
    options = result.output[result.output.index("Options") :]
    assert "<str>" not in options
    assert options.count("<bool>") == 1  # only typer's own --help row
