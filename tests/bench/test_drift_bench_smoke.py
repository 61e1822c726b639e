"""The drift benchmark runs end to end at tiny sizes and writes only its own section of
RESULTS.md. No timing is asserted (the goals are judged in bench/RESULTS.md)."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.drift_bench import HEADING, main


@pytest.mark.slow
def test_the_drift_bench_fills_its_own_section(tmp_path: Path) -> None:
    results = tmp_path / "RESULTS.md"
    heading = f"{HEADING}, dev server"
    results.write_text(
        f"# Benchmark results\n\nother rows\n\n{heading}\n\nstale rows\n\n## Later heading\n\nkept\n"
    )
    assert main(["--quick", "--output", str(results)]) == 0
    text = results.read_text()
    assert text.count(heading) == 1
    assert "stale rows" not in text
    assert "other rows" in text
    assert "## Later heading\n\nkept" in text
    for metric in (
        "drift-to-correction p95, events",
        "drift-to-correction p95, resync only, incl. cron wait",
        "commands per drift, 2 replica(s)",
        "RPCs per converged resync",
    ):
        assert f"| drift | {metric}" in text, metric
