"""The docs stand alone: every relative link, and every path a page names with ``../``,
points at a file inside this repository that exists (issue 13 C10)."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
INLINE_LINK = re.compile(r"!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
REFERENCE_LINK = re.compile(r"^\s*\[[^\]]+\]:\s*(\S+)", re.MULTILINE)
PARENT_PATH = re.compile(r"`(\.\./[^`\s]+)`")
EXTERNAL = ("http://", "https://", "mailto:")


def markdown_files() -> list[Path]:
    listed = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard", "*.md"],
        cwd=REPO, capture_output=True, text=True, check=True,
    ).stdout.split()  # fmt: skip
    return [REPO / name for name in listed]


def broken_targets(text: str, directory: Path) -> list[str]:
    """Targets in ``text`` (a page in ``directory``) that leave the repository or name a
    missing file."""
    targets = INLINE_LINK.findall(text) + REFERENCE_LINK.findall(text) + PARENT_PATH.findall(text)
    broken: list[str] = []
    for target in targets:
        if target.startswith(EXTERNAL) or target.startswith("#"):
            continue
        resolved = (directory / target.split("#", 1)[0]).resolve()
        if not resolved.is_relative_to(REPO):
            broken.append(f"{target} (outside the repository)")
        elif not resolved.exists():
            broken.append(f"{target} (missing)")
    return broken


@pytest.mark.parametrize("page", markdown_files(), ids=lambda p: str(p.relative_to(REPO)))
def test_links_stay_inside_the_repository_and_resolve(page: Path) -> None:
    assert broken_targets(page.read_text(encoding="utf-8"), page.parent) == []


def test_the_check_catches_what_it_should() -> None:
    text = (
        "[a](../../shared/x.md) [b](missing.md) `../../shared/colonyos-protocol.md` "
        "[ok](client.md#quick-start) [web](https://example.org) [top](#a)\n[r]: ../nope.md\n"
    )
    assert broken_targets(text, REPO / "docs") == [
        "../../shared/x.md (outside the repository)",
        "missing.md (missing)",
        "../nope.md (missing)",
        "../../shared/colonyos-protocol.md (outside the repository)",
    ]
