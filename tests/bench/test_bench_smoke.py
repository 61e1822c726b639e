"""The benchmark runs end to end at tiny sizes: every section reports, the files are written.

No timing is asserted here (speed goals live in bench/RESULTS.md, measured by `make bench`).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.__main__ import main

SECTIONS = ("crypto", "client", "reconcile", "update storm", "resync", "footprint")


@pytest.mark.slow
def test_quick_benchmark_writes_every_section(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    results, plot = tmp_path / "RESULTS.md", tmp_path / "latency.png"
    assert main(["--quick", "--output", str(results), "--plot", str(plot)]) == 0
    text = results.read_text()
    for section in SECTIONS:
        assert f"| {section}" in text, section
    assert "device commands per blueprint" in text
    assert "status writes" in text
    assert plot.read_bytes().startswith(b"\x89PNG")
    assert "wrote" in capsys.readouterr().out
