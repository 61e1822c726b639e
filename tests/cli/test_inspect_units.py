"""The small parsers and formats of the inspecting commands, and their help."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import typer
from typer.testing import CliRunner

from colonies.cli import app
from colonies.cli._inspect import age, parse_duration


@pytest.mark.parametrize(
    ("text", "seconds"), [("60s", 60.0), ("2m", 120.0), ("1h", 3600.0), ("500ms", 0.5), ("7", 7.0)]
)
def test_durations_read_as_kubectl_writes_them(text: str, seconds: float) -> None:
    assert parse_duration(text) == seconds


def test_a_bad_duration_says_what_is_expected() -> None:
    with pytest.raises(typer.BadParameter, match="examples: 30s, 2m, 1h"):
        parse_duration("soon")


def test_ages_use_the_largest_whole_unit() -> None:
    now = datetime(2026, 1, 2, tzinfo=UTC)
    assert [age(now - timedelta(seconds=s), now) for s in (5, 125, 7200, 200000)] == [
        "5s",
        "2m",
        "2h",
        "2d",
    ]
    assert age(None, now) == "-"


@pytest.mark.parametrize("command", ["get", "describe", "wait", "history", "reconcile"])
def test_help_has_an_example_and_the_exit_codes(command: str) -> None:
    result = CliRunner().invoke(app, [command, "--help"], env={"COLUMNS": "200"})
    assert result.exit_code == 0
    assert "Example:" in result.output
    assert f"colonies-sdk {command} " in result.output
    assert "Exit codes: 0 ok" in result.output
