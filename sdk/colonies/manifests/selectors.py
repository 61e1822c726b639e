"""Label selectors as kubectl writes them: ``room=kitchen,tier!=test,managed``.

Equality (``=`` or ``==``), inequality (``!=``), existence (``key``) and absence (``!key``),
all of which must hold. One parser for ``apply --prune -l`` and ``get -l``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

__all__ = ["Requirement", "Selector", "SelectorError", "parse_selector"]

_KEY = re.compile(r"^[A-Za-z0-9]([A-Za-z0-9._/-]*[A-Za-z0-9])?$")
_TERM = re.compile(
    r"^\s*(?P<neg>!)?\s*(?P<key>[^!=\s]+)\s*(?:(?P<op>==|!=|=)\s*(?P<value>\S*))?\s*$"
)


class SelectorError(ValueError):
    """A selector that cannot be parsed; the message quotes the bad term."""


@dataclass(frozen=True)
class Requirement:
    """One term: ``key``, its ``operator`` (``=``, ``!=``, ``exists``, ``!exists``), ``value``."""

    key: str
    operator: str
    value: str = ""

    def matches(self, labels: Mapping[str, str]) -> bool:
        if self.operator == "exists":
            return self.key in labels
        if self.operator == "!exists":
            return self.key not in labels
        if self.operator == "=":
            return labels.get(self.key) == self.value
        return labels.get(self.key) != self.value

    def __str__(self) -> str:
        if self.operator == "exists":
            return self.key
        if self.operator == "!exists":
            return f"!{self.key}"
        return f"{self.key}{self.operator}{self.value}"


@dataclass(frozen=True)
class Selector:
    """All requirements at once; an empty selector matches everything."""

    requirements: tuple[Requirement, ...] = ()

    def matches(self, labels: Mapping[str, str] | None) -> bool:
        return all(requirement.matches(labels or {}) for requirement in self.requirements)

    def __bool__(self) -> bool:
        return bool(self.requirements)

    def __str__(self) -> str:
        return ",".join(str(requirement) for requirement in self.requirements)


def _requirement(term: str) -> Requirement:
    match = _TERM.match(term)
    if match is None or not _KEY.match(match["key"]) or (match["neg"] and match["op"]):
        raise SelectorError(f"invalid label selector term {term.strip()!r}")
    if match["op"] is None:
        return Requirement(match["key"], "!exists" if match["neg"] else "exists")
    return Requirement(match["key"], "!=" if match["op"] == "!=" else "=", match["value"])


def parse_selector(text: str) -> Selector:
    """Parse ``key=value,key!=value,key,!key``; :class:`SelectorError` on a bad term."""
    terms = text.split(",")
    if not text.strip() or any(not term.strip() for term in terms):
        raise SelectorError(f"invalid label selector {text!r}: empty term")
    return Selector(tuple(_requirement(term) for term in terms))
