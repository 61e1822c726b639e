"""``path=value`` arguments of ``colonies-sdk set``, typed by the kind's schema.

``brightness=50`` is an integer because the schema says so, ``power=true`` a boolean,
``device=50`` stays the string ``"50"``; ``cfg.mode=eco`` sets a nested field and
``brightness-`` removes one (kubectl's spelling for removing a label). A field the schema
does not describe is read as a YAML scalar, and the schema's validation decides.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import yaml

__all__ = ["Assignment", "AssignmentError", "apply_assignments", "parse_assignment"]

_PATH = re.compile(r"^[^.=\s][^=\s]*$")
_TRUE = frozenset({"true", "yes", "on"})
_FALSE = frozenset({"false", "no", "off"})


class AssignmentError(ValueError):
    """An argument that is not ``path=value``/``path-``, or a value its field cannot take."""


@dataclass(frozen=True)
class Assignment:
    """Set ``path`` (dotted) to the text ``raw``, or remove it when ``raw`` is ``None``."""

    path: tuple[str, ...]
    raw: str | None

    def __str__(self) -> str:
        dotted = ".".join(self.path)
        return f"{dotted}-" if self.raw is None else f"{dotted}={self.raw}"


def parse_assignment(text: str) -> Assignment:
    """``a.b=value`` sets, ``a.b-`` removes."""
    if "=" in text:
        path, raw = text.split("=", 1)
    elif text.endswith("-"):
        path, raw = text[:-1], None
    else:
        raise AssignmentError(f"{text!r}: expected path=value, or path- to remove a field")
    if not _PATH.match(path) or "" in path.split("."):
        raise AssignmentError(f"{text!r}: {path!r} is not a field path like brightness or cfg.mode")
    return Assignment(tuple(path.split(".")), raw)


def _node(schema: Mapping[str, Any] | None, path: Sequence[str]) -> Mapping[str, Any] | None:
    """The schema of the field at ``path``, if the schema describes it."""
    node = schema
    for name in path:
        properties = node.get("properties") if node else None
        node = properties.get(name) if isinstance(properties, Mapping) else None
    return node


def _boolean(raw: str) -> bool:
    word = raw.strip().lower()
    if word in _TRUE:
        return True
    if word in _FALSE:
        return False
    raise ValueError("expected true or false")


def _integer(raw: str) -> int:
    try:
        return int(raw)
    except ValueError:
        raise ValueError("expected a whole number") from None


def _number(raw: str) -> int | float:
    try:
        return int(raw)
    except ValueError:
        pass
    try:
        return float(raw)
    except ValueError:
        raise ValueError("expected a number") from None


def _structured(kind: type[Any]) -> Any:
    def parse(raw: str) -> Any:
        value = yaml.safe_load(raw)
        if not isinstance(value, kind):
            raise ValueError(
                f"expected a {'list' if kind is list else 'mapping'} in YAML flow style"
            )
        return value

    return parse


_PARSERS: dict[str, Any] = {
    "integer": _integer,
    "number": _number,
    "boolean": _boolean,
    "string": str,
    "array": _structured(list),
    "object": _structured(dict),
}


def _typed(assignment: Assignment, node: Mapping[str, Any] | None) -> Any:
    raw = assignment.raw
    assert raw is not None
    kind = node.get("type") if node else None
    if not isinstance(kind, str) or kind not in _PARSERS:
        return yaml.safe_load(raw) if raw else ""
    try:
        return _PARSERS[kind](raw.strip() if kind != "string" else raw)
    except (ValueError, yaml.YAMLError) as error:
        field = ".".join(assignment.path)
        raise AssignmentError(
            f"{assignment}: the schema makes {field} {_article(kind)} {kind}: {error}, got {raw!r}"
        ) from None


def _article(kind: str) -> str:
    return "an" if kind[0] in "aeiou" else "a"


def apply_assignments(
    spec: Mapping[str, Any], assignments: Sequence[Assignment], schema: Mapping[str, Any] | None
) -> dict[str, Any]:
    """A copy of ``spec`` with every assignment made, values typed by ``schema`` (the server
    subset of the kind's schema: plain ``type``s and ``properties``)."""
    result = copy.deepcopy(dict(spec))
    for assignment in assignments:
        parent: dict[str, Any] = result
        for depth, name in enumerate(assignment.path[:-1], start=1):
            child = parent.setdefault(name, {})
            if not isinstance(child, dict):
                where = ".".join(assignment.path[:depth])
                raise AssignmentError(f"{assignment}: {where} is not an object")
            parent = child
        leaf = assignment.path[-1]
        if assignment.raw is None:
            parent.pop(leaf, None)
        else:
            parent[leaf] = _typed(assignment, _node(schema, assignment.path))
    return result
