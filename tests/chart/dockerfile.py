"""Read a Dockerfile as its stages and instructions: there is no Docker engine here, so the
image is checked by construction."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from tests.chart.helm import REPO_ROOT

DOCKERFILE = REPO_ROOT / "Dockerfile"


@dataclass
class Stage:
    """One FROM ... AS name section and its instructions, in order."""

    base: str
    name: str
    instructions: list[tuple[str, str]] = field(default_factory=list)

    def all_of(self, keyword: str) -> list[str]:
        return [args for instruction, args in self.instructions if instruction == keyword]


def logical_lines(text: str) -> list[str]:
    """Instructions with their backslash continuations joined; comments dropped."""
    lines: list[str] = []
    pending = ""
    for raw in text.splitlines():
        stripped = raw.strip()
        if not pending and (not stripped or stripped.startswith("#")):
            continue
        if stripped.endswith("\\"):
            pending += stripped[:-1] + " "
            continue
        lines.append(pending + stripped)
        pending = ""
    assert not pending, "Dockerfile ends inside a continued line"
    return lines


def parse_dockerfile(text: str) -> tuple[dict[str, str], list[Stage]]:
    """The global ARG defaults and the stages."""
    global_args: dict[str, str] = {}
    stages: list[Stage] = []
    for line in logical_lines(text):
        keyword, _, args = line.partition(" ")
        keyword = keyword.upper()
        if keyword == "FROM":
            base, as_keyword, name = args.split()
            assert as_keyword.upper() == "AS"
            stages.append(Stage(base=base, name=name))
        elif not stages:
            assert keyword == "ARG", f"only ARG may precede the first FROM, got {keyword}"
            arg_name, _, default = args.partition("=")
            global_args[arg_name] = default
        else:
            stages[-1].instructions.append((keyword, args))
    return global_args, stages


def read_dockerfile(path: Path = DOCKERFILE) -> tuple[dict[str, str], list[Stage]]:
    return parse_dockerfile(path.read_text())
