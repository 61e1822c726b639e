"""The two set-up commands (issue 13 C1, C8): the demo gets a lean environment, a dev
environment also serves the demo, the set-up says how to put ``colonies-sdk`` on PATH, and
pyproject's license needs no deprecated form. The scripts run for real; a stamped
environment makes them return before creating anything."""

from __future__ import annotations

import hashlib
import re
import subprocess
import tomllib
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
SETUP = REPO / "scripts" / "setup" / "00-python.sh"


def digest() -> str:
    data = (REPO / "pyproject.toml").read_bytes() + (REPO / "constraints.txt").read_bytes()
    return hashlib.sha256(data).hexdigest()[:16]


def run_setup(venv: Path, extras: str) -> str:
    result = subprocess.run(
        ["bash", str(SETUP)],
        cwd=REPO,
        env={"PATH": "/usr/bin:/bin", "VENV": str(venv), "EXTRAS": extras},
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    return result.stdout


def test_a_dev_environment_serves_the_demo_and_the_set_up_says_how_to_use_it(
    tmp_path: Path,
) -> None:
    venv = tmp_path / "venv"
    venv.mkdir()
    (venv / f".installed-dev-{digest()}").touch()
    for extras in ("home", "dev"):
        output = run_setup(venv, extras)
        assert "python environment" not in output, "an up-to-date environment is kept"
        assert f"source {venv}/bin/activate" in output
    assert sorted(p.name for p in venv.iterdir()) == [f".installed-dev-{digest()}"]


def test_make_demo_asks_for_the_lean_extra_and_make_test_for_the_full_one() -> None:
    dry = subprocess.run(
        ["make", "-n", "demo", "test"], cwd=REPO, capture_output=True, text=True, check=True
    ).stdout
    assert "EXTRAS=home bash scripts/setup.sh --python-only" in dry
    assert re.search(r"^bash scripts/setup.sh$", dry, re.MULTILINE)
    extras = tomllib.loads((REPO / "pyproject.toml").read_text())["project"][
        "optional-dependencies"
    ]
    assert "playwright>=1.44" in extras["dev"]
    assert not any(tool.startswith(("pytest", "mypy", "playwright")) for tool in extras["home"])


def test_the_license_is_an_spdx_expression() -> None:
    project = tomllib.loads((REPO / "pyproject.toml").read_text())
    assert project["project"]["license"] == "MIT"
    assert "setuptools>=77" in project["build-system"]["requires"]


def test_the_readme_says_how_to_put_the_cli_on_path() -> None:
    readme = (REPO / "README.md").read_text()
    set_up = readme.split("## Set-up", 1)[1].split("\n## ", 1)[0]
    assert "source .venv/bin/activate" in set_up
    commands = set_up.split("```bash\n", 1)[1].split("```", 1)[0].splitlines()
    assert [line.split()[:2] for line in commands] == [["make", "demo"], ["make", "test"]]
