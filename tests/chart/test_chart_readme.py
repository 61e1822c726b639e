"""The chart README's values table keeps up with values.yaml and the schema."""

from __future__ import annotations

import json
import re
from typing import Any

import yaml

from tests.chart.helm import CHART_DIR

TABLE_KEY = re.compile(r"^\| `([A-Za-z0-9_.]+)` \|", re.MULTILINE)


def documented_keys() -> set[str]:
    return set(TABLE_KEY.findall((CHART_DIR / "README.md").read_text()))


def undocumented(values: dict[str, Any], documented: set[str], prefix: str = "") -> list[str]:
    """Value paths that neither appear in the table nor sit under a row that covers them."""
    missing: list[str] = []
    for key, value in values.items():
        path = f"{prefix}{key}"
        if path in documented:
            continue
        if isinstance(value, dict) and value:
            missing += undocumented(value, documented, f"{path}.")
        else:
            missing.append(path)
    return missing


def in_schema(path: str, schema: dict[str, Any]) -> bool:
    node = schema
    for part in path.split("."):
        properties = node.get("properties", {})
        if part not in properties:
            return False
        node = properties[part]
    return True


def test_every_value_is_in_the_readme_table() -> None:
    values = yaml.safe_load((CHART_DIR / "values.yaml").read_text())
    assert undocumented(values, documented_keys()) == []


def test_every_documented_key_exists_in_the_schema() -> None:
    schema = json.loads((CHART_DIR / "values.schema.json").read_text())
    assert [key for key in sorted(documented_keys()) if not in_schema(key, schema)] == []
