"""values.schema.json: a valid schema, satisfied by every shipped values file, and strict
enough that bad values stop `helm template` with a message naming the value at fault."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from colonies.client import merge_patch
from tests.chart.helm import CHART_DIR, render_error

SCHEMA = CHART_DIR / "values.schema.json"
DEFAULT_VALUES = CHART_DIR / "values.yaml"


def check_jsonschema(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "check_jsonschema", *args],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )


def test_schema_is_valid_against_its_metaschema() -> None:
    result = check_jsonschema("--check-metaschema", str(SCHEMA))
    assert result.returncode == 0, result.stdout + result.stderr


def test_default_values_satisfy_the_schema() -> None:
    result = check_jsonschema("--schemafile", str(SCHEMA), str(DEFAULT_VALUES))
    assert result.returncode == 0, result.stdout + result.stderr


def test_each_ci_values_file_merged_over_the_defaults_satisfies_the_schema(
    ci_values_file: Path, tmp_path: Path
) -> None:
    # Helm coalesces a values file over the defaults exactly like a JSON merge patch.
    values = merge_patch(
        yaml.safe_load(DEFAULT_VALUES.read_text()), yaml.safe_load(ci_values_file.read_text())
    )
    instance = tmp_path / ci_values_file.name
    instance.write_text(yaml.safe_dump(values))
    result = check_jsonschema("--schemafile", str(SCHEMA), str(instance))
    assert result.returncode == 0, result.stdout + result.stderr


def test_schema_rejects_a_value_the_defaults_satisfy(tmp_path: Path) -> None:
    """The schema check is not vacuous: check-jsonschema itself refuses a bad file."""
    values = merge_patch(yaml.safe_load(DEFAULT_VALUES.read_text()), {"replicaCount": "three"})
    instance = tmp_path / "bad.yaml"
    instance.write_text(yaml.safe_dump(values))
    result = check_jsonschema("--schemafile", str(SCHEMA), str(instance))
    assert result.returncode == 1
    assert "replicaCount" in result.stdout


@pytest.mark.parametrize(
    ("assignment", "expected"),
    [
        ("replicaCount=abc", "at '/replicaCount': got string, want integer"),
        ("replicaCount=-1", "at '/replicaCount': minimum"),
        ("unknownSetting=1", "additional properties 'unknownSetting' not allowed"),
        ("reconciler.concurrency=0", "at '/reconciler/concurrency': minimum"),
        ("reconciler.logLevel=loud", "at '/reconciler/logLevel': value must be one of"),
        ("reconciler.logFormat=xml", "at '/reconciler/logFormat': value must be one of"),
        ("reconciler.target=no-class-given", "at '/reconciler/target'"),
        ("reconciler.httpPort=80", "at '/reconciler/httpPort': minimum"),
        (
            "reconciler.dashboard.enabled=yes",
            "at '/reconciler/dashboard/enabled': got string, want boolean",
        ),
        ("server.port=70000", "at '/server/port': maximum"),
        ("server.host=", "at '/server/host': minLength"),
        ("server.tls.enabled=yes", "at '/server/tls/enabled': got string, want boolean"),
        ("colony.name=", "at '/colony/name': minLength"),
        ("image.pullPolicy=Sometimes", "at '/image/pullPolicy': value must be one of"),
        ("updateStrategy.type=BlueGreen", "at '/updateStrategy/type': value must be one of"),
        ("podDisruptionBudget.maxUnavailable=lots", "at '/podDisruptionBudget/maxUnavailable'"),
        ("metrics.serviceMonitor.interval=soon", "at '/metrics/serviceMonitor/interval'"),
        ("executorKey.unexpected=1", "additional properties 'unexpected' not allowed"),
        ("livenessProbe.periodSeconds=0", "at '/livenessProbe/periodSeconds': minimum"),
    ],
)
def test_schema_refuses_bad_values_with_a_clear_message(assignment: str, expected: str) -> None:
    error = render_error(set_values=[assignment])
    assert "values don't meet the specifications of the schema" in error
    assert expected in error


@pytest.mark.parametrize(
    ("assignments", "expected"),
    [
        (
            ["executorKey.existingSecret="],
            "executorKey: set executorKey.existingSecret",
        ),
        (
            ["colonyOwnerKey.enabled=true"],
            "colonyOwnerKey: enabled, but neither colonyOwnerKey.existingSecret nor "
            "colonyOwnerKey.value is set",
        ),
        (
            ["extraEnv[0].name=COLONIES_PRVKEY", "extraEnv[0].value=plain"],
            "extraEnv: COLONIES_PRVKEY must not be set here",
        ),
        (
            ["podDisruptionBudget.minAvailable=1", "podDisruptionBudget.maxUnavailable=1"],
            "podDisruptionBudget: set minAvailable or maxUnavailable, not both",
        ),
        (
            ["metrics.service.enabled=false", "metrics.serviceMonitor.enabled=true"],
            "metrics.serviceMonitor.enabled needs metrics.service.enabled",
        ),
        (
            ["colonyOwnerKey.enabled=true", "colonyOwnerKey.existingSecret=owner"],
            "executorKey: with colonyOwnerKey every pod registers an executor under its own pod "
            "name, and the server allows one executor per key",
        ),
        (
            [
                "replicaCount=2",
                "executor.name=fixed",
                "colonyOwnerKey.enabled=true",
                "colonyOwnerKey.existingSecret=owner",
            ],
            "executor.name: with colonyOwnerKey each pod registers itself",
        ),
    ],
)
def test_templates_refuse_inconsistent_values_with_a_clear_message(
    assignments: list[str], expected: str
) -> None:
    assert expected in render_error(set_values=assignments)


@pytest.mark.parametrize("path", ["executorKey", "colonyOwnerKey"])
def test_a_malformed_private_key_is_refused_without_being_echoed(path: str) -> None:
    almost_a_key = "c0ffee" * 10 + "abc"  # 63 hex characters: one short
    error = render_error(
        set_values=[
            "colonyOwnerKey.enabled=true",
            "colonyOwnerKey.existingSecret=owner",
            f"{path}.value={almost_a_key}",
        ]
    )
    assert f"{path}.value: not a private key; expected exactly 64 hex characters" in error
    assert "has 63 characters" in error
    assert "c0ffee" not in error
