"""The example blueprints and definition shipped in ``colonies_home/examples``, as models.

YAML in the layout of a blueprint document (``kind``, ``metadata``, ``spec``); the colony is
filled in at load time so the same files work in any colony.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from colonies.models import Blueprint, BlueprintDefinition
from colonies_home.model import BackendKind

EXAMPLES = Path(__file__).parent / "examples"
DEFINITION_MANIFEST = EXAMPLES / "definition.yaml"


def load_blueprints(path: Path, colony: str) -> list[Blueprint]:
    """Every blueprint document in the YAML file ``path``, placed in ``colony``."""
    return [
        Blueprint.model_validate(_in_colony(document, colony))
        for document in yaml.safe_load_all(path.read_text())
        if document
    ]


def example_manifest(backend: BackendKind) -> Path:
    """The shipped manifest of the four example devices for ``backend``. The simulated ones
    sit beside ``definition.yaml``, so ``apply -f examples/`` applies them; the same devices
    on the other backends are in ``examples/backends/``."""
    folder = EXAMPLES if backend is BackendKind.SIMULATED else EXAMPLES / "backends"
    return folder / f"{backend.value}.yaml"


def example_manifests(backend: BackendKind) -> list[Path]:
    """What to apply for the definition and the example devices on ``backend``: the examples
    directory for the simulated ones, else the definition and that backend's manifest."""
    if backend is BackendKind.SIMULATED:
        return [EXAMPLES]
    return [DEFINITION_MANIFEST, example_manifest(backend)]


def example_blueprints(backend: BackendKind, colony: str) -> list[Blueprint]:
    """The four example devices (light, switch, climate, cover) for ``backend``."""
    return load_blueprints(example_manifest(backend), colony)


def example_definition(colony: str) -> BlueprintDefinition:
    """The HomeDevice blueprint definition, placed in ``colony``."""
    document = yaml.safe_load(DEFINITION_MANIFEST.read_text())
    return BlueprintDefinition.model_validate(_in_colony(document, colony))


def _in_colony(document: dict[str, Any], colony: str) -> dict[str, Any]:
    metadata = {**document.get("metadata", {}), "colonyname": colony}
    return {**document, "metadata": metadata}
