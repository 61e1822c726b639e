"""Renders shared by the chart tests: each values file goes through helm once per session."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.chart.helm import CI_VALUES_FILES, Rendered, render


@pytest.fixture(scope="session")
def default_chart() -> Rendered:
    """The chart with nothing but its own values.yaml."""
    return render()


@pytest.fixture(scope="session", params=CI_VALUES_FILES, ids=lambda path: path.stem)
def ci_values_file(request: pytest.FixtureRequest) -> Path:
    """Each values file in charts/colonies-reconciler/ci/ in turn."""
    path: Path = request.param
    return path


@pytest.fixture(scope="session")
def ci_chart(ci_values_file: Path) -> Rendered:
    return render([ci_values_file])
