"""The benchmark runs end to end at tiny sizes: every section reports, the files are written.

No timing is asserted here (speed goals live in bench/RESULTS.md, measured by `make bench`).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bench.__main__ import main

SECTIONS = (
    "crypto",
    "client",
    "async transport",
    "reconcile",
    "update storm",
    "replicas",
    "resync",
    "footprint",
)


@pytest.mark.slow
def test_quick_benchmark_writes_every_section(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--quick", "--output-dir", str(tmp_path)]) == 0
    text = (tmp_path / "dev.md").read_text()
    assert "against the colonies-sdk dev server" in text
    for section in SECTIONS:
        assert f"| {section}" in text, section
    assert "device commands per blueprint" in text
    assert "duplicate commands" in text
    assert "status writes" in text
    rows = json.loads((tmp_path / "dev.json").read_text())["rows"]
    assert len(rows) == text.count("\n| ") - 1, "the JSON holds every row of the table"
    assert (
        "| reconcile (6 blueprints, 2 workers) | reconciles/s |"
        in (tmp_path / "side-by-side.md").read_text()
    )
    assert (tmp_path / "dev-latency.png").read_bytes().startswith(b"\x89PNG")
    assert "wrote" in capsys.readouterr().out


def test_sections_and_sizes_are_checked_before_anything_runs(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with pytest.raises(SystemExit):
        main(["--sections", "reconcile,storms"])
    assert "unknown section(s) storms" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["--resync", "1000,ten"])
    assert "expected numbers separated by commas" in capsys.readouterr().err
