"""The bench's shared lamps: replicas in separate processes drive one set of lamps."""

from __future__ import annotations

from pathlib import Path

from bench.shared_lamps import LampLog


def test_a_replica_observes_what_another_commanded_and_the_bench_counts_both(
    tmp_path: Path,
) -> None:
    path = tmp_path / "lamps"
    one, two, bench = LampLog(path), LampLog(path), LampLog(path)
    assert two.levels == {}
    assert bench.commands == 0
    one.command("desk", {"level": 3}, generation=1)
    assert two.levels == {"desk": 3}
    two.command("desk", {"level": 3}, generation=1)
    two.command("hall", {"level": 7}, generation=2)
    assert one.levels == {"desk": 3, "hall": 7}
    assert bench.commands == 3
    assert bench.duplicates == 1, "desk's generation 1 was applied twice"


def test_a_line_still_being_written_is_left_for_the_next_look(tmp_path: Path) -> None:
    path = tmp_path / "lamps"
    path.write_bytes(b"desk 1 3\nhall 2 ")
    lamps = LampLog(path)
    assert lamps.levels == {"desk": 3}
    with path.open("ab") as file:
        file.write(b"7\n")
    assert lamps.levels == {"desk": 3, "hall": 7}
