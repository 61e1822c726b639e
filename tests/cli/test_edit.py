"""``colonies-sdk edit`` with a scripted ``$EDITOR``: a change is validated and sent, an
unchanged file sends nothing, an invalid edit sends nothing and is kept."""

from __future__ import annotations

import re
import sys
from pathlib import Path

from tests.cli.operate import Operator, hall, operator, writes

__all__ = ["hall", "operator"]


def editor(directory: Path, old: str, new: str) -> str:
    """An EDITOR command that replaces ``old`` with ``new`` in the file it is given."""
    script = directory / "editor.py"
    script.write_text(
        "import pathlib, sys\n"
        "path = pathlib.Path(sys.argv[1])\n"
        f"path.write_text(path.read_text().replace({old!r}, {new!r}))\n"
    )
    return f"{sys.executable} {script}"


def test_an_edit_is_sent(hall: Operator) -> None:
    result = hall.run(
        "edit", hall.kind, "hall", EDITOR=editor(hall.directory, "brightness: 10", "brightness: 60")
    )

    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines() == [
        f"{hall.kind.lower()}/hall configured",
        "  ~ spec.brightness: 10 -> 60",
    ]
    assert writes(result) == ["updateblueprintmsg"]
    assert hall.blueprint("hall").spec == {"power": False, "brightness": 60}


def test_an_unchanged_edit_sends_nothing(hall: Operator) -> None:
    result = hall.run("edit", hall.kind, "hall", EDITOR=editor(hall.directory, "nothing", "else"))

    assert result.exit_code == 0, result.stderr
    assert "Edit cancelled, no changes made." in result.stderr
    assert writes(result) == []


def test_an_invalid_edit_sends_nothing_and_is_kept(hall: Operator) -> None:
    result = hall.run(
        "edit",
        hall.kind,
        "hall",
        EDITOR=editor(hall.directory, "brightness: 10", "brightness: 900"),
    )

    assert result.exit_code == 2
    assert (
        "field 'brightness': 900 is greater than the maximum of 100; nothing sent" in result.stderr
    )
    assert writes(result) == []
    kept = re.search(r"Your edit is kept in (\S+)", result.stderr)
    assert kept is not None
    assert "brightness: 900" in Path(kept[1]).read_text()
    Path(kept[1]).unlink()
    assert hall.blueprint("hall").spec == {"power": False, "brightness": 10}
