"""Lamps that runtimes in separate processes share, as replicas share real devices.

Every command is a line ``name generation level`` appended to one file (``O_APPEND``
writes of a short line land whole); a runtime observes a lamp by reading the lines added
since it last looked, so it sees what the other replicas commanded. The bench reads the
same file to count commands and (blueprint, generation) pairs applied twice.
"""

from __future__ import annotations

import os
from collections import Counter
from pathlib import Path
from typing import Any

LOG_VARIABLE = "BENCH_LAMP_LOG"
"""The environment variable that tells a child runtime which file its lamps are."""


class LampLog:
    """One set of lamps in a file: commands append, observing catches up."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._fd: int | None = None
        self._read = 0
        self._levels: dict[str, int] = {}

    def command(self, name: str, spec: dict[str, Any], generation: int | None = None) -> None:
        if self._fd is None:
            self._fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        level = int(spec.get("level", 0))
        os.write(self._fd, f"{name} {generation} {level}\n".encode())
        self._levels[name] = level

    @property
    def levels(self) -> dict[str, int]:
        """Every lamp's level, including what other processes commanded since the last look."""
        entries, self._read = self._entries_from(self._read)
        for name, _, level in entries:
            self._levels[name] = level
        return self._levels

    @property
    def commands(self) -> int:
        return len(self._entries_from(0)[0])

    @property
    def duplicates(self) -> int:
        """Commands that applied a (blueprint, generation) already applied."""
        entries, _ = self._entries_from(0)
        applied = Counter((name, generation) for name, generation, _ in entries)
        return sum(count - 1 for count in applied.values())

    def _entries_from(self, offset: int) -> tuple[list[tuple[str, str, int]], int]:
        """The whole lines from byte ``offset`` on, parsed, and the offset after them (a line
        being written is left for the next look)."""
        try:
            with self.path.open("rb") as file:
                file.seek(offset)
                data = file.read()
        except FileNotFoundError:
            return [], offset
        complete = data[: data.rfind(b"\n") + 1]
        entries = []
        for line in complete.decode().splitlines():
            name, generation, level = line.split(" ")
            entries.append((name, generation, int(level)))
        return entries, offset + len(complete)
