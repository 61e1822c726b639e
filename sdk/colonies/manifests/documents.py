"""Manifest files: the blueprint definitions and blueprints an operator keeps in git.

A manifest source is a YAML or JSON file (several documents separated by ``---``), every
``.yaml``/``.yml``/``.json`` file of a directory, or ``-`` for standard input. Documents take
the shape of ``reconcilers/colonies_home/examples/*.yaml``: a blueprint has ``kind``,
``metadata`` and ``spec``; a definition is recognised by ``spec.names`` (or by
``kind: BlueprintDefinition``), as in the server's own examples. Every problem is reported
with the file and the 1-based document number, so a bad document never hides which one it is.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

import yaml

__all__ = [
    "STDIN",
    "Loaded",
    "Manifest",
    "ManifestError",
    "Origin",
    "load_manifests",
    "yaml_problem",
]

STDIN = "-"
_SUFFIXES = frozenset({".yaml", ".yml", ".json"})
_DEFINITION_KIND = "blueprintdefinition"
_TOP_LEVEL = frozenset({"apiVersion", "kind", "metadata", "spec", "status"})
_SERVER_FIELDS = frozenset({"blueprintid", "blueprintdefinitionid"})
_BLUEPRINT_METADATA = frozenset({"name", "colonyname", "locationname", "labels", "annotations"})
# What `get -o yaml` prints besides the fields above; apply ignores them (the server owns them).
_SERVER_METADATA = frozenset(
    {"generation", "createdAt", "updatedAt", "lastReconciliationProcess", "lastReconciliationTime"}
)


@dataclass(frozen=True)
class Origin:
    """Where a document came from: the source as the user named it and its number in it."""

    source: str
    index: int

    def __str__(self) -> str:
        return f"{self.source}, document {self.index}"


class ManifestError(Exception):
    """A document that cannot be used, or a source that cannot be read.

    ``str()`` reads ``lamps.yaml, document 2 (homedevice/lamp): field 'brightness': ...``.
    """

    def __init__(self, origin: Origin | str, message: str, *, name: str | None = None) -> None:
        self.origin = origin
        self.name = name
        self.message = message
        where = f"{origin} ({name})" if name else str(origin)
        super().__init__(f"{where}: {message}")


@dataclass(frozen=True)
class Manifest:
    """One document: a definition (``spec.names`` present) or a blueprint, as written."""

    origin: Origin
    body: Mapping[str, Any]

    @property
    def is_definition(self) -> bool:
        return _is_definition(self.body)

    @property
    def name(self) -> str:
        return str(self.body["metadata"]["name"])

    @property
    def kind(self) -> str:
        """The blueprint kind: the declared kind for a definition, ``kind`` for a blueprint."""
        if self.is_definition:
            return str(self.body["spec"]["names"]["kind"])
        return str(self.body["kind"])

    @property
    def labels(self) -> dict[str, str]:
        return dict(self.body["metadata"].get("labels") or {})

    def content(self) -> dict[str, Any]:
        """What ``apply`` sends of the document: kind, spec and the metadata a manifest owns,
        without the fields the server owns (a copied ``blueprintid`` or ``generation`` would
        be stored as sent, protocol 7.2)."""
        metadata = {k: v for k, v in self.body["metadata"].items() if k in _BLUEPRINT_METADATA}
        return {"kind": self.body.get("kind", ""), "metadata": metadata, "spec": self.body["spec"]}

    def error(self, message: str, *, name: str | None = None) -> ManifestError:
        """An error about this document, naming it as ``kind/name``."""
        kind = "blueprintdefinition" if self.is_definition else self.kind.lower()
        return ManifestError(self.origin, message, name=name or f"{kind}/{self.name}")


@dataclass
class Loaded:
    """The documents that could be read, and an error for each one that could not."""

    manifests: list[Manifest] = field(default_factory=list)
    errors: list[ManifestError] = field(default_factory=list)


def load_manifests(paths: Sequence[str], stdin: TextIO) -> Loaded:
    """Read every document of ``paths`` (files, directories, ``-``) without stopping at the
    first bad one. An object named twice is an error, and neither copy is used: which one
    was meant is not known (two backends' files in one directory, say)."""
    loaded = Loaded()
    copies: dict[tuple[bool, str], list[Manifest]] = {}
    for source, text in _read_sources(paths, stdin, loaded.errors):
        for manifest in _parse(source, text, loaded.errors):
            copies.setdefault((manifest.is_definition, manifest.name), []).append(manifest)
    for found in copies.values():
        if len(found) == 1:
            loaded.manifests.append(found[0])
            continue
        others = "; ".join(str(manifest.origin) for manifest in found[1:])
        loaded.errors.append(found[0].error(f"also defined in {others}: none of them is used"))
    return loaded


def _read_sources(
    paths: Sequence[str], stdin: TextIO, errors: list[ManifestError]
) -> Iterator[tuple[str, str]]:
    stdin_used = False
    for name in paths:
        if name == STDIN:
            if stdin_used:
                errors.append(ManifestError(STDIN, "standard input can be read only once"))
                continue
            stdin_used = True
            yield "<stdin>", stdin.read()
            continue
        path = Path(name)
        files = _directory_files(path) if path.is_dir() else [path]
        if path.is_dir() and not files:
            errors.append(ManifestError(name, "directory holds no .yaml, .yml or .json file"))
        for file in files:
            try:
                yield str(file), file.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError) as error:
                errors.append(ManifestError(str(file), f"cannot read: {_reason(error)}"))


def _directory_files(path: Path) -> list[Path]:
    return sorted(p for p in path.iterdir() if p.is_file() and p.suffix.lower() in _SUFFIXES)


def _reason(error: OSError | UnicodeDecodeError) -> str:
    return error.strerror or str(error) if isinstance(error, OSError) else str(error)


def _parse(source: str, text: str, errors: list[ManifestError]) -> Iterable[Manifest]:
    index = 0
    try:
        for index, document in enumerate(yaml.safe_load_all(text), start=1):
            if document is None:  # an empty document, e.g. after a trailing ---
                continue
            origin = Origin(source, index)
            problem = _shape_problem(document)
            if problem:
                errors.append(ManifestError(origin, problem, name=_name_hint(document)))
            else:
                yield Manifest(origin, document)
    except yaml.YAMLError as error:
        errors.append(ManifestError(Origin(source, index + 1), yaml_problem(error)))


def yaml_problem(error: yaml.YAMLError) -> str:
    """One line for a YAML error: what is wrong and where (PyYAML's own text spans lines)."""
    mark = getattr(error, "problem_mark", None)
    where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
    problem = getattr(error, "problem", None) or str(error).splitlines()[0]
    return f"not valid YAML or JSON{where}: {problem}"


def _is_definition(document: Mapping[str, Any]) -> bool:
    spec = document.get("spec")
    kind = document.get("kind")
    return (isinstance(kind, str) and kind.lower() == _DEFINITION_KIND) or (
        isinstance(spec, Mapping) and "names" in spec
    )


def _name_hint(document: Any) -> str | None:
    if not isinstance(document, Mapping):
        return None
    metadata = document.get("metadata")
    name = metadata.get("name") if isinstance(metadata, Mapping) else None
    return str(name) if isinstance(name, str) and name else None


def _shape_problem(document: Any) -> str | None:
    """What keeps ``document`` from being a definition or blueprint, or ``None``."""
    if not isinstance(document, Mapping):
        return f"a document must be a mapping, got {type(document).__name__}"
    unknown = sorted(set(document) - _TOP_LEVEL - _SERVER_FIELDS)
    if unknown:
        return f"unknown top-level field {unknown[0]!r} (expected {', '.join(sorted(_TOP_LEVEL))})"
    metadata = document.get("metadata")
    if not isinstance(metadata, Mapping) or not isinstance(metadata.get("name"), str):
        return "metadata.name is required"
    if not metadata["name"]:
        return "metadata.name must not be empty"
    for group in ("labels", "annotations"):
        values = metadata.get(group) or {}
        if not isinstance(values, Mapping) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in values.items()
        ):
            return f"metadata.{group} must map strings to strings (quote numbers and booleans)"
    spec = document.get("spec")
    if not isinstance(spec, Mapping):
        return "spec is required and must be a mapping"
    if _is_definition(document):
        names = spec.get("names")
        if not isinstance(names, Mapping) or not names.get("kind"):
            return "spec.names.kind is required in a blueprint definition"
        return None
    if not isinstance(document.get("kind"), str) or not document["kind"]:
        return "kind is required"
    unknown = sorted(set(metadata) - _BLUEPRINT_METADATA - _SERVER_METADATA)
    if unknown:
        return f"unknown field metadata.{unknown[0]} (expected {', '.join(sorted(_BLUEPRINT_METADATA))})"
    return None
