"""Is a new spec schema compatible with the old one? A checklist in the spirit of crdify.

A change is *compatible* when every spec the old schema accepted is still accepted: a new
optional field, a widened range, a new enum value, a dropped ``required``, a looser
``additionalProperties``. Anything else (a changed type, a new required field, a removed
field or enum value, a tightened bound, a changed default) is *incompatible*: whether it
breaks anything depends on the stored blueprints, which the caller then validates.

Both schemas are JSON Schema as pydantic writes it (``$ref`` into ``$defs``, ``anyOf`` with
``null`` for optional fields) or the server's subset of it; both are read the same way.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

__all__ = ["SchemaChange", "canonical", "schema_changes"]

_LOWER_BOUNDS = ("minimum", "exclusiveMinimum", "minLength", "minItems", "minProperties")
_UPPER_BOUNDS = ("maximum", "exclusiveMaximum", "maxLength", "maxItems", "maxProperties")
_EXACT = ("pattern", "format", "multipleOf")


@dataclass(frozen=True)
class SchemaChange:
    """One difference: where (``brightness``, ``tags[]``), which rule, and whether every
    spec valid before stays valid."""

    path: str
    rule: str
    detail: str
    compatible: bool

    def __str__(self) -> str:
        verdict = "compatible" if self.compatible else "INCOMPATIBLE"
        return f"{self.path or '(spec)'}: {self.detail} [{self.rule}, {verdict}]"


def schema_changes(old: dict[str, Any], new: dict[str, Any]) -> list[SchemaChange]:
    """Every difference between ``old`` and ``new`` that can change what validates."""
    return _Comparison(old, new).compare(old, new, "")


class _Node:
    """One schema node with ``$ref`` resolved and an optional-``anyOf`` folded in."""

    def __init__(self, raw: dict[str, Any], root: dict[str, Any]) -> None:
        node = _resolve(raw, root)
        self.nullable = False
        options = node.get("anyOf") or node.get("oneOf")
        if options is not None:
            real = [_resolve(o, root) for o in options if o.get("type") != "null"]
            self.nullable = len(real) < len(options)
            rest = {k: v for k, v in node.items() if k not in ("anyOf", "oneOf")}
            node = {**real[0], **rest} if len(real) == 1 else {**rest, "anyOf": real}
        self.schema = node

    def types(self) -> frozenset[str]:
        declared = self.schema.get("type")
        types = {declared} if isinstance(declared, str) else set(declared or ())
        return frozenset(types | ({"null"} if self.nullable and types else set()))

    def enum(self) -> list[Any] | None:
        if "const" in self.schema:
            return [self.schema["const"]]
        enum = self.schema.get("enum")
        return list(enum) if enum is not None else None


def _resolve(node: dict[str, Any], root: dict[str, Any]) -> dict[str, Any]:
    seen: set[str] = set()
    while "$ref" in node and node["$ref"] not in seen:
        reference = node["$ref"]
        seen.add(reference)
        target: Any = root
        for part in reference.removeprefix("#/").split("/"):
            target = target.get(part, {}) if isinstance(target, dict) else {}
        node = {**target, **{k: v for k, v in node.items() if k != "$ref"}}
    return node


def canonical(value: Any) -> str:
    """JSON text with sorted keys, to compare schema parts: unlike ``==`` it tells ``1``
    from ``1.0`` and ``True``."""
    return json.dumps(value, sort_keys=True)


def _widened(old: frozenset[str], new: frozenset[str]) -> bool:
    """``new`` accepts every value of a type in ``old`` (integer fits in number)."""
    return all(t in new or (t == "integer" and "number" in new) for t in old)


class _Comparison:
    def __init__(self, old_root: dict[str, Any], new_root: dict[str, Any]) -> None:
        self.old_root, self.new_root = old_root, new_root
        self.changes: list[SchemaChange] = []

    def note(self, path: str, rule: str, detail: str, compatible: bool) -> None:
        self.changes.append(SchemaChange(path, rule, detail, compatible))

    def compare(
        self, old_raw: dict[str, Any], new_raw: dict[str, Any], path: str
    ) -> list[SchemaChange]:
        old, new = _Node(old_raw, self.old_root), _Node(new_raw, self.new_root)
        self._types(old, new, path)
        self._enum(old.enum(), new.enum(), path)
        self._bounds(old.schema, new.schema, path)
        if canonical(old.schema.get("default")) != canonical(new.schema.get("default")):
            self.note(
                path, "default",
                f"default {old.schema.get('default')!r} -> {new.schema.get('default')!r} "
                "(blueprints that leave the field out change meaning)", False,
            )  # fmt: skip
        if canonical(old.schema.get("anyOf")) != canonical(new.schema.get("anyOf")):
            self.note(path, "type", "the union of allowed shapes changed", False)
        self._object(old.schema, new.schema, path)
        old_items, new_items = old.schema.get("items"), new.schema.get("items")
        if isinstance(old_items, dict) and isinstance(new_items, dict):
            self.compare(old_items, new_items, f"{path}[]")
        elif isinstance(new_items, dict) and old_items is None:
            self.note(f"{path}[]", "type", "items constrained", False)
        return self.changes

    def _types(self, old: _Node, new: _Node, path: str) -> None:
        before, after = old.types(), new.types()
        if before == after or not after:
            if before and not after:
                self.note(path, "type", f"type {sorted(before)} -> any", True)
            return
        if not before:
            self.note(path, "type", f"any -> type {sorted(after)}", False)
            return
        self.note(
            path, "type", f"type {sorted(before)} -> {sorted(after)}", _widened(before, after)
        )

    def _enum(self, before: list[Any] | None, after: list[Any] | None, path: str) -> None:
        if before == after:
            return
        if after is None:
            self.note(path, "enum", "enum removed", True)
        elif before is None:
            self.note(path, "enum", f"enum {after} added", False)
        else:
            removed = [v for v in before if v not in after]
            added = [v for v in after if v not in before]
            if removed:
                self.note(path, "enum", f"enum values {removed} removed", False)
            if added:
                self.note(path, "enum", f"enum values {added} added", True)

    def _bounds(self, old: dict[str, Any], new: dict[str, Any], path: str) -> None:
        for keyword in (*_LOWER_BOUNDS, *_UPPER_BOUNDS, *_EXACT):
            before, after = old.get(keyword), new.get(keyword)
            if before == after:
                continue
            if after is None:
                compatible = True
            elif before is None or keyword in _EXACT:
                compatible = False
            elif keyword in _LOWER_BOUNDS:
                compatible = after < before
            else:
                compatible = after > before
            self.note(path, keyword, f"{keyword} {before!r} -> {after!r}", compatible)

    def _object(self, old: dict[str, Any], new: dict[str, Any], path: str) -> None:
        old_props, new_props = old.get("properties", {}), new.get("properties", {})
        old_required, new_required = set(old.get("required", ())), set(new.get("required", ()))
        prefix = f"{path}." if path else ""
        for name in sorted(old_props.keys() - new_props.keys()):
            self.note(f"{prefix}{name}", "removed", "field removed", False)
        for name in sorted(new_props.keys() - old_props.keys()):
            required = name in new_required
            detail = "required field added" if required else "optional field added"
            self.note(f"{prefix}{name}", "added", detail, not required)
        for name in sorted(old_props.keys() & new_props.keys()):
            if name in new_required and name not in old_required:
                self.note(f"{prefix}{name}", "required", "field became required", False)
            elif name in old_required and name not in new_required:
                self.note(f"{prefix}{name}", "required", "field became optional", True)
            self.compare(old_props[name], new_props[name], f"{prefix}{name}")
        before, after = old.get("additionalProperties"), new.get("additionalProperties")
        if (before is False) != (after is False):
            closed = after is False
            detail = "unknown fields now refused" if closed else "unknown fields now allowed"
            self.note(path, "additionalProperties", detail, not closed)
