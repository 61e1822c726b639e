"""NOTES.txt tells the operator what runs, how to watch it, and what is risky."""

from __future__ import annotations

from tests.chart.helm import render_notes


def test_default_notes_say_how_to_create_the_missing_key_secret() -> None:
    notes = render_notes()
    assert "colonies-sdk run colonies_home:HomeDeviceReconciler" in notes
    assert "http://colonies-server:50080" in notes
    assert "rollout status deployment/home-colonies-reconciler" in notes
    assert "create secret generic colonies-executor-key" in notes
    assert "port-forward service/home-colonies-reconciler-metrics 8080" in notes
    assert "WARNING" not in notes
    assert "NOTE:" not in notes


def test_notes_warn_about_keys_in_values_insecure_tls_and_blocking_budgets() -> None:
    key = "7" * 64
    notes = render_notes(
        [
            f"executorKey.value={key}",
            "server.tls.enabled=true",
            "server.tls.insecure=true",
            "podDisruptionBudget.minAvailable=1",
        ]
    )
    assert "https://colonies-server:50080" in notes
    assert "a private key was given as a chart value" in notes
    assert "create secret generic" not in notes
    assert "server.tls.insecure is true" in notes
    assert "node drains will block" in notes
    assert key not in notes


def test_notes_describe_self_registration() -> None:
    notes = render_notes(
        [
            "executorKey.existingSecret=",
            "colonyOwnerKey.enabled=true",
            "colonyOwnerKey.existingSecret=colony-owner",
        ]
    )
    assert "each pod registers and approves its own executor named after the pod" in notes
