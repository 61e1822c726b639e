"""Run the operator commands in-process against a throwaway colony, as a user would type them.

Each test gets a kind of its own (a real server looks definitions up by kind across colonies)
whose definition carries the constraints v1.9.12 drops: ranges, integer, no extra fields,
nested ``required``. ``-v`` makes each command print the requests it sent, so a test counts
writes through the real command, on the dev server and on a real server alike.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner, Result

from colonies.cli import app
from colonies.client import ColoniesClient
from colonies.models import Blueprint
from colonies.testing import ThrowawayColony, unique_kind

LAMP_SCHEMA: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "power": {"type": "boolean"},
        "brightness": {"type": "integer", "minimum": 0, "maximum": 100},
        "mode": {"type": "string", "enum": ["warm", "cold"]},
        "cfg": {
            "type": "object",
            "properties": {"level": {"type": "integer"}, "name": {"type": "string"}},
            "required": ["level"],
        },
    },
    "required": ["power"],
}


@dataclass
class Operator:
    """A colony, a kind of its own with a definition manifest, and a way to run commands."""

    colony: ThrowawayColony
    kind: str
    directory: Path
    runner: CliRunner = field(default_factory=CliRunner)

    @property
    def definition_file(self) -> Path:
        return self.directory / "definition.yaml"

    def env(self) -> dict[str, str | None]:
        config = self.colony.target.config
        return {
            "COLONIES_SERVER_HOST": config.host,
            "COLONIES_SERVER_PORT": str(config.port),
            "COLONIES_TLS": "true" if config.tls else "false",
            "COLONIES_INSECURE": "true" if config.insecure else "false",
            "COLONIES_TLS_CA": str(config.ca_bundle) if config.ca_bundle else None,
            "COLONIES_COLONY_NAME": self.colony.name,
            "COLONIES_PRVKEY": self.colony.user_key.hex(),
            "COLONIES_COLONY_PRVKEY": self.colony.owner_key.hex(),
        }

    def run(self, *args: str, input: str | None = None, verbose: bool = True, **env: str) -> Result:
        """``colonies-sdk ARGS [-v]``; ``result.stdout``/``stderr`` are separate."""
        argv = [*args, "-v"] if verbose else list(args)
        return self.runner.invoke(app, argv, input=input, env={**self.env(), **env})

    def client(self) -> ColoniesClient:
        return self.colony.client()

    def blueprint(self, name: str) -> Blueprint:
        with self.client() as client:
            return client.get_blueprint(self.colony.name, name)

    def names(self) -> set[str]:
        with self.client() as client:
            return {b.metadata.name for b in client.get_blueprints(self.colony.name)}

    def lamp(self, name: str, spec: dict[str, Any], **labels: str) -> dict[str, Any]:
        """A blueprint document of this test's kind."""
        metadata: dict[str, Any] = {"name": name}
        if labels:
            metadata["labels"] = labels
        return {"kind": self.kind, "metadata": metadata, "spec": spec}

    def write(self, filename: str, *documents: dict[str, Any]) -> Path:
        """A multi-document YAML manifest in the test's directory."""
        path = self.directory / filename
        path.write_text(yaml.safe_dump_all(documents, sort_keys=False))
        return path

    def define(self) -> None:
        """Add this test's definition through ``apply``."""
        result = self.run("apply", "-f", str(self.definition_file))
        assert result.exit_code == 0, result.stderr


def requests(result: Result) -> list[str]:
    """The message types a ``-v`` command sent, in order."""
    return [line.split()[1] for line in result.stderr.splitlines() if line.startswith("request ")]


def writes(result: Result) -> list[str]:
    """The requests that change something (every message type but the get* reads)."""
    return [msgtype for msgtype in requests(result) if not msgtype.startswith("get")]


def definition_document(kind: str) -> dict[str, Any]:
    """A definition in the shape of the shipped ``definition.yaml``, with the full schema."""
    lower = kind.lower()
    return {
        "kind": kind,
        "metadata": {"name": lower},
        "spec": {
            "group": "test.colonies.dev",
            "version": "v1",
            "names": {"kind": kind, "singular": lower, "plural": f"{lower}s"},
            "scope": "Namespaced",
            "schema": json.loads(json.dumps(LAMP_SCHEMA)),
        },
    }


@pytest.fixture
def operator(colony: ThrowawayColony, tmp_path: Path) -> Operator:
    """An :class:`Operator` whose definition file is written but not yet applied."""
    kind = unique_kind("CliLamp")
    created = Operator(colony, kind, tmp_path)
    created.definition_file.write_text(yaml.safe_dump(definition_document(kind), sort_keys=False))
    return created


@pytest.fixture
def hall(operator: Operator) -> Operator:
    """An :class:`Operator` whose kind is defined, with the blueprint ``hall``
    (``{"power": false, "brightness": 10}``)."""
    operator.define()
    path = operator.write("hall.yaml", operator.lamp("hall", {"power": False, "brightness": 10}))
    assert operator.run("apply", "-f", str(path)).exit_code == 0
    return operator
