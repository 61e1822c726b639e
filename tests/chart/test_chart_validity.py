"""The chart lints strictly and every rendering is valid Kubernetes (1.25, 1.30, 1.34, 1.37),
checked offline and strictly against the API schemas."""

from __future__ import annotations

import copy
from pathlib import Path

import kubernetes_validate

from tests.chart.helm import CHART_DIR, Manifest, Rendered, render, run_helm

# The oldest version Chart.yaml admits, the reference version, a recent one and the newest
# that kubernetes-validate knows.
KUBERNETES_VERSIONS = ("1.25.0", "1.30.0", "1.34.0", "1.37.0")
# Custom resources have no schema in kubernetes-validate; their shape is checked in
# test_chart_metrics.py instead.
CUSTOM_KINDS = {"ServiceMonitor"}


def kubernetes_errors(manifest: Manifest) -> list[str]:
    errors: list[str] = []
    for version in KUBERNETES_VERSIONS:
        try:
            kubernetes_validate.validate(manifest, version, strict=True)
        except kubernetes_validate.ValidationError as error:
            name = f"{manifest['kind']}/{manifest['metadata']['name']}"
            errors.append(f"{name} (Kubernetes {version}): {error.message}")
    return errors


def assert_valid_kubernetes(rendered: Rendered) -> None:
    errors = [
        message
        for manifest in rendered.manifests
        if manifest["kind"] not in CUSTOM_KINDS
        for message in kubernetes_errors(manifest)
    ]
    assert errors == []


def test_helm_is_a_real_helm_3() -> None:
    result = run_helm("version", "--template", "{{.Version}}")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("v3.")


def test_lint_strict_with_default_values() -> None:
    result = run_helm("lint", "--strict", str(CHART_DIR))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 chart(s) failed" in result.stdout


def test_lint_strict_with_each_ci_values_file(ci_values_file: Path) -> None:
    result = run_helm("lint", "--strict", str(CHART_DIR), "--values", str(ci_values_file))
    assert result.returncode == 0, result.stdout + result.stderr


def test_default_rendering_is_valid_kubernetes(default_chart: Rendered) -> None:
    assert default_chart.kinds() == [
        "Deployment",
        "NetworkPolicy",
        "PodDisruptionBudget",
        "Service",
        "ServiceAccount",
    ]
    assert_valid_kubernetes(default_chart)


def test_each_ci_rendering_is_valid_kubernetes(ci_chart: Rendered) -> None:
    assert "Deployment" in ci_chart.kinds()
    assert_valid_kubernetes(ci_chart)


def test_validation_is_strict_about_unknown_fields(default_chart: Rendered) -> None:
    """A guard on the check itself: a misspelt field must not slip through."""
    deployment = copy.deepcopy(default_chart.one("Deployment"))
    deployment["spec"]["template"]["spec"]["containers"][0]["livenesProbe"] = {}
    assert kubernetes_errors(deployment) != []


def test_every_kind_of_object_the_chart_can_make_is_valid() -> None:
    everything_on = render(
        set_values=[
            "replicaCount=1",
            "executor.name=hall-reconciler",
            "executorKey.value=" + "a" * 64,
            "colonyOwnerKey.enabled=true",
            "colonyOwnerKey.value=" + "b" * 64,
            "metrics.serviceMonitor.enabled=true",
            "server.tls.enabled=true",
            "server.tls.caSecret.name=colonies-ca",
        ]
    )
    assert everything_on.kinds() == [
        "Deployment",
        "NetworkPolicy",
        "PodDisruptionBudget",
        "Secret",
        "Secret",
        "Service",
        "ServiceAccount",
        "ServiceMonitor",
    ]
    assert_valid_kubernetes(everything_on)
