"""docs/operate.md stays true: a section for every operator command, and the exit codes the
commands use."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from colonies.cli._common import ExitCode

GUIDE = (Path(__file__).resolve().parents[2] / "docs" / "operate.md").read_text()
OPERATOR_COMMANDS = ("apply", "diff", "get", "describe", "wait", "set", "edit", "delete")


@pytest.mark.parametrize("command", OPERATOR_COMMANDS)
def test_every_operator_command_has_a_section(command: str) -> None:
    assert re.search(rf"^## {command}$", GUIDE, re.M), command


def test_the_exit_code_table_matches_the_commands() -> None:
    table = dict(re.findall(r"^\| (\d+) \| (.+) \|$", GUIDE, re.M))
    assert set(table) == {str(int(code)) for code in ExitCode}
