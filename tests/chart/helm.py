"""Run the real helm binary over the chart and hand back the manifests as plain dicts.

The chart tests never mock helm: a missing binary is a broken set-up, so it fails loudly.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

REPO_ROOT = Path(__file__).resolve().parents[2]
CHART_DIR = REPO_ROOT / "charts" / "colonies-reconciler"
CI_VALUES_FILES = sorted((CHART_DIR / "ci").glob("*.yaml"))
# The three set-ups in ci/, for tests about one of them.
SCALED_OUT = CHART_DIR / "ci" / "scaled-out-values.yaml"
SELF_REGISTRATION_TLS = CHART_DIR / "ci" / "self-registration-tls-values.yaml"
SINGLE_CHART_SECRET = CHART_DIR / "ci" / "single-chart-secret-values.yaml"
RELEASE = "home"
NAMESPACE = "automation"

Manifest = dict[str, Any]


def helm_binary() -> str:
    """The helm that scripts/setup/10-helm.sh installs (or one on PATH)."""
    found = shutil.which("helm") or shutil.which("helm", path=str(REPO_ROOT / ".tools" / "bin"))
    if found is None:
        raise AssertionError(
            "helm not found on PATH or in .tools/bin: run `bash scripts/setup/10-helm.sh` "
            "(part of `make setup` / `make test`)"
        )
    return found


def run_helm(*args: str) -> subprocess.CompletedProcess[str]:
    """Run helm with ``args``; the caller decides what a non-zero exit means."""
    return subprocess.run(
        [helm_binary(), *args], capture_output=True, text=True, check=False, timeout=60
    )


def _values_args(values_files: Sequence[Path], set_values: Sequence[str]) -> list[str]:
    args: list[str] = []
    for path in values_files:
        args += ["--values", str(path)]
    for assignment in set_values:
        args += ["--set", assignment]
    return args


def template(
    values_files: Sequence[Path] = (), set_values: Sequence[str] = ()
) -> subprocess.CompletedProcess[str]:
    """`helm template` of the chart, as the raw process result."""
    values = _values_args(values_files, set_values)
    return run_helm("template", RELEASE, str(CHART_DIR), "--namespace", NAMESPACE, *values)


@dataclass(frozen=True)
class Rendered:
    """The documents of one `helm template` run, looked up by kind."""

    manifests: tuple[Manifest, ...]

    def kinds(self) -> list[str]:
        return sorted(str(doc["kind"]) for doc in self.manifests)

    def all_of(self, kind: str) -> Iterator[Manifest]:
        return (doc for doc in self.manifests if doc["kind"] == kind)

    def one(self, kind: str) -> Manifest:
        (doc,) = self.all_of(kind)
        return doc

    @property
    def pod_spec(self) -> dict[str, Any]:
        spec: dict[str, Any] = self.one("Deployment")["spec"]["template"]["spec"]
        return spec

    @property
    def container(self) -> dict[str, Any]:
        (container,) = self.pod_spec["containers"]
        return dict(container)

    @property
    def env(self) -> dict[str, dict[str, Any]]:
        """The container's env entries by name (each entry as rendered)."""
        return {entry["name"]: entry for entry in self.container["env"]}

    @property
    def plain_env(self) -> dict[str, str]:
        """The container's env entries that carry a plain value (not a Secret or field ref)."""
        return {
            entry["name"]: entry["value"] for entry in self.container["env"] if "value" in entry
        }


def render(values_files: Sequence[Path] = (), set_values: Sequence[str] = ()) -> Rendered:
    """Render the chart; a helm error fails the test with helm's own message."""
    result = template(values_files, set_values)
    if result.returncode != 0:
        raise AssertionError(f"helm template failed:\n{result.stderr}")
    docs = [doc for doc in yaml.safe_load_all(result.stdout) if doc]
    return Rendered(tuple(docs))


def render_error(values_files: Sequence[Path] = (), set_values: Sequence[str] = ()) -> str:
    """Render values that must be refused, and return helm's error text."""
    result = template(values_files, set_values)
    if result.returncode == 0:
        raise AssertionError(f"helm accepted values it must refuse: {list(set_values)}")
    return result.stderr


# helm 3 cannot render NOTES.txt without a cluster (`install --dry-run` still dials the API
# server: helm/helm#13144), so a copy of the chart renders it through `tpl` as a ConfigMap.
_NOTES_PROBE = """apiVersion: v1
kind: ConfigMap
metadata:
  name: notes-probe
data:
  notes: {{ tpl (.Files.Get "notes-under-test.txt") . | quote }}
"""


def render_notes(set_values: Sequence[str] = ()) -> str:
    """NOTES.txt as helm renders it for these values."""
    with tempfile.TemporaryDirectory() as scratch:
        chart = Path(scratch) / CHART_DIR.name
        shutil.copytree(CHART_DIR, chart)
        notes = chart / "templates" / "NOTES.txt"
        notes.rename(chart / "notes-under-test.txt")
        (chart / "templates" / "notes-probe.yaml").write_text(_NOTES_PROBE)
        values = _values_args((), set_values)
        result = run_helm("template", RELEASE, str(chart), "--namespace", NAMESPACE, *values)
    if result.returncode != 0:
        raise AssertionError(f"helm template failed:\n{result.stderr}")
    for doc in yaml.safe_load_all(result.stdout):
        if doc and doc["kind"] == "ConfigMap" and doc["metadata"]["name"] == "notes-probe":
            text: str = doc["data"]["notes"]
            return text
    raise AssertionError("the notes probe did not render")
