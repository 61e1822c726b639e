"""The Dockerfile, read as instructions (no Docker engine here): two stages, a numeric non-root
user matching the chart, the SDK with the home reconcilers, and `colonies-sdk run` as the
entrypoint; the build context holds exactly what the build copies."""

from __future__ import annotations

import importlib
import json
import shlex
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
import yaml

from tests.chart.dockerfile import Stage, read_dockerfile
from tests.chart.helm import CHART_DIR, REPO_ROOT

DOCKERIGNORE = REPO_ROOT / ".dockerignore"


@pytest.fixture(scope="module")
def dockerfile() -> tuple[dict[str, str], list[Stage]]:
    return read_dockerfile()


def test_two_stages_on_the_same_python_base(
    dockerfile: tuple[dict[str, str], list[Stage]],
) -> None:
    global_args, stages = dockerfile
    assert [stage.name for stage in stages] == ["build", "runtime"]
    assert {stage.base for stage in stages} == {"${PYTHON_IMAGE}"}
    assert global_args["PYTHON_IMAGE"].startswith("python:3.11-slim")


def test_build_stage_installs_the_sdk_with_the_home_reconcilers(
    dockerfile: tuple[dict[str, str], list[Stage]],
) -> None:
    build = dockerfile[1][0]
    installs = [cmd for cmd in build.all_of("RUN") if "pip install" in cmd]
    assert len(installs) == 1
    assert '".[home]"' in installs[0]
    assert "--constraint constraints.txt" in installs[0]
    assert "colonies-sdk run --help" in installs[0], "the build proves the entrypoint works"


def test_runtime_stage_copies_only_the_venv_and_runs_as_the_chart_user(
    dockerfile: tuple[dict[str, str], list[Stage]],
) -> None:
    runtime = dockerfile[1][1]
    assert runtime.all_of("COPY") == ["--from=build /opt/venv /opt/venv"]
    (user,) = runtime.all_of("USER")
    uid, _, gid = user.partition(":")
    assert uid.isdigit(), "Kubernetes can only check runAsNonRoot for a numeric user"
    assert int(uid) != 0
    assert int(gid) != 0
    keywords = [instruction for instruction, _ in runtime.instructions]
    last_run = len(keywords) - 1 - keywords[::-1].index("RUN")
    assert keywords.index("USER") > last_run, "nothing runs as root after USER"
    chart_values = yaml.safe_load((CHART_DIR / "values.yaml").read_text())
    assert chart_values["securityContext"]["runAsUser"] == int(uid)
    assert chart_values["podSecurityContext"]["runAsGroup"] == int(gid)


def test_entrypoint_is_colonies_sdk_run(
    dockerfile: tuple[dict[str, str], list[Stage]],
) -> None:
    runtime = dockerfile[1][1]
    (entrypoint,) = runtime.all_of("ENTRYPOINT")
    assert json.loads(entrypoint) == ["colonies-sdk", "run"]
    (cmd,) = runtime.all_of("CMD")
    assert json.loads(cmd) == ["--help"]
    (expose,) = runtime.all_of("EXPOSE")
    chart_values = yaml.safe_load((CHART_DIR / "values.yaml").read_text())
    assert int(expose) == chart_values["reconciler"]["httpPort"]


def copied_sources(stages: list[Stage]) -> set[str]:
    """What the build takes from the build context (not from another stage)."""
    sources: set[str] = set()
    for stage in stages:
        for args in stage.all_of("COPY"):
            words = shlex.split(args)
            if any(word.startswith("--from=") for word in words):
                continue
            sources.update(word.rstrip("/") for word in words[:-1])
    return sources


def test_build_context_is_exactly_what_the_build_copies(
    dockerfile: tuple[dict[str, str], list[Stage]],
) -> None:
    patterns = [
        line.strip()
        for line in DOCKERIGNORE.read_text().splitlines()
        if line.strip() and not line.startswith("#")
    ]
    assert patterns[0] == "*", "the context starts empty and lists what it lets in"
    allowed = {pattern[1:].rstrip("/") for pattern in patterns if pattern.startswith("!")}
    sources = copied_sources(dockerfile[1])
    assert sources == allowed
    for source in sources:
        assert (REPO_ROOT / source).exists(), f"COPY source {source} missing from the repo"


def test_build_context_has_what_packaging_needs(
    dockerfile: tuple[dict[str, str], list[Stage]],
) -> None:
    pyproject = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text())
    sources = copied_sources(dockerfile[1])
    assert pyproject["project"]["readme"] in sources
    assert set(pyproject["tool"]["setuptools"]["packages"]["find"]["where"]) <= sources
    assert "home" in pyproject["project"]["optional-dependencies"]


def test_the_entrypoint_command_runs_here() -> None:
    """`colonies-sdk run --help` is what the image runs without arguments."""
    cli = Path(sys.executable).parent / "colonies-sdk"
    result = subprocess.run(
        [str(cli), "run", "--help"], capture_output=True, text=True, check=False, timeout=60
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Usage:" in result.stdout
    assert " run " in result.stdout


def test_the_default_target_is_a_ready_made_reconciler_in_the_image() -> None:
    """The chart's default needs no custom image: its target ships with `.[home]`."""
    from colonies.runtime import Reconciler

    target = yaml.safe_load((CHART_DIR / "values.yaml").read_text())["reconciler"]["target"]
    module_name, _, class_name = target.partition(":")
    reconciler = getattr(importlib.import_module(module_name), class_name)
    assert issubclass(reconciler, Reconciler)
