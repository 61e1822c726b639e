"""Field-by-field comparison of two JSON documents (a spec and a status, or two spec revisions).

The dashboard, ``get`` and ``describe`` show drift the way a reconciler sees it: nested
objects are compared per leaf path, numbers compare by value (``50`` equals ``50.0``, as on
the server), and booleans never equal numbers (``True`` is not ``1``)."""

from __future__ import annotations

import enum
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any


class FieldState(enum.Enum):
    """How one field compares between the left (desired/newer) and right (observed/older) side."""

    SAME = "same"
    DIFFERENT = "different"
    LEFT_ONLY = "left-only"
    RIGHT_ONLY = "right-only"


@dataclass(frozen=True)
class FieldPair:
    """One leaf path with its value on each side; a missing side is ``None`` with ``has_*`` False."""

    path: str
    left: Any
    right: Any
    has_left: bool
    has_right: bool

    @property
    def state(self) -> FieldState:
        if not self.has_right:
            return FieldState.LEFT_ONLY
        if not self.has_left:
            return FieldState.RIGHT_ONLY
        return FieldState.SAME if same_value(self.left, self.right) else FieldState.DIFFERENT


def same_value(left: Any, right: Any) -> bool:
    """JSON equality with the server's number semantics and strict booleans."""
    if isinstance(left, bool) or isinstance(right, bool):
        return type(left) is type(right) and left == right
    if isinstance(left, int | float) and isinstance(right, int | float):
        return float(left) == float(right)
    if isinstance(left, Mapping) and isinstance(right, Mapping):
        return left.keys() == right.keys() and all(same_value(left[k], right[k]) for k in left)
    if isinstance(left, list) and isinstance(right, list):
        return len(left) == len(right) and all(map(same_value, left, right))
    return bool(left == right)


def flatten(document: Mapping[str, Any], prefix: str = "") -> Iterator[tuple[str, Any]]:
    """Yield ``(dotted.path, leaf)`` pairs; lists and empty objects are leaves."""
    for key, value in document.items():
        path = f"{prefix}{key}"
        if isinstance(value, Mapping) and value:
            yield from flatten(value, f"{path}.")
        else:
            yield path, value


def compare_documents(
    left: Mapping[str, Any], right: Mapping[str, Any], *, ignore: frozenset[str] = frozenset()
) -> list[FieldPair]:
    """Pair every leaf path of both documents, left's order first, then right-only paths.

    ``ignore`` names top-level keys to leave out (the status's own bookkeeping fields).
    """
    left_leaves = {p: v for p, v in flatten(left) if p.split(".", 1)[0] not in ignore}
    right_leaves = {p: v for p, v in flatten(right) if p.split(".", 1)[0] not in ignore}
    pairs = [
        FieldPair(path, value, right_leaves.get(path), True, path in right_leaves)
        for path, value in left_leaves.items()
    ]
    pairs.extend(
        FieldPair(path, None, value, False, True)
        for path, value in right_leaves.items()
        if path not in left_leaves
    )
    return pairs
